"""Throttling of the public pages, in the cache only (never the database or the logs): receipt-code
guesses on the follow-up page, and submissions of the report form.

Submissions: each client (address, as below) may post the report form
``XUNCHA_REPORT_POSTS_PER_HOUR`` times in a fixed hour; past that it gets the 429 page "提交过于频繁"
until the hour is over. Only that client.

Receipt-code guesses:

No limit here can be spent by one person for everyone (issue 13, finding 5). Counts of wrong codes,
each for a fixed window, keyed by hashes with the secret key (settings ``XUNCHA_RECEIPT_THROTTLE``):

- per client (the address; an IPv6 client by its /64, the block one host is given, so rotating
  addresses inside it buys nothing): after ``captcha_after`` the client must solve a captcha, at
  ``per_client`` it is refused until the window ends. Only that client;
- per code prefix (the first ``prefix_digits`` digits): after ``per_prefix``, codes there need the
  captcha, so guessing one region of the code space is slowed without touching the others;
- installation-wide: above ``global``, everyone gets the captcha. A signal, never a block.

A right code with a right captcha always gets in unless that very client reached its ceiling. Every
decision is taken before the code is looked at, so none tells whether a code exists. A success does
not reset the counts: a receipt of one's own would otherwise refill a guesser's budget.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache

from xuncha.audit.chain import sm3_hex

WINDOW_SECONDS = 15 * 60
REPORT_WINDOW_SECONDS = 60 * 60
GLOBAL_KEY = "intake:guess:all"


@dataclass(frozen=True)
class Gate:
    refused: bool  # this client reached its ceiling
    captcha: bool  # a captcha must come with the code


def client_id(request) -> str:
    """The address as a throttle sees it: IPv4 as is, IPv6 by its /64. Only ever hashed."""
    raw = request.META.get("REMOTE_ADDR", "")
    try:
        ip = ipaddress.ip_address(raw)
    except ValueError:
        return raw
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped:
            return str(ip.ipv4_mapped)
        return str(ipaddress.IPv6Network((ip, 64), strict=False))
    return str(ip)


def _key(kind: str, value: str) -> str:
    return f"intake:guess:{kind}:" + sm3_hex(f"{settings.SECRET_KEY}:{kind}:{value}".encode())[:24]


def _keys(request, code: str | None) -> tuple[str, str | None]:
    digits = settings.XUNCHA_RECEIPT_THROTTLE["prefix_digits"]
    return _key("client", client_id(request)), _key("prefix", code[:digits]) if code else None


def gate(request, code: str | None = None) -> Gate:
    """What this client must do before ``code`` (normalised, None if malformed or not yet typed) is checked."""
    limits = settings.XUNCHA_RECEIPT_THROTTLE
    client, prefix = _keys(request, code)
    counts = cache.get_many([k for k in (client, prefix, GLOBAL_KEY) if k])
    mine = counts.get(client, 0)
    return Gate(
        refused=mine >= limits["per_client"],
        captcha=mine >= limits["captcha_after"]
        or counts.get(GLOBAL_KEY, 0) >= limits["global"]
        or (prefix is not None and counts.get(prefix, 0) >= limits["per_prefix"]),
    )


def _bump(key: str, seconds: int = WINDOW_SECONDS) -> None:
    if cache.add(key, 1, seconds):
        return
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, seconds)


def report_post_allowed(request) -> bool:
    """Counts one submission of the report form by this client; False once it is past its hourly
    share (checked before the form, so a refused flood costs no parsing of uploads)."""
    key = _key("report", client_id(request))
    if cache.get(key, 0) >= settings.XUNCHA_REPORT_POSTS_PER_HOUR:
        return False
    _bump(key, REPORT_WINDOW_SECONDS)
    return True


def record_failure(request, code: str | None) -> None:
    """A wrong or malformed code (``code`` normalised, None when malformed) was tried."""
    client, prefix = _keys(request, code)
    for key in (client, prefix, GLOBAL_KEY):
        if key:
            _bump(key)
