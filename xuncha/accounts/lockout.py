"""Sign-in lockout that nobody can aim at someone else (settings.AXES_HANDLER).

django-axes locks the pair (user name, client address) after ``AXES_FAILURE_LIMIT`` failures, so
wrong passwords typed elsewhere never keep an official out at their own desk, and colleagues
behind one office NAT do not lock each other out. That alone would let one address try a few
passwords on every account; so an address whose failures across all user names reach
``XUNCHA_LOGIN_FAILURES_PER_ADDRESS`` within the cool-off is refused as a whole until its
failures age past the cool-off.

Axes takes several lockout parameter sets but only one failure limit (a callable limit sees the
request, not which parameter set it is judged for), hence this subclass. It counts the rows axes
already keeps (``AccessAttempt``, one per user name, address and browser), so the count lives in
the database, is shared by every server process and survives restarts, and the lockout answer is
axes's own (the Chinese ``accounts/locked_out.html``, HTTP 429).
"""

from __future__ import annotations

import logging

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_cool_off
from axes.models import AccessAttempt
from axes.signals import user_locked_out
from django.conf import settings
from django.db.models import Sum

log = logging.getLogger(__name__)


def address_failures(request) -> int:
    """Failed sign-ins from the request's client address within the cool-off, all user names."""
    address = getattr(request, "axes_ip_address", None)
    if not address:
        return 0
    attempts = AccessAttempt.objects.filter(ip_address=address)
    if get_cool_off(request) is not None:
        attempts = attempts.filter(attempt_time__gte=get_cool_off_threshold(request))
    return attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0


def address_locked(request) -> bool:
    limit = settings.XUNCHA_LOGIN_FAILURES_PER_ADDRESS
    return bool(limit) and address_failures(request) >= limit


class AddressLimitedAxesHandler(AxesDatabaseHandler):
    """Axes's database handler plus the per-address ceiling."""

    def is_locked(self, request, credentials: dict | None = None) -> bool:
        return super().is_locked(request, credentials) or address_locked(request)

    def user_login_failed(self, sender, credentials: dict, request=None, **kwargs):
        super().user_login_failed(sender, credentials, request=request, **kwargs)
        # The failure that reaches the ceiling already gets the lockout page, as axes does for
        # the failure that reaches the per-pair limit.
        if request is None or request.axes_locked_out or self.is_whitelisted(request, credentials):
            return
        if address_locked(request):
            log.warning("Sign-in refused for client address %s: too many failures.", request.axes_ip_address)
            request.axes_locked_out = True
            request.axes_credentials = credentials
            user_locked_out.send(
                "axes",
                request=request,
                username=get_client_username(request, credentials),
                ip_address=request.axes_ip_address,
            )
