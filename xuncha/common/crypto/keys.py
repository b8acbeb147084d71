"""Master keys (KEKs): where they come from, how they are parsed, and the development fallback.

A key line is ``id:base64key`` (a 16-byte SM4 key). ``XUNCHA_MASTER_KEYS`` holds lines separated by
commas, ``XUNCHA_MASTER_KEY_FILE`` names a file with one line per key (``#`` starts a comment). The
first key is the active one, used for new data; the others only open data wrapped before a
rotation. Keys never go into the database: a stolen database or backup must be useless without them.
"""

from __future__ import annotations

import base64
import binascii
import logging
import os
import re
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from xuncha.common.crypto.primitives import KEY_SIZE, DecryptionError, random_bytes

logger = logging.getLogger(__name__)

KEY_ID_RE = re.compile(r"[A-Za-z0-9_-]{1,32}")
DEV_KEY_ID = "dev"  # reserved: data wrapped with the development key is recognisable by its id
# Bits of the key file's mode that must be clear: group write and any access by others.
_FORBIDDEN_MODE_BITS = 0o027


@dataclass(frozen=True)
class Keyring:
    active_id: str
    keys: Mapping[str, bytes] = field(repr=False)  # never in a log line or traceback
    source: str
    development: bool = False

    @property
    def active_key(self) -> bytes:
        return self.keys[self.active_id]

    def key(self, key_id: str) -> bytes:
        try:
            return self.keys[key_id]
        except KeyError:
            raise DecryptionError(f"Master key {key_id!r} is not configured (was it removed after a rotation?).")


def _parse_entry(entry: str, where: str, key_size: int = KEY_SIZE) -> tuple[str, bytes]:
    # Error messages name the position, never the text: it may be a real key with a typo.
    key_id, sep, encoded = entry.partition(":")
    key_id, encoded = key_id.strip(), encoded.strip()
    if not sep or not KEY_ID_RE.fullmatch(key_id):
        raise ImproperlyConfigured(f"{where}: expected 'id:base64key' with an id of 1-32 letters, digits, '-' or '_'.")
    if key_id == DEV_KEY_ID:
        raise ImproperlyConfigured(f"{where}: the key id {DEV_KEY_ID!r} is reserved for the development key.")
    try:
        key = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError):
        raise ImproperlyConfigured(f"{where}: the key of {key_id!r} is not valid base64.")
    if len(key) != key_size:
        raise ImproperlyConfigured(f"{where}: the key of {key_id!r} must decode to {key_size} bytes, not {len(key)}.")
    return key_id, key


def parse_keys(entries: Iterable[str], *, source: str, unit: str, key_size: int = KEY_SIZE) -> Keyring:
    """A keyring from key lines; ``ImproperlyConfigured`` naming ``source`` and position if one is bad.

    ``key_size`` is the SM4 key size by default; other keyrings (the audit MAC keys) pass theirs."""
    keys: dict[str, bytes] = {}
    for number, raw in enumerate(entries, start=1):
        entry = raw.split("#", 1)[0].strip()  # '#' is not in the base64 alphabet, so this is safe
        if not entry:
            continue
        key_id, key = _parse_entry(entry, f"{source}, {unit} {number}", key_size)
        if key_id in keys:
            raise ImproperlyConfigured(f"{source}, {unit} {number}: key id {key_id!r} appears twice.")
        keys[key_id] = key
    if not keys:
        raise ImproperlyConfigured(f"{source} holds no key.")
    return Keyring(active_id=next(iter(keys)), keys=keys, source=source)


def read_key_file(path: Path, *, setting: str = "XUNCHA_MASTER_KEY_FILE", key_size: int = KEY_SIZE) -> Keyring:
    source = f"{setting} {path}"
    try:
        with path.open(encoding="utf-8") as fh:
            mode = os.fstat(fh.fileno()).st_mode
            text = fh.read()
    except (OSError, UnicodeDecodeError) as exc:
        raise ImproperlyConfigured(f"{source} cannot be read: {exc}")
    if os.name == "posix" and mode & _FORBIDDEN_MODE_BITS:
        raise ImproperlyConfigured(
            f"{source} has mode {mode & 0o777:04o}: it must not be writable by its group nor readable by others "
            "(chown root:xuncha; chmod 0640)."
        )
    return parse_keys(text.splitlines(), source=source, unit="line", key_size=key_size)


def development_keyring(secret_key: str) -> Keyring:
    # Deterministic, so a developer's data stays readable across restarts; derived from SECRET_KEY
    # (HKDF-SM3) rather than a constant, so a copy of a dev database is not readable with the code alone.
    hkdf = HKDF(algorithm=hashes.SM3(), length=KEY_SIZE, salt=None, info=b"xuncha development master key v1")
    key = hkdf.derive(secret_key.encode("utf-8"))
    logger.warning(
        "!!! XUNCHA_MASTER_KEYS / XUNCHA_MASTER_KEY_FILE not set: using a development key derived from "
        "SECRET_KEY (development key — never in production). Data encrypted now cannot be opened "
        "once SECRET_KEY changes. !!!"
    )
    return Keyring(active_id=DEV_KEY_ID, keys={DEV_KEY_ID: key}, source="development key", development=True)


def load_keyring(*, keys: str, key_file: str, debug: bool, secret_key: str) -> Keyring:
    """The master keys the settings describe; pure, so tests can call it with any values."""
    if keys.strip() and key_file:
        raise ImproperlyConfigured("Set XUNCHA_MASTER_KEYS or XUNCHA_MASTER_KEY_FILE, not both.")
    if key_file:
        return read_key_file(Path(key_file))
    if keys.strip():
        return parse_keys(keys.split(","), source="XUNCHA_MASTER_KEYS", unit="entry")
    if debug:
        return development_keyring(secret_key)
    raise ImproperlyConfigured(
        "No master key: set XUNCHA_MASTER_KEY_FILE (or XUNCHA_MASTER_KEYS); see docs/deploy.md, 'Encryption keys'."
    )


# Cached per process and per settings values: a key file is read once (rotation means a restart),
# and tests that override the settings get a fresh keyring.
_cached_keyring = lru_cache(maxsize=8)(load_keyring)


def keyring() -> Keyring:
    return _cached_keyring(
        keys=getattr(settings, "XUNCHA_MASTER_KEYS", ""),
        key_file=str(getattr(settings, "XUNCHA_MASTER_KEY_FILE", "") or ""),
        debug=settings.DEBUG,
        secret_key=settings.SECRET_KEY,
    )


def master_keys_configured() -> bool:
    """Are real master keys configured (whether or not they load)? False means dev key or none."""
    keys = getattr(settings, "XUNCHA_MASTER_KEYS", "") or ""
    return bool(keys.strip() or getattr(settings, "XUNCHA_MASTER_KEY_FILE", ""))


def active_key_id() -> str:
    return keyring().active_id


def generate_key_line(key_id: str | None = None) -> str:
    """A new ``id:base64key`` line. The default id carries the date, so rotations read in order."""
    key_id = key_id or f"k{date.today():%Y%m%d}-{secrets.token_hex(2)}"
    if not KEY_ID_RE.fullmatch(key_id) or key_id == DEV_KEY_ID:
        raise ValueError("A key id is 1-32 letters, digits, '-' or '_' (and not 'dev').")
    return f"{key_id}:{base64.b64encode(random_bytes(KEY_SIZE)).decode('ascii')}"
