"""The error pages depend on nothing that can fail (issue 14, finding 7): no static files (a
missing manifest entry under ManifestStaticFilesStorage raises), no context processors, no
database, no URL reversing. Their style is inline and allowed by its hash in the page's CSP."""

import base64
import hashlib
import re

import pytest
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.db import OperationalError
from django.http import Http404
from django.test import Client
from django.urls import path

from xuncha.common.views import error_400, error_403, error_404, error_500

MISSING_MANIFEST = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
}


@login_not_required
def _boom(request):
    raise RuntimeError("boom")


@login_not_required
def _missing(request):
    raise Http404


@login_not_required
def _forbidden(request):
    raise PermissionDenied


@login_not_required
def _bad(request):
    raise SuspiciousOperation("bad")


@login_not_required
def _database_down(request):
    raise OperationalError("connection refused")


urlpatterns = [
    path("boom/", _boom),
    path("missing/", _missing),
    path("forbidden/", _forbidden),
    path("bad/", _bad),
    path("db/", _database_down),
]
handler400 = error_400
handler403 = error_403
handler404 = error_404
handler500 = error_500


@pytest.fixture
def broken_static(settings, tmp_path):
    """Production storage with nothing collected: every {% static %} raises ValueError."""
    settings.STORAGES = MISSING_MANIFEST
    settings.STATIC_ROOT = tmp_path
    settings.ROOT_URLCONF = __name__
    return Client(raise_request_exception=False)


def _style_allowed(response) -> None:
    body = response.content.decode()
    styles = re.findall(r"<style>(.*?)</style>", body, re.S)
    assert len(styles) == 1, "one inline style block"
    digest = base64.b64encode(hashlib.sha256(styles[0].encode()).digest()).decode()
    assert f"'sha256-{digest}'" in response["Content-Security-Policy"]
    assert "<link" not in body and "/static/" not in body and "<script" not in body


@pytest.mark.parametrize(
    ("url", "status", "heading"),
    [
        ("/boom/", 500, "系统暂时出现错误"),
        ("/db/", 500, "系统暂时出现错误"),
        ("/missing/", 404, "页面不存在或您无权查看"),
        ("/forbidden/", 403, "您没有权限访问此页面"),
        ("/bad/", 400, "提交的内容过大或格式不正确，未能处理"),
    ],
)
def test_error_pages_survive_a_missing_static_manifest(db, broken_static, url, status, heading):
    response = broken_static.get(url)
    assert response.status_code == status
    body = response.content.decode()
    assert heading in body and "巡察工作平台" in body
    assert len(response.content) > 1024, f"a bare body of {len(response.content)} bytes"
    _style_allowed(response)


def test_the_500_page_without_a_request_or_database():
    response = error_500(None)
    assert response.status_code == 500 and "系统暂时出现错误" in response.content.decode()
    assert len(response.content) > 1024


def test_the_500_page_falls_back_when_its_template_cannot_render(monkeypatch):
    from django.template import loader

    def broken(*args, **kwargs):
        raise RuntimeError("template engine broken")

    monkeypatch.setattr(loader, "render_to_string", broken)
    monkeypatch.setattr(loader, "get_template", broken)
    response = error_500(None)
    assert response.status_code == 500 and "系统暂时出现错误" in response.content.decode()
    assert len(response.content) > 1024


def test_error_pages_need_no_context_processors(db, settings):
    """The navigation bar reads the database; an error page must not (it may be why we are here)."""
    settings.ROOT_URLCONF = __name__
    settings.TEMPLATES = [
        {
            **settings.TEMPLATES[0],
            "OPTIONS": {"context_processors": ["xuncha.common.tests.test_error_pages.exploding_processor"]},
        }
    ]
    client = Client(raise_request_exception=False)
    for url, status in (("/missing/", 404), ("/forbidden/", 403), ("/bad/", 400), ("/boom/", 500)):
        response = client.get(url)
        assert response.status_code == status and len(response.content) > 1024, url


def exploding_processor(request):
    raise AssertionError("an error page ran a context processor")


def test_the_csrf_failure_page_is_the_chinese_one(db, settings):
    settings.ROOT_URLCONF = "config.urls"
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    response = client.post("/login/", {"username": "x", "password": "y"})
    assert response.status_code == 403
    assert "页面已过期" in response.content.decode()
    assert len(response.content) > 1024


def test_the_rate_limited_page_is_self_contained(db, broken_static):
    from django.test import RequestFactory

    from xuncha.intake.views.public import rate_limited

    response = rate_limited(RequestFactory().get("/report/"))
    assert response.status_code == 429 and "提交过于频繁" in response.content.decode()
    assert "<link" not in response.content.decode()
