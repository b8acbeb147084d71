"""``require_fresh_otp``: sensitive actions need a code typed within the last few minutes.

Applied to unlocking a reporter's identity, granting roles, resetting someone's second factor and
changing document templates. When the session's last code is older than
``XUNCHA_2FA_FRESH_SECONDS``, the action is not run: the user is sent to the code page and from
there back to the page the action started from (a GET), to do it again. A POST is never replayed:
its form may have changed meanwhile, and a replayed upload or unlock is not what was confirmed.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _

from xuncha.accounts.twofactor import policy

Back = str | Callable[..., str] | None


def _back_url(back: Back, request: Any, args: tuple, kwargs: dict) -> str:
    if back is None:
        return request.get_full_path()
    if callable(back):
        return back(request, *args, **kwargs)
    return back if back.startswith("/") else reverse(back)


def fresh_code_response(request: Any, back_url: str) -> HttpResponse:
    """Send the user to the code page, to come back to ``back_url`` afterwards."""
    if request.method == "GET":
        messages.info(request, _("此页面涉及重要权限，须先验证动态验证码。"))
    else:
        messages.warning(request, _("此项操作须重新验证动态验证码。验证通过后，请再操作一次。"))
    url = reverse("accounts:twofactor_confirm") + "?" + urlencode({"next": back_url})
    if request.headers.get("HX-Request"):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return HttpResponseRedirect(url)


def require_fresh_otp(view: Callable | None = None, *, methods: tuple[str, ...] = ("POST",), back: Back = None):
    """Decorate a view: requests with one of ``methods`` need a fresh second factor.

    ``back`` is where to return after the code: a URL name, a path, or ``back(request, *args,
    **kwargs)``; by default the request's own address (for views whose GET shows the form).
    """

    def decorator(func: Callable) -> Callable:
        @wraps(func)
        def wrapped(request, *args, **kwargs):
            if request.method in methods and policy.needs_fresh_code(request):
                return fresh_code_response(request, _back_url(back, request, args, kwargs))
            return func(request, *args, **kwargs)

        return wrapped

    return decorator(view) if view is not None else decorator
