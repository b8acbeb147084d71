"""Site-wide behaviour: health check, error pages, language switch, production guard."""

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.db import OperationalError
from django.urls import reverse

from xuncha.accounts.permissions import Role
from xuncha.accounts.tests.factories import make_user


def test_healthz_reports_ok_without_login(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_healthz_answers_503_when_the_database_is_down(client, db, monkeypatch):
    from django.db import connection

    def broken_cursor(*args, **kwargs):
        raise OperationalError("connection refused")

    with monkeypatch.context() as patch:  # undone before the test database is torn down
        patch.setattr(connection, "cursor", broken_cursor)
        response = client.get("/healthz")
    assert response.status_code == 503 and response.json()["database"] == "unreachable"


def test_404_page_is_chinese(client, world):
    client.force_login(make_user(world.a["dept"], Role.OFFICE_STAFF, scope=world.a["county"]))
    response = client.get(reverse("accounts:unit_detail", args=[world.b["town"].pk]))
    assert response.status_code == 404 and "页面不存在或您无权查看" in response.content.decode()


def test_403_page_is_chinese(client, world):
    client.force_login(make_user(world.a["dept"], Role.UPPER_OFFICE, scope=world.a["county"]))
    response = client.get(reverse("accounts:person_list"))
    assert response.status_code == 403 and "您没有权限访问此页面" in response.content.decode()


def test_500_page_renders_without_the_database():
    from xuncha.common.views import error_500

    response = error_500(None)
    assert response.status_code == 500 and "系统暂时出现错误" in response.content.decode()


def test_chinese_by_default_english_on_request(client, world):
    client.force_login(make_user(world.a["dept"], Role.OFFICE_STAFF, scope=world.a["county"]))
    zh = client.get("/").content.decode()
    assert 'lang="zh-CN"' in zh and "组织机构" in zh
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    en = client.get("/").content.decode()
    assert 'lang="en"' in en
    assert "Organisation" in en and "My work" in en, "English catalog missing: run `make setup`"


def test_browser_language_does_not_override_chinese(client, db):
    response = client.get("/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert 'lang="zh-CN"' in response.content.decode() and "登录" in response.content.decode()


def test_csp_and_frame_headers(client, db):
    response = client.get("/login/")
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"


def _start_production(**env) -> subprocess.CompletedProcess:
    code = "import django; django.setup()"
    full_env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.production", **env}
    full_env.pop("DATABASE_URL", None)
    return subprocess.run(
        [sys.executable, "-c", code], env=full_env, capture_output=True, text=True, cwd=settings.BASE_DIR
    )


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"DEBUG": "on", "SECRET_KEY": "x" * 50}, "DEBUG"),
        ({"DEBUG": "off", "SECRET_KEY": "insecure-dev-key-change-me"}, "SECRET_KEY"),
        ({"DEBUG": "off", "SECRET_KEY": "short"}, "SECRET_KEY"),
    ],
)
def test_production_refuses_unsafe_settings(env, message):
    result = _start_production(**env)
    assert result.returncode != 0 and message in result.stderr


def test_production_starts_with_safe_settings():
    result = _start_production(DEBUG="off", SECRET_KEY="k" * 50)
    assert result.returncode == 0, result.stderr
