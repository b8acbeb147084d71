"""The session side of two-factor sign-in: the pending second step, verification, failures.

Between the password and the code nobody is signed in: the session holds only the pending user's
id, signed and valid for ``PENDING_MAX_AGE`` seconds. A wrong code is reported to django-axes as
a failed sign-in, so guessing codes locks the account like guessing passwords does.
"""

from __future__ import annotations

import time
from typing import Any

import django_otp
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_lockout_response
from django.contrib.auth import login as auth_login
from django.contrib.auth.signals import user_login_failed
from django.core import signing
from django.http import HttpResponse
from django_otp.models import Device

from xuncha.accounts.models import User
from xuncha.accounts.twofactor.policy import PENDING_KEY, VERIFIED_AT_KEY

PENDING_MAX_AGE = 300
_SALT = "xuncha.accounts.twofactor.pending"


def pending_start(request: Any, user: User, next_url: str) -> None:
    """The password was right and the user has an authenticator: wait for the code."""
    backend = getattr(user, "backend", "django.contrib.auth.backends.ModelBackend")
    request.session.cycle_key()
    request.session[PENDING_KEY] = signing.dumps({"uid": user.pk, "backend": backend, "next": next_url}, salt=_SALT)


def pending(request: Any) -> tuple[User, str, str] | None:
    """(user, backend, next url) of the sign-in waiting for its code, or None when there is none,
    it has expired or its account was disabled meanwhile."""
    raw = request.session.get(PENDING_KEY)
    if not raw:
        return None
    try:
        data = signing.loads(raw, salt=_SALT, max_age=PENDING_MAX_AGE)
    except signing.BadSignature:  # includes SignatureExpired
        pending_clear(request)
        return None
    user = User.objects.filter(pk=data.get("uid"), is_active=True).first()
    if user is None:
        pending_clear(request)
        return None
    return user, str(data.get("backend", "")), str(data.get("next", ""))


def pending_clear(request: Any) -> None:
    request.session.pop(PENDING_KEY, None)


def complete_login(request: Any, user: User, backend: str, device: Device) -> None:
    """The code was right: sign in now, with the device that verified it."""
    pending_clear(request)
    auth_login(request, user, backend=backend or None)
    mark_verified(request, device)


def mark_verified(request: Any, device: Device) -> None:
    """Bind the device to the session (django-otp) and note when: the basis of "fresh"."""
    django_otp.login(request, device)
    request.session[VERIFIED_AT_KEY] = time.time()


def _credentials(user: User) -> dict[str, str]:
    return {"username": user.get_username()}


def count_failure(request: Any, user: User) -> None:
    """Tell django-axes: a wrong code is a failed sign-in (it sets request.axes_locked_out when
    this failure reaches the limit; AxesMiddleware then answers with the lockout page)."""
    user_login_failed.send(sender=__name__, credentials=_credentials(user), request=request)


def is_locked(request: Any, user: User) -> bool:
    return AxesProxyHandler.is_locked(request, _credentials(user))


def lockout_response(request: Any, user: User) -> HttpResponse:
    """The same page a locked-out password sign-in gets (django-axes' template and status)."""
    return get_lockout_response(request, None, _credentials(user))
