"""The load test's sign-in secrets: one password for the run, and each account's authenticator key
derived from it, so the command that installs the authenticators and the Locust process that types
the codes agree without passing keys around. Codes come from django-otp's own TOTP (as
``manage.py totp_code`` makes them); no settings are needed, so the Locust process imports this."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time

from django_otp.oath import TOTP

STEP = 30  # seconds per code: django-otp's TOTPDevice default, which the installed devices keep
DIGITS = 6


def new_password() -> str:
    """Random for every run, with the character classes the password validators ask for."""
    return f"Load-{secrets.token_urlsafe(18)}-9x"


def new_secret_key() -> str:
    """A throwaway SECRET_KEY for the run (the production check refuses fewer than 40 characters)."""
    return secrets.token_urlsafe(50)


def totp_key(password: str, username: str) -> str:
    """The hex TOTP secret (20 bytes, as django-otp stores it) of ``username`` for this run."""
    digest = hmac.new(password.encode(), f"xuncha-load-totp:{username}".encode(), hashlib.sha256)
    return digest.digest()[:20].hex()


def current_step(now: float | None = None) -> int:
    return int((time.time() if now is None else now) // STEP)


def totp_code(key_hex: str, step: int) -> str:
    """The code an authenticator app shows during time step ``step``."""
    totp = TOTP(bytes.fromhex(key_hex), step=STEP, t0=0, digits=DIGITS, drift=0)
    totp.time = step * STEP
    return f"{totp.token():0{DIGITS}d}"
