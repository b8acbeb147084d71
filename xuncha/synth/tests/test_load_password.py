"""``manage.py synth_password``: the load test's way in to synthetic accounts, and only to those.

It refuses a database the generator did not make and settings where demo data is not allowed; on a
synthetic database the accounts then sign in through the login form as an official does, with the
code step for roles that require a second factor (the code from the run's derived secret)."""

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from xuncha.accounts.models import User
from xuncha.accounts.tests.factories import make_unit, make_user
from xuncha.accounts.twofactor import policy
from xuncha.synth.bench.picks import pick
from xuncha.synth.load.credentials import current_step, new_password, totp_code, totp_key

PASSWORD = "Load-test-2026-secret"


def test_refuses_a_database_the_generator_did_not_make(db, settings):
    settings.XUNCHA_2FA_ENFORCED = True
    official = make_user(make_unit(name="某县委巡察办"), username="zhang_san")
    before = official.password
    with pytest.raises(CommandError, match="不是合成数据生成器建立的"):
        call_command("synth_password", "zhang_san", password=PASSWORD, authenticator=True)
    official.refresh_from_db()
    assert official.password == before and not official.check_password(PASSWORD)
    assert not policy.has_device(official)


def test_refuses_where_demo_data_is_not_allowed(synth, settings):
    settings.XUNCHA_DEMO_ALLOWED = False  # production.py forces it off
    with pytest.raises(CommandError, match="不允许演示或合成数据"):
        call_command("synth_password", "c0000_staff1", password=PASSWORD)
    assert not User.objects.get(username="c0000_staff1").has_usable_password()


def test_refuses_unknown_accounts_and_changes_nothing(synth):
    with pytest.raises(CommandError, match="没有这些账户：nobody"):
        call_command("synth_password", "c0000_staff1", "nobody", password=PASSWORD)
    assert not User.objects.get(username="c0000_staff1").has_usable_password()


def _sign_in(client, username, password):
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


def test_staff_sign_in_with_the_password_and_the_code_of_the_derived_secret(synth, settings, client):
    settings.XUNCHA_2FA_ENFORCED = True
    password = new_password()
    call_command("synth_password", "c0000_staff1", password=password, authenticator=True)

    response = _sign_in(client, "c0000_staff1", password)
    assert response.status_code == 302 and response["Location"] == reverse("accounts:twofactor_verify")
    code = totp_code(totp_key(password, "c0000_staff1"), current_step())
    response = client.post(reverse("accounts:twofactor_verify"), {"code": code})
    assert response.status_code == 302 and response["Location"] == reverse("home")
    assert client.get(reverse("rectification:plan_list")).status_code == 200

    # The same code again is refused (django-otp's replay guard): the load test waits a step.
    client.logout()
    _sign_in(client, "c0000_staff1", password)
    response = client.post(reverse("accounts:twofactor_verify"), {"code": code})
    assert response.status_code == 200 and "验证码" in response.content.decode()


def test_roles_without_a_second_factor_sign_in_with_the_password_alone(synth, settings, client):
    settings.XUNCHA_2FA_ENFORCED = True
    liaison = User.objects.get(pk=pick().users["unit"])
    call_command("synth_password", liaison.username, password=PASSWORD, authenticator=True)

    assert not policy.has_device(liaison)
    response = _sign_in(client, liaison.username, PASSWORD)
    assert response.status_code == 302 and response["Location"] == reverse("home")
    assert client.get(reverse("rectification:plan_list")).status_code == 200
    # The accounts not named keep the generator's unusable passwords.
    assert not User.objects.get(username="c0000_staff2").has_usable_password()
