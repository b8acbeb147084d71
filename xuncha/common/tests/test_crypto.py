"""Encryption at rest: SM4-GCM sealing, the stream format, master keys, wrapping and rotation."""

from __future__ import annotations

import base64
import io
import logging
import os

import pytest
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from django.core.checks import run_checks
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command

from xuncha.common.crypto import (
    WRAPPED_KEY_MAX_LENGTH,
    DecryptionError,
    active_key_id,
    generate_key_line,
    master_keys_configured,
    new_data_key,
    open_sealed,
    open_stream,
    open_text,
    rewrap,
    seal,
    seal_stream,
    seal_text,
    sealed_size,
    unwrap,
    wrapped_key_id,
)
from xuncha.common.crypto.checks import check_master_keys
from xuncha.common.crypto.keys import load_keyring, parse_keys
from xuncha.common.crypto.primitives import decrypt, encrypt
from xuncha.common.crypto.stream import FRAME_SIZE, HEADER_SIZE, SEALED_FRAME_SIZE

DEK = bytes(range(16))
OTHER_DEK = bytes(range(1, 17))
CTX = "report:123:text"


def b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode()


KEY_A = b"A" * 16
KEY_B = b"B" * 16
LINE_A = f"ka:{b64(KEY_A)}"
LINE_B = f"kb:{b64(KEY_B)}"


def flip(data: bytes, index: int) -> bytes:
    out = bytearray(data)
    out[index] ^= 0x01
    return bytes(out)


def stream_bytes(plain: bytes, *, chunk: int | None = None, context: str = CTX) -> bytes:
    chunks = [plain] if chunk is None else [plain[i : i + chunk] for i in range(0, len(plain), chunk)]
    return b"".join(seal_stream(DEK, chunks, context=context))


def open_all(sealed: bytes, *, context: str = CTX, dek: bytes = DEK) -> bytes:
    return b"".join(open_stream(dek, [sealed], context=context))


# --- the cipher is really SM4-GCM ------------------------------------------------------------


def test_sm4_gcm_matches_rfc_8998_vector():
    # RFC 8998, Appendix A.1 (SM4-GCM test vector).
    key = bytes.fromhex("0123456789ABCDEFFEDCBA9876543210")
    nonce = bytes.fromhex("00001234567800000000ABCD")
    aad = bytes.fromhex("FEEDFACEDEADBEEFFEEDFACEDEADBEEFABADDAD2")
    plain = bytes.fromhex(
        "AAAAAAAAAAAAAAAABBBBBBBBBBBBBBBBCCCCCCCCCCCCCCCCDDDDDDDDDDDDDDDD"
        "EEEEEEEEEEEEEEEEFFFFFFFFFFFFFFFFEEEEEEEEEEEEEEEEAAAAAAAAAAAAAAAA"
    )
    expected = bytes.fromhex(
        "17F399F08C67D5EE19D0DC9969C4BB7D5FD46FD3756489069157B282BB200735"
        "D82710CA5C22F0CCFA7CBF93D496AC15A56834CBCF98C397B4024A2691233B8D"
        "83DE3541E4C2B58177E065A9BF7B62EC"  # the tag
    )
    assert encrypt(key, nonce, plain, aad) == expected
    assert decrypt(key, nonce, expected, aad) == plain


def test_sealed_field_is_the_documented_sm4_gcm_format():
    blob = seal(DEK, b"secret", context=CTX)
    version, nonce, body, tag = blob[0], blob[1:13], blob[13:-16], blob[-16:]
    decryptor = Cipher(algorithms.SM4(DEK), modes.GCM(nonce, tag)).decryptor()
    decryptor.authenticate_additional_data(b"\x01" + CTX.encode())
    assert version == 1
    assert decryptor.update(body) + decryptor.finalize() == b"secret"


# --- fields ----------------------------------------------------------------------------------


@pytest.mark.parametrize("plain", [b"", b"x", "举报内容：某局长违规收受礼金。".encode(), os.urandom(1_000_000)])
def test_seal_round_trips_bytes(plain):
    blob = seal(DEK, plain, context=CTX)
    assert len(blob) == len(plain) + 29
    assert open_sealed(DEK, blob, context=CTX) == plain
    assert open_sealed(DEK, memoryview(blob), context=CTX) == plain  # as some drivers return it


def test_seal_text_round_trips_and_hides_the_text():
    text = "联系电话 13800000000，反映某乡镇扶贫资金问题"
    blob = seal_text(DEK, text, context=CTX)
    assert text.encode() not in blob and b"13800000000" not in blob
    assert open_text(DEK, blob, context=CTX) == text


def test_two_seals_of_the_same_plaintext_differ():
    assert seal(DEK, b"same", context=CTX) != seal(DEK, b"same", context=CTX)


@pytest.mark.parametrize(
    "index", [0, 1, 12, 13, 20, -16, -1], ids=["version", "nonce", "nonce-end", "body", "body2", "tag", "tag-end"]
)
def test_any_flipped_byte_is_refused(index):
    blob = seal(DEK, b"some report text", context=CTX)
    with pytest.raises(DecryptionError):
        open_sealed(DEK, flip(blob, index), context=CTX)


@pytest.mark.parametrize("context", ["report:124:text", "report:123:contact", "report:123:text "])
def test_a_sealed_value_does_not_open_in_another_field_or_record(context):
    with pytest.raises(DecryptionError):
        open_sealed(DEK, seal(DEK, b"x", context=CTX), context=context)


def test_wrong_data_key_and_truncation_are_refused():
    blob = seal(DEK, b"some report text", context=CTX)
    with pytest.raises(DecryptionError):
        open_sealed(OTHER_DEK, blob, context=CTX)
    for cut in (blob[:-1], blob[:28], b""):
        with pytest.raises(DecryptionError):
            open_sealed(DEK, cut, context=CTX)


def test_open_text_refuses_bytes_that_are_not_utf8():
    with pytest.raises(DecryptionError, match="UTF-8"):
        open_text(DEK, seal(DEK, b"\xff\xfe", context=CTX), context=CTX)


@pytest.mark.parametrize("dek", [b"short", b"x" * 32, "0123456789abcdef"])
def test_bad_data_keys_are_programming_errors(dek):
    with pytest.raises(ValueError):
        seal(dek, b"x", context=CTX)
    with pytest.raises(ValueError):
        seal_stream(dek, [b"x"], context=CTX)


def test_a_context_is_required():
    with pytest.raises(ValueError):
        seal(DEK, b"x", context="")
    with pytest.raises(ValueError):
        open_stream(DEK, [b""], context="")


# --- streams (attachments) -------------------------------------------------------------------


@pytest.mark.parametrize("size", [0, 1, FRAME_SIZE - 1, FRAME_SIZE, FRAME_SIZE + 1, 3 * FRAME_SIZE, 200_001])
@pytest.mark.parametrize("chunk", [None, 1000, FRAME_SIZE + 7])
def test_stream_round_trips_whatever_the_chunking(size, chunk):
    plain = os.urandom(size)
    sealed = stream_bytes(plain, chunk=chunk)
    assert len(sealed) == sealed_size(size)
    assert open_all(sealed) == plain
    # The reader's chunking is independent of the writer's.
    pieces = [sealed[i : i + 999] for i in range(0, len(sealed), 999)]
    assert b"".join(open_stream(DEK, pieces, context=CTX)) == plain


def test_stream_of_a_large_file_in_one_chunk():
    plain = os.urandom(5 * 1024 * 1024 + 3)
    assert open_all(stream_bytes(plain)) == plain


def test_two_streams_of_the_same_file_differ():
    assert stream_bytes(b"same") != stream_bytes(b"same")


def _frames(sealed: bytes) -> tuple[bytes, list[bytes]]:
    body = sealed[HEADER_SIZE:]
    return sealed[:HEADER_SIZE], [body[i : i + SEALED_FRAME_SIZE] for i in range(0, len(body), SEALED_FRAME_SIZE)]


PLAIN_3 = bytes(range(256)) * (3 * FRAME_SIZE // 256) + b"tail"  # 4 frames, the last short


def _tampered_streams() -> dict[str, bytes]:
    sealed = stream_bytes(PLAIN_3)
    header, frames = _frames(sealed)
    other_header, other_frames = _frames(stream_bytes(PLAIN_3))  # same key, same context
    return {
        "version": flip(sealed, 0),
        "stream id": flip(sealed, 5),
        "nonce": flip(sealed, HEADER_SIZE + SEALED_FRAME_SIZE + 3),
        "body": flip(sealed, HEADER_SIZE + 2 * SEALED_FRAME_SIZE + 100),
        "tag": flip(sealed, len(sealed) - 1),
        "swapped frames": header + frames[1] + frames[0] + b"".join(frames[2:]),
        "last frame dropped": header + b"".join(frames[:-1]),
        "middle frame dropped": header + frames[0] + b"".join(frames[2:]),
        "frame duplicated": header + frames[0] + b"".join(frames),
        "cut mid-frame": sealed[:-10],
        "cut to header": sealed[:HEADER_SIZE],
        "cut inside header": sealed[:5],
        "empty": b"",
        "appended frame": sealed + other_frames[-1],
        "spliced from another file": header + frames[0] + other_frames[1] + b"".join(frames[2:]),
        "other file's header": other_header + b"".join(frames),
    }


@pytest.mark.parametrize("case", list(_tampered_streams()))
def test_tampered_streams_are_refused(case):
    with pytest.raises(DecryptionError):
        open_all(_tampered_streams()[case])


def test_stream_refuses_wrong_context_and_wrong_key():
    sealed = stream_bytes(b"attachment")
    with pytest.raises(DecryptionError):
        open_all(sealed, context="report:123:attachment:2")
    with pytest.raises(DecryptionError):
        open_all(sealed, dek=OTHER_DEK)


def test_stream_releases_only_verified_frames_before_the_break():
    header, frames = _frames(stream_bytes(PLAIN_3))
    opened = open_stream(DEK, [header + b"".join(frames[:-1])], context=CTX)  # cut short
    assert next(opened) == PLAIN_3[:FRAME_SIZE]
    with pytest.raises(DecryptionError):
        list(opened)


# --- master keys -----------------------------------------------------------------------------


def _load(keys: str = "", key_file: str = "", debug: bool = False, secret_key: str = "s" * 50):
    return load_keyring(keys=keys, key_file=key_file, debug=debug, secret_key=secret_key)


def test_keys_from_the_environment_string():
    ring = _load(keys=f" {LINE_A} , {LINE_B} ")
    assert ring.active_id == "ka"
    assert dict(ring.keys) == {"ka": KEY_A, "kb": KEY_B}
    assert b64(KEY_A) not in repr(ring)


def test_keys_from_a_key_file(tmp_path, settings):
    path = tmp_path / "master.keys"
    path.write_text(f"# rotated 2026-03-01\n\n{LINE_B}   # new, active\n{LINE_A}\n", encoding="utf-8")
    path.chmod(0o640)
    settings.XUNCHA_MASTER_KEYS, settings.XUNCHA_MASTER_KEY_FILE = "", str(path)
    assert active_key_id() == "kb"
    assert master_keys_configured()
    assert unwrap(new_data_key().wrapped)


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("nocolon", "expected 'id:base64key'"),
        (f"bad id!:{b64(KEY_A)}", "expected 'id:base64key'"),
        (f":{b64(KEY_A)}", "expected 'id:base64key'"),
        ("ka:not*base64", "not valid base64"),
        (f"ka:{b64(b'x' * 15)}", "must decode to 16 bytes, not 15"),
        (f"ka:{b64(b'x' * 32)}", "must decode to 16 bytes, not 32"),
        (f"dev:{b64(KEY_A)}", "reserved"),
        (f"{LINE_A},{LINE_A}", "appears twice"),
        (" , ", "holds no key"),
    ],
)
def test_malformed_keys_are_refused_clearly(line, message):
    with pytest.raises(ImproperlyConfigured, match=message) as info:
        _load(keys=line)
    assert "XUNCHA_MASTER_KEYS" in str(info.value)
    assert "not*base64" not in str(info.value)  # the message names the position, never the key


def test_a_bad_line_in_the_key_file_is_named_by_number(tmp_path):
    path = tmp_path / "master.keys"
    path.write_text(f"# comment\n{LINE_A}\nka:{b64(b'short')}\n", encoding="utf-8")
    path.chmod(0o600)
    with pytest.raises(ImproperlyConfigured, match=r"master.keys, line 3: the key of 'ka'"):
        _load(key_file=str(path))


@pytest.mark.skipif(os.name != "posix", reason="file modes")
@pytest.mark.parametrize("mode", [0o644, 0o660, 0o604])
def test_a_key_file_open_to_others_is_refused(tmp_path, mode):
    path = tmp_path / "master.keys"
    path.write_text(LINE_A)
    path.chmod(mode)
    with pytest.raises(ImproperlyConfigured, match="must not be writable by its group nor readable by others"):
        _load(key_file=str(path))


def test_a_missing_key_file_or_both_sources_are_refused(tmp_path):
    with pytest.raises(ImproperlyConfigured, match="cannot be read"):
        _load(key_file=str(tmp_path / "absent.keys"))
    with pytest.raises(ImproperlyConfigured, match="not both"):
        _load(keys=LINE_A, key_file=str(tmp_path / "absent.keys"))


def test_no_key_outside_debug_is_refused(settings):
    with pytest.raises(ImproperlyConfigured, match="No master key"):
        _load(debug=False)
    settings.XUNCHA_MASTER_KEYS, settings.DEBUG = "", False
    assert not master_keys_configured()
    with pytest.raises(ImproperlyConfigured):
        new_data_key()


def test_debug_without_keys_uses_a_loud_deterministic_development_key(caplog):
    with caplog.at_level(logging.WARNING, logger="xuncha.common.crypto.keys"):
        ring = _load(debug=True)
    assert "development key — never in production" in caplog.text
    assert ring.development and ring.active_id == "dev"
    assert _load(debug=True).active_key == ring.active_key  # survives restarts
    assert _load(debug=True, secret_key="t" * 50).active_key != ring.active_key


# --- data keys and rotation ------------------------------------------------------------------


def test_new_data_keys_are_random_and_wrapped_under_the_active_key():
    first, second = new_data_key(), new_data_key()
    assert len(first.plain) == 16 and first.plain != second.plain
    assert first.wrapped.startswith("test:") and wrapped_key_id(first.wrapped) == "test"
    assert unwrap(first.wrapped) == first.plain
    assert first.plain.hex() not in repr(first) and str(first.plain) not in repr(first)


def test_wrapped_key_fits_its_column():
    ring = _load(keys=f"{'x' * 32}:{b64(KEY_A)}")
    from xuncha.common.crypto.envelope import wrap_with

    assert len(wrap_with(ring, ring.active_id, DEK)) <= WRAPPED_KEY_MAX_LENGTH


@pytest.mark.parametrize(
    "wrapped", ["", "test", "test:", "test:!!!!", "te st:AAAA", f"test:{b64(b'x' * 43)}", None, b"test:AA"]
)
def test_malformed_wrapped_keys_are_refused(wrapped):
    with pytest.raises(DecryptionError, match="Malformed"):
        unwrap(wrapped)


def test_a_tampered_or_relabelled_wrapped_key_is_refused(settings):
    settings.XUNCHA_MASTER_KEYS = f"{LINE_A},{LINE_B}"
    wrapped = new_data_key().wrapped
    raw = base64.b64decode(wrapped.split(":", 1)[1])
    for index in (0, 20, len(raw) - 1):  # nonce, wrapped key, tag
        with pytest.raises(DecryptionError):
            unwrap("ka:" + b64(flip(raw, index)))
    with pytest.raises(DecryptionError):  # the key id is associated data: it cannot be swapped
        unwrap(wrapped.replace("ka:", "kb:"))


def test_wrong_master_key_under_the_same_id_is_refused(settings):
    settings.XUNCHA_MASTER_KEYS = LINE_A
    wrapped = new_data_key().wrapped
    settings.XUNCHA_MASTER_KEYS = f"ka:{b64(KEY_B)}"
    with pytest.raises(DecryptionError):
        unwrap(wrapped)


def test_rotation_keeps_old_data_readable_and_rewrap_moves_it(settings):
    settings.XUNCHA_MASTER_KEYS = LINE_A
    data_key = new_data_key()
    blob = seal_text(data_key.plain, "旧数据", context=CTX)

    settings.XUNCHA_MASTER_KEYS = f"{LINE_B},{LINE_A}"  # new key first, old one kept
    assert active_key_id() == "kb"
    assert unwrap(data_key.wrapped) == data_key.plain
    moved = rewrap(data_key.wrapped)
    assert wrapped_key_id(moved) == "kb" and moved != data_key.wrapped
    assert rewrap(moved) == moved  # already under the active key: nothing to write

    settings.XUNCHA_MASTER_KEYS = LINE_B  # old key retired after the rewrap
    assert open_text(unwrap(moved), blob, context=CTX) == "旧数据"
    with pytest.raises(DecryptionError, match="'ka' is not configured"):
        unwrap(data_key.wrapped)


# --- the deploy check and the command --------------------------------------------------------


def _ids(messages) -> list[str]:
    return [m.id for m in messages if m.id.startswith("common.")]


def test_deploy_check_errors_without_keys_in_production(settings):
    settings.XUNCHA_MASTER_KEYS, settings.XUNCHA_MASTER_KEY_FILE, settings.DEBUG = "", "", False
    assert _ids(check_master_keys()) == ["common.E001"]
    assert "common.E001" in _ids(run_checks(include_deployment_checks=True))
    assert "common.E001" not in _ids(run_checks())  # a deploy check only


def test_deploy_check_states(settings, tmp_path):
    settings.XUNCHA_MASTER_KEY_FILE = ""
    assert check_master_keys() == []  # the test key
    settings.XUNCHA_MASTER_KEYS = "broken"
    assert _ids(check_master_keys()) == ["common.E002"]
    settings.XUNCHA_MASTER_KEYS, settings.DEBUG = "", True
    assert _ids(check_master_keys()) == ["common.W002"]
    settings.MEDIA_ROOT = tmp_path
    path = tmp_path / "master.keys"
    path.write_text(LINE_A)
    path.chmod(0o600)
    settings.XUNCHA_MASTER_KEY_FILE = str(path)
    assert _ids(check_master_keys()) == ["common.W001"]


def test_generate_prints_a_line_that_loads():
    out, err = io.StringIO(), io.StringIO()
    call_command("crypto_keys", "generate", stdout=out, stderr=err)
    line = out.getvalue().strip()
    ring = parse_keys([line], source="test", unit="line")
    assert len(ring.active_key) == 16 and ring.active_id.startswith("k")
    assert "FIRST" in err.getvalue()
    assert generate_key_line() != generate_key_line()


def test_generate_with_an_id():
    out = io.StringIO()
    call_command("crypto_keys", "generate", "--id", "k2026a", stdout=out)
    assert out.getvalue().startswith("k2026a:")
    with pytest.raises(CommandError):
        call_command("crypto_keys", "generate", "--id", "bad:id")


def test_check_command_round_trips_every_key_and_prints_no_key(settings):
    settings.XUNCHA_MASTER_KEYS = f"{LINE_B},{LINE_A}"
    out = io.StringIO()
    call_command("crypto_keys", "check", stdout=out)
    assert "active 'kb'; all: kb, ka" in out.getvalue()
    assert b64(KEY_A) not in out.getvalue() and b64(KEY_B) not in out.getvalue()


def test_check_command_fails_without_keys(settings):
    settings.XUNCHA_MASTER_KEYS, settings.DEBUG = "", False
    with pytest.raises(CommandError, match="No master key"):
        call_command("crypto_keys", "check")
