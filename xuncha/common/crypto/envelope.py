"""Data keys (DEKs): one random SM4 key per record, stored with the record wrapped by a master key.

Wrapped form: ``"<kid>:" + base64(nonce || SM4-GCM(KEK[kid], dek) || tag)`` with ``kid`` as the
associated data, so a wrapped key cannot be relabelled to another master key. Rotation re-wraps the
small DEKs (``rewrap``); the records' ciphertexts never need re-encrypting.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass, field

from xuncha.common.crypto.keys import KEY_ID_RE, Keyring, keyring
from xuncha.common.crypto.primitives import KEY_SIZE, NONCE_SIZE, TAG_SIZE, DecryptionError, decrypt, encrypt
from xuncha.common.crypto.primitives import random_bytes as _random

_WRAPPED_BYTES = NONCE_SIZE + KEY_SIZE + TAG_SIZE  # 44 bytes, 60 in base64
# Length for the CharField that stores a wrapped key: a 32-character id, ':' and 60 characters.
WRAPPED_KEY_MAX_LENGTH = 100


@dataclass(frozen=True)
class DataKey:
    plain: bytes = field(repr=False)  # keep it out of logs and tracebacks; never store it
    wrapped: str


def wrap_with(ring: Keyring, key_id: str, dek: bytes) -> str:
    """``dek`` wrapped under the master key ``key_id`` of ``ring`` (normally the active one)."""
    nonce = _random(NONCE_SIZE)
    sealed = encrypt(ring.key(key_id), nonce, dek, key_id.encode("ascii"))
    return f"{key_id}:{base64.b64encode(nonce + sealed).decode('ascii')}"


def _split(wrapped: str) -> tuple[str, bytes]:
    if not isinstance(wrapped, str):
        raise DecryptionError("Malformed wrapped data key.")
    key_id, sep, encoded = wrapped.partition(":")
    try:
        raw = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError):
        raw = b""
    if not sep or not KEY_ID_RE.fullmatch(key_id) or len(raw) != _WRAPPED_BYTES:
        raise DecryptionError("Malformed wrapped data key.")
    return key_id, raw


def unwrap_with(ring: Keyring, wrapped: str) -> bytes:
    key_id, raw = _split(wrapped)
    return decrypt(ring.key(key_id), raw[:NONCE_SIZE], raw[NONCE_SIZE:], key_id.encode("ascii"))


def new_data_key() -> DataKey:
    """A fresh random DEK for one record, and its wrapped form to store with the record."""
    dek = _random(KEY_SIZE)
    ring = keyring()
    return DataKey(plain=dek, wrapped=wrap_with(ring, ring.active_id, dek))


def unwrap(wrapped: str) -> bytes:
    """The DEK inside ``wrapped``; ``DecryptionError`` if malformed, tampered or its KEK is gone."""
    return unwrap_with(keyring(), wrapped)


def wrapped_key_id(wrapped: str) -> str:
    """The master key id a wrapped DEK depends on (what a rotation command filters on)."""
    return _split(wrapped)[0]


def rewrap(wrapped: str) -> str:
    """``wrapped`` re-wrapped under the active master key; unchanged if it already is (but verified)."""
    ring = keyring()
    dek = unwrap_with(ring, wrapped)  # verifies it, even when it is already under the active key
    if wrapped_key_id(wrapped) == ring.active_id:
        return wrapped
    return wrap_with(ring, ring.active_id, dek)
