"""Sealing files of any size with a data key, in 64 KiB frames (nothing held whole in memory).

One GCM tag over a whole 50 MB file would mean holding it in memory (or releasing unverified
plaintext), so a file is cut into frames, each sealed on its own (the "STREAM" construction of
Hoang, Reyhanitabar, Rogaway and Vizár, as in age and Tink)::

    header = 0x02 || stream id (16 random bytes)
    frame  = nonce (12 bytes) || SM4-GCM ciphertext of up to 65536 bytes || tag (16 bytes)
    aad    = 0x02 || stream id || frame index (4 bytes, big-endian) || final flag (0x00/0x01) || context

Every frame but the last holds exactly 65536 plaintext bytes; the last holds 0-65536 and is the
only one sealed with the final flag. So reordering, dropping or duplicating frames, cutting the
file short, appending to it, or splicing in frames of another file (another stream id) all fail.
Overhead: 17 bytes plus 28 per frame (0.04 %).

``open_stream`` yields each frame only after its tag verified, but a truncated or tampered *later*
frame is found only when reached: a caller that must not act on a partial file (an HTTP download
may already have sent the first frames) either reads it to the end first or aborts the response.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator

from xuncha.common.crypto.primitives import NONCE_SIZE, TAG_SIZE, DecryptionError, check_key, decrypt, encrypt
from xuncha.common.crypto.primitives import random_bytes as _random
from xuncha.common.crypto.sealing import context_bytes

STREAM_VERSION = 0x02
FRAME_SIZE = 64 * 1024
STREAM_ID_SIZE = 16
HEADER_SIZE = 1 + STREAM_ID_SIZE
SEALED_FRAME_SIZE = NONCE_SIZE + FRAME_SIZE + TAG_SIZE
_MAX_FRAMES = 2**32  # the 4-byte index; 256 TiB, far past any upload


def sealed_size(plain_size: int) -> int:
    """Bytes ``seal_stream`` writes for ``plain_size`` bytes of input (a stored file's real size)."""
    frames = max(1, -(-plain_size // FRAME_SIZE))
    return HEADER_SIZE + plain_size + frames * (NONCE_SIZE + TAG_SIZE)


def _frame_aad(stream_id: bytes, index: int, final: bool, context: bytes) -> bytes:
    if index >= _MAX_FRAMES:
        raise ValueError("Stream too long for the 4-byte frame index.")
    return bytes([STREAM_VERSION]) + stream_id + index.to_bytes(4, "big") + bytes([final]) + context


def _pieces(chunks: Iterable[bytes], size: int) -> Iterator[tuple[bytes, bool]]:
    """Cut a byte stream into ``size``-byte pieces; the flag marks the last (0-``size`` bytes)."""
    buf = bytearray()
    for chunk in chunks:
        buf += chunk
        start = 0
        # Strictly more than one piece buffered: only then is this piece known not to be the last.
        while len(buf) - start > size:
            yield bytes(buf[start : start + size]), False
            start += size
        del buf[:start]  # once per chunk, so a caller's single huge chunk costs no quadratic copying
    yield bytes(buf), True


def seal_stream(dek: bytes, chunks: Iterable[bytes], *, context: str) -> Iterator[bytes]:
    """The sealed form of the bytes in ``chunks`` (e.g. ``upload.chunks()``): header, then frames."""
    # Arguments are checked now, not at the first next(): a wrong key fails where it is passed.
    check_key(dek)
    return _seal_frames(dek, chunks, context_bytes(context))


def _seal_frames(dek: bytes, chunks: Iterable[bytes], ctx: bytes) -> Iterator[bytes]:
    stream_id = _random(STREAM_ID_SIZE)
    yield bytes([STREAM_VERSION]) + stream_id
    for index, (piece, final) in enumerate(_pieces(chunks, FRAME_SIZE)):
        nonce = _random(NONCE_SIZE)
        yield nonce + encrypt(dek, nonce, piece, _frame_aad(stream_id, index, final, ctx))


def _split_header(chunks: Iterator[bytes]) -> tuple[bytes, Iterator[bytes]]:
    buf = b""
    for chunk in chunks:
        buf += chunk
        if len(buf) >= HEADER_SIZE:
            break
    if len(buf) < HEADER_SIZE:
        raise DecryptionError("Sealed stream is truncated.")
    if buf[0] != STREAM_VERSION:
        raise DecryptionError(f"Unknown sealed-stream version {buf[0]}.")
    return buf[:HEADER_SIZE], itertools.chain([buf[HEADER_SIZE:]], chunks)


def open_stream(dek: bytes, chunks: Iterable[bytes], *, context: str) -> Iterator[bytes]:
    """The plaintext of a sealed stream, frame by frame; ``DecryptionError`` at the first bad frame."""
    check_key(dek)
    return _open_frames(dek, iter(chunks), context_bytes(context))


def _open_frames(dek: bytes, chunks: Iterator[bytes], ctx: bytes) -> Iterator[bytes]:
    header, rest = _split_header(chunks)
    stream_id = header[1:]
    for index, (frame, final) in enumerate(_pieces(rest, SEALED_FRAME_SIZE)):
        if len(frame) < NONCE_SIZE + TAG_SIZE:
            raise DecryptionError("Sealed stream is truncated.")
        aad = _frame_aad(stream_id, index, final, ctx)
        yield decrypt(dek, frame[:NONCE_SIZE], frame[NONCE_SIZE:], aad)
