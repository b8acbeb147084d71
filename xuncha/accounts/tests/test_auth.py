"""Sign-in: one generic message, lockout after five failures, idle timeout, Argon2."""

import pytest
from django.conf import settings
from django.urls import reverse

from xuncha.accounts.tests.factories import PASSWORD, make_user
from xuncha.audit.models import AuditEntry

LOGIN = "/login/"


@pytest.fixture
def account(world):
    return make_user(world.a["dept"], "office_staff", scope=world.a["county"], username="staff1")


def test_pages_need_a_login(client, db):
    response = client.get(reverse("accounts:person_list"))
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_login_succeeds_and_is_audited(client, account):
    response = client.post(LOGIN, {"username": "staff1", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/"
    assert AuditEntry.objects.filter(action="auth.login", actor=account).exists()


@pytest.mark.parametrize("username", ["staff1", "nobody"])
def test_failure_message_does_not_say_whether_the_user_exists(client, account, username):
    response = client.post(LOGIN, {"username": username, "password": "wrong-password"})
    assert response.status_code == 200
    assert "用户名或密码不正确" in response.content.decode()


def test_five_failures_lock_the_account(client, account):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert client.post(LOGIN, {"username": "staff1", "password": "wrong"}).status_code == 200
    locked = client.post(LOGIN, {"username": "staff1", "password": "wrong"})
    assert locked.status_code == 429 and "本机的登录已暂停" in locked.content.decode()
    # even the right password is refused while locked
    again = client.post(LOGIN, {"username": "staff1", "password": PASSWORD})
    assert again.status_code == 429
    assert "_auth_user_id" not in client.session


def test_inactive_account_gets_the_same_generic_message(client, account):
    from xuncha.accounts import services
    from xuncha.common.actors import SYSTEM

    services.user_set_active(actor=SYSTEM, user=account, active=False)
    response = client.post(LOGIN, {"username": "staff1", "password": PASSWORD})
    assert "用户名或密码不正确" in response.content.decode()


def test_idle_timeout_and_hasher_settings():
    assert settings.SESSION_COOKIE_AGE == settings.SESSION_IDLE_MINUTES * 60 == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST is True


def test_production_hashes_with_argon2():
    from config.settings import base

    assert base.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


def test_logout_is_post_only_and_audited(client, account):
    client.force_login(account)
    assert client.get("/logout/").status_code == 405
    assert client.post("/logout/").status_code == 302
    assert AuditEntry.objects.filter(action="auth.logout", actor=account).exists()


def test_own_password_change_needs_the_old_one(client, account):
    client.force_login(account)
    url = reverse("accounts:password_change")
    bad = client.post(url, {"old_password": "nope", "password1": "a-new-pass-2026", "password2": "a-new-pass-2026"})
    assert "原密码不正确" in bad.content.decode()
    ok = client.post(url, {"old_password": PASSWORD, "password1": "a-new-pass-2026", "password2": "a-new-pass-2026"})
    assert ok.status_code == 302
    account.refresh_from_db()
    assert account.check_password("a-new-pass-2026")
