"""The site's URLs plus two trivial views: the framework's floor for a request (middleware,
session, user) and for a page in the site's layout (navigation built from permissions)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import include, path


def trivial(request: HttpRequest) -> HttpResponse:
    return HttpResponse(b"ok", content_type="text/plain")


def layout(request: HttpRequest) -> HttpResponse:
    return render(request, "synth/bench_layout.html", {})


urlpatterns = [
    path("__bench__/trivial/", trivial),
    path("__bench__/layout/", layout),
    path("", include("config.urls")),
]
