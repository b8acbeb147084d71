"""Enforcement of two-factor sign-in for signed-in users (when ``XUNCHA_2FA_ENFORCED``).

* A user whose roles require a second factor and who has no authenticator yet is sent to the
  enrolment page; every other page is refused until enrolment is done.
* A user who has an authenticator but whose session never passed a code (a session from before
  enrolment, or one opened without the login page) is asked for a code first.

Sign-out, password change, the language switch and the two-factor pages themselves stay open.
Runs after django-otp's OTPMiddleware, which puts the verified device on ``request.user``.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import HttpResponse, HttpResponseRedirect
from django.urls import reverse

from xuncha.accounts.twofactor import policy

_ALWAYS_OPEN = frozenset(
    {
        "accounts:login",
        "accounts:logout",
        "accounts:password_change",
        "accounts:twofactor_verify",
        "set_language",
        "healthz",
    }
)
_OPEN_TO_ENROL = _ALWAYS_OPEN | {"accounts:twofactor_setup"}
_OPEN_TO_VERIFY = _ALWAYS_OPEN | {"accounts:twofactor_confirm"}


def _redirect(request, url_name: str) -> HttpResponse:
    url = reverse(url_name)
    if request.method == "GET" and not request.headers.get("HX-Request"):
        url += "?" + urlencode({"next": request.get_full_path()})
    if request.headers.get("HX-Request"):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return HttpResponseRedirect(url)


class TwoFactorRequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not policy.enforced():
            return None
        user = request.user
        if not user.is_authenticated or policy.session_verified(request):
            return None
        view_name = request.resolver_match.view_name if request.resolver_match else ""
        if policy.has_device(user):
            return None if view_name in _OPEN_TO_VERIFY else _redirect(request, "accounts:twofactor_confirm")
        if policy.is_required(user) and view_name not in _OPEN_TO_ENROL:
            return _redirect(request, "accounts:twofactor_setup")
        return None
