"""Sealing fields with a data key: SM4-GCM, random nonce, the field's context as associated data.

Blob format (version 1)::

    0x01 || nonce (12 bytes) || ciphertext || tag (16 bytes)

The associated data is ``0x01 || context`` (UTF-8). ``context`` names the field and record, e.g.
``"report:123:text"``, so a ciphertext copied into another field or record no longer opens; the
version byte in it keeps field blobs and stream frames (version 2) from ever standing in for each
other. Random 96-bit nonces are safe here because one DEK seals only a handful of fields, far below
the 2**32 messages per key that random GCM nonces allow.
"""

from __future__ import annotations

from xuncha.common.crypto.primitives import NONCE_SIZE, TAG_SIZE, DecryptionError, check_key, decrypt, encrypt
from xuncha.common.crypto.primitives import random_bytes as _random

FIELD_VERSION = 0x01
FIELD_OVERHEAD = 1 + NONCE_SIZE + TAG_SIZE  # 29 bytes per sealed field


def context_bytes(context: str) -> bytes:
    # An empty context would let a blob open in any field: callers must always name one.
    if not isinstance(context, str) or not context:
        raise ValueError("A non-empty context string is required (e.g. 'report:123:text').")
    return context.encode("utf-8")


def seal(dek: bytes, plaintext: bytes, *, context: str) -> bytes:
    """Encrypt and authenticate ``plaintext`` for the field named by ``context``."""
    check_key(dek)
    header = bytes([FIELD_VERSION])
    nonce = _random(NONCE_SIZE)
    return header + nonce + encrypt(dek, nonce, bytes(plaintext), header + context_bytes(context))


def open_sealed(dek: bytes, blob: bytes, *, context: str) -> bytes:
    """The plaintext of ``blob``; ``DecryptionError`` on tamper, wrong key, wrong context or bad format."""
    check_key(dek)
    aad = bytes([FIELD_VERSION]) + context_bytes(context)
    blob = bytes(blob)  # a database driver may hand back memoryview
    if len(blob) < FIELD_OVERHEAD:
        raise DecryptionError("Sealed value is truncated.")
    if blob[0] != FIELD_VERSION:
        raise DecryptionError(f"Unknown sealed-value version {blob[0]}.")
    return decrypt(dek, blob[1 : 1 + NONCE_SIZE], blob[1 + NONCE_SIZE :], aad)


def seal_text(dek: bytes, text: str, *, context: str) -> bytes:
    return seal(dek, text.encode("utf-8"), context=context)


def open_text(dek: bytes, blob: bytes, *, context: str) -> str:
    try:
        return open_sealed(dek, blob, context=context).decode("utf-8")
    except UnicodeDecodeError:  # only reachable if the plaintext sealed was not our UTF-8
        raise DecryptionError("Sealed value is not UTF-8 text.")
