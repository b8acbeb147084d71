"""Throttling of receipt-code guesses, in the cache only (never the database or the logs).

Two limits: per client (keyed by a hash of the address, kept for minutes) and for the whole
installation (so many clients cannot share the guessing). A throttled client gets the same kind
of answer as a wrong code: nothing tells whether a code exists.
"""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache

from xuncha.audit.chain import sm3_hex

WINDOW_SECONDS = 15 * 60


def _client_key(request) -> str:
    address = request.META.get("REMOTE_ADDR", "")
    return "intake:guess:" + sm3_hex(f"{settings.SECRET_KEY}:{address}".encode())[:24]


def _bump(key: str) -> int:
    if cache.add(key, 1, WINDOW_SECONDS):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, WINDOW_SECONDS)
        return 1


def blocked(request) -> bool:
    limits = settings.XUNCHA_RECEIPT_THROTTLE
    return (cache.get(_client_key(request)) or 0) >= limits["per_client"] or (
        cache.get("intake:guess:all") or 0
    ) >= limits["global"]


def record_failure(request) -> None:
    _bump(_client_key(request))
    _bump("intake:guess:all")
