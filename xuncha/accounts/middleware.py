"""A password someone else chose (a new account, an office reset) is replaced by its holder first.

A signed-in user whose ``password_change_required`` is set reaches only the password change page
until they have chosen their own password (等保 level 3, identification). Sign-out, the language
switch, static files and one's own two-factor pages (the ones TwoFactorRequiredMiddleware may send
the user to, which in turn leaves the password change page open) stay open, so the two
requirements never send a user round in circles. Pages acting on others, such as the office's
two-factor rules, stay closed. Runs after django-otp's OTPMiddleware; as a ``process_view`` hook
it sees the resolved view and the message storage.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _

_OPEN_VIEWS = frozenset(
    {
        "accounts:password_change",
        "accounts:logout",
        "accounts:login",
        "set_language",
        "healthz",
        # one's own second factor: sign-in code, enrolment, recovery codes, switching it off
        "accounts:twofactor_verify",
        "accounts:twofactor_setup",
        "accounts:twofactor_confirm",
        "accounts:twofactor_recovery",
        "accounts:twofactor_disable",
    }
)


class PasswordChangeRequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.static_url = settings.STATIC_URL or "/static/"

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not user.password_change_required:
            return None
        if self._open(request):
            return None
        url = reverse("accounts:password_change")
        if request.headers.get("HX-Request"):
            response = HttpResponse(status=204)
            response["HX-Redirect"] = url
            return response
        messages.warning(
            request,
            _("您的密码是他人设置的（新建账户或管理员重置密码），请先修改为只有您本人知道的密码，再使用系统。"),
        )
        return HttpResponseRedirect(url)

    def _open(self, request) -> bool:
        if request.path_info.startswith(self.static_url):
            return True
        return bool(request.resolver_match) and request.resolver_match.view_name in _OPEN_VIEWS
