"""Receipt codes: 16 random digits shown once; stored only as a slow hash (Argon2id).

The hash uses the installation's salt rather than a per-row salt so that a code can be looked up
(one indexed equality); Argon2's cost makes guessing expensive even with the database in hand,
and the follow-up page throttles guesses on top (see throttle.py).
"""

from __future__ import annotations

import secrets
import unicodedata

from argon2.low_level import Type, hash_secret_raw
from django.conf import settings

from xuncha.audit.chain import sm3_hex

CODE_DIGITS = 16


def new_code() -> str:
    return "".join(secrets.choice("0123456789") for _ in range(CODE_DIGITS))


def normalise(raw: str) -> str | None:
    """ASCII digits only; None if malformed.

    People type spaces and dashes when copying from paper, and Chinese input methods type
    full-width digits: any decimal digit counts, everything else is a separator.
    """
    raw = raw or ""
    if len(raw) > 40:
        return None
    digits = "".join(str(d) for d in (unicodedata.decimal(ch, None) for ch in raw) if d is not None)
    return digits if len(digits) == CODE_DIGITS else None


def _salt() -> bytes:
    configured = getattr(settings, "XUNCHA_RECEIPT_SALT", "")
    # Derived from the secret key when not set: stable for the installation, never in the database.
    return bytes.fromhex(sm3_hex(f"receipt-salt:{configured or settings.SECRET_KEY}".encode()))[:16]


def code_hash(code: str) -> str:
    cost = settings.XUNCHA_RECEIPT_ARGON2
    raw = hash_secret_raw(
        secret=code.encode("ascii"),
        salt=_salt(),
        time_cost=cost["time_cost"],
        memory_cost=cost["memory_cost"],
        parallelism=cost["parallelism"],
        hash_len=32,
        type=Type.ID,
    )
    return raw.hex()
