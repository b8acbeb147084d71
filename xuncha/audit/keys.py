"""The audit log's two keys, both kept outside the database (like the master keys of public reports).

- **MAC keys** (``XUNCHA_AUDIT_MAC_KEY_FILE`` or ``XUNCHA_AUDIT_MAC_KEYS``): lines ``id:base64`` of
  32-byte keys for HMAC-SM3 over every entry. Someone who can write the database but not read this
  key cannot add or rewrite an entry that verifies.
- **Signing keys** (``XUNCHA_AUDIT_SIGNING_KEY_FILE`` or ``XUNCHA_AUDIT_SIGNING_KEYS``): lines
  ``id:base64`` of 32-byte Ed25519 private keys that sign checkpoints of the chain's head. An auditor
  needs only the public keys (``manage.py audit_keys public``) to check the checkpoints.

In both, the first line is the active key; the others verify what was written before a rotation.
Why Ed25519 and not SM2: ``cryptography`` (OpenSSL, maintained, constant-time) does not expose SM2
signatures, and the pure-Python SM2 packages (gmssl) are neither constant-time nor regularly
maintained. A checkpoint names its algorithm, so an SM2 signer (a hardware 密码机 where 密评 asks for
one) can be added beside Ed25519 without changing the stored format.
"""

from __future__ import annotations

import base64
import logging
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from xuncha.common.crypto.keys import DEV_KEY_ID, Keyring, parse_keys, read_key_file

logger = logging.getLogger(__name__)

KEY_BYTES = 32
SIGNATURE_ALGORITHM = "Ed25519"


def _development(secret_key: str, info: bytes, what: str) -> Keyring:
    # Derived from SECRET_KEY (HKDF-SM3), like the development master key: stable across restarts.
    key = HKDF(algorithm=hashes.SM3(), length=KEY_BYTES, salt=None, info=info).derive(secret_key.encode())
    logger.warning("!!! %s not set: using a development key derived from SECRET_KEY (never in production). !!!", what)
    return Keyring(active_id=DEV_KEY_ID, keys={DEV_KEY_ID: key}, source="development key", development=True)


def _load(*, keys: str, key_file: str, setting: str, debug: bool, secret_key: str, info: bytes) -> Keyring:
    if keys.strip() and key_file:
        raise ImproperlyConfigured(f"Set {setting}S or {setting}_FILE, not both.")
    if key_file:
        return read_key_file(Path(key_file), setting=f"{setting}_FILE", key_size=KEY_BYTES)
    if keys.strip():
        return parse_keys(keys.split(","), source=f"{setting}S", unit="entry", key_size=KEY_BYTES)
    if debug:
        return _development(secret_key, info, f"{setting}S / {setting}_FILE")
    raise ImproperlyConfigured(
        f"No audit key: set {setting}_FILE (or {setting}S); see docs/deploy.md, 'Audit keys and checkpoints'."
    )


_cached = lru_cache(maxsize=16)(_load)


def _ring(setting: str, info: bytes) -> Keyring:
    return _cached(
        keys=getattr(settings, f"{setting}S", "") or "",
        key_file=str(getattr(settings, f"{setting}_FILE", "") or ""),
        setting=setting,
        debug=settings.DEBUG,
        secret_key=settings.SECRET_KEY,
        info=info,
    )


def mac_keyring() -> Keyring:
    return _ring("XUNCHA_AUDIT_MAC_KEY", b"xuncha development audit mac key v1")


def signing_keyring() -> Keyring:
    return _ring("XUNCHA_AUDIT_SIGNING_KEY", b"xuncha development audit signing key v1")


def audit_keys_configured() -> bool:
    return all(
        (getattr(settings, f"{name}S", "") or "").strip() or getattr(settings, f"{name}_FILE", "")
        for name in ("XUNCHA_AUDIT_MAC_KEY", "XUNCHA_AUDIT_SIGNING_KEY")
    )


@dataclass(frozen=True)
class Signer:
    key_id: str
    private_key: Ed25519PrivateKey

    def sign(self, message: bytes) -> bytes:
        return self.private_key.sign(message)


def active_signer() -> Signer:
    ring = signing_keyring()
    return Signer(ring.active_id, Ed25519PrivateKey.from_private_bytes(ring.active_key))


def public_key_bytes(private: bytes) -> bytes:
    return Ed25519PrivateKey.from_private_bytes(private).public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)


def configured_public_keys() -> dict[str, Ed25519PublicKey]:
    """The public halves of every configured signing key (active and rotated out)."""
    return {kid: Ed25519PublicKey.from_public_bytes(public_key_bytes(k)) for kid, k in signing_keyring().keys.items()}


def read_public_keys(path: Path) -> dict[str, Ed25519PublicKey]:
    """Public keys from a file of ``id:base64`` lines, as ``audit_keys public`` prints them."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise ImproperlyConfigured(f"公钥文件 {path} 无法读取：{exc}")
    ring = parse_keys(lines, source=f"公钥文件 {path}", unit="行", key_size=KEY_BYTES)
    return {kid: Ed25519PublicKey.from_public_bytes(k) for kid, k in ring.keys.items()}


def public_key_lines() -> list[str]:
    return [f"{kid}:{base64.b64encode(public_key_bytes(k)).decode()}" for kid, k in signing_keyring().keys.items()]
