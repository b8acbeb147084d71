"""The load test's URLs: a bare view (no session, no login, no layout: what the server and Django's
middleware cost at the least), then the benchmark's trivial pages and the site."""

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.urls import include, path

from config.urls import handler400, handler403, handler404, handler500

__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]

BARE = "/__load__/bare/"


@login_not_required
def bare(request: HttpRequest) -> HttpResponse:
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns = [
    path(BARE.strip("/") + "/", bare),
    path("", include("xuncha.synth.bench.urls")),
]
