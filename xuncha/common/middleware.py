"""Site-wide response policy: the UI language, and what a browser may keep on disk."""

from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_cache_control, patch_vary_headers


class ChineseFirstLocaleMiddleware:
    """Chinese first: the UI language comes from the user's choice (cookie), never from the browser.

    Django's LocaleMiddleware also honours Accept-Language, so an English-language browser would
    get the English UI unasked. Officials expect Chinese; English is only a switch away.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", language)
        return response


class NoStoreMiddleware:
    """``Cache-Control: no-store, private`` on everything but the public pages seen anonymously.

    Office computers are shared: a page or a download left in one official's browser cache is on
    disk for the next person at that desk. The rule is deny by default: a response is kept out of
    every cache unless its path is on the short public list (``XUNCHA_PUBLIC_PATHS``: reporting,
    disclosure, survey, captcha, health check, static files) *and* nobody is signed in. The
    opposite rule ("only pages that need a login") would leave out what also reveals staff work:
    the login page, a 404 or 403 under a staff URL, a redirect, a CSRF failure, and any staff URL
    added later and forgotten here. Forgetting a public path costs a refetch; forgetting a staff
    one would leak. A signed-in user is covered on public paths too, since the layout then shows
    who they are.

    Directives a view set itself stay (``never_cache``'s ``no-cache, must-revalidate`` and the
    like); only ``no-store`` and ``private`` are added, and ``private`` drops a ``public``, so a
    response never comes out more cacheable than it went in. Placed just after WhiteNoise (static
    files never reach it) and before everything else, so that responses made by the middleware
    below it (login redirects, CSRF and lockout pages) are covered too.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        paths = tuple(settings.XUNCHA_PUBLIC_PATHS)
        self.prefixes = tuple(p for p in paths if p.endswith("/"))
        self.exact = frozenset(p for p in paths if not p.endswith("/"))

    def __call__(self, request):
        response = self.get_response(request)
        if not self._public(request):
            patch_cache_control(response, no_store=True, private=True)
        return response

    def _public(self, request) -> bool:
        path = request.path_info
        if path not in self.exact and not path.startswith(self.prefixes):
            return False
        # Absent when a middleware above AuthenticationMiddleware answered (e.g. a slash redirect).
        user = getattr(request, "user", None)
        return user is None or not user.is_authenticated
