"""我的工作: the home page of a signed-in official."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from xuncha.workspace.home import home_context


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "common/home.html", home_context(request.user))
