"""Lockout that nobody can aim at someone else (issue 14, finding 3).

Failures lock the pair (user name, client address): five wrong passwords from anywhere must not
keep an official out at their own computer. An address that fails too often across user names
is refused as a whole for the cool-off.
"""

from datetime import timedelta

import pytest
from django.conf import settings
from django.core import checks
from django.test import Client
from django.utils import timezone

from xuncha.accounts.tests.factories import PASSWORD, make_user

LOGIN = "/login/"
ATTACKER = "10.9.9.9"
OFFICIAL_PC = "10.1.1.20"


@pytest.fixture
def official(world):
    return make_user(world.a["dept"], "office_staff", scope=world.a["county"], username="staff1")


def _login(client, username, password, address):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


def _signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_failures_from_elsewhere_do_not_lock_the_official_out(official):
    attacker = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(attacker, "staff1", "wrong-guess", ATTACKER)

    own_pc = Client()
    response = _login(own_pc, "staff1", PASSWORD, OFFICIAL_PC)
    assert response.status_code == 302 and _signed_in(own_pc)


def test_the_attackers_pair_is_locked_with_the_chinese_page(official):
    attacker = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _login(attacker, "staff1", "wrong-guess", ATTACKER).status_code == 200
    locked = _login(attacker, "staff1", "wrong-guess", ATTACKER)
    assert locked.status_code == 429 and "本机的登录已暂停" in locked.content.decode()
    # even the right password is refused from that address while the lock holds
    assert _login(attacker, "staff1", PASSWORD, ATTACKER).status_code == 429
    assert not _signed_in(attacker)


def test_a_colleagues_failures_behind_the_same_address_do_not_lock_others(world, official):
    make_user(world.a["dept"], username="colleague")
    office_nat = "10.1.1.1"
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(Client(), "colleague", "wrong-guess", office_nat)
    desk = Client()
    assert _login(desk, "staff1", PASSWORD, office_nat).status_code == 302 and _signed_in(desk)


def _spray(address: str, failures: int) -> None:
    """Wrong passwords from one address, spread over user names so no pair reaches its limit.
    The failure that reaches the address ceiling already answers with the lockout page."""
    client, limit = Client(), settings.XUNCHA_LOGIN_FAILURES_PER_ADDRESS
    for i in range(1, failures + 1):
        response = _login(client, f"guess{i // 2}", "wrong-guess", address)
        assert response.status_code == (429 if limit and i >= limit else 200), f"failure {i}"


def test_an_address_failing_across_many_user_names_is_refused(official):
    _spray(ATTACKER, settings.XUNCHA_LOGIN_FAILURES_PER_ADDRESS)

    attacker = Client()
    refused = _login(attacker, "staff1", PASSWORD, ATTACKER)
    assert refused.status_code == 429 and "本机的登录已暂停" in refused.content.decode()
    assert not _signed_in(attacker)
    # the official at their own computer is not affected
    own_pc = Client()
    assert _login(own_pc, "staff1", PASSWORD, OFFICIAL_PC).status_code == 302 and _signed_in(own_pc)


def test_one_failure_below_the_address_limit_is_still_allowed(official):
    _spray(ATTACKER, settings.XUNCHA_LOGIN_FAILURES_PER_ADDRESS - 1)
    client = Client()
    assert _login(client, "staff1", PASSWORD, ATTACKER).status_code == 302 and _signed_in(client)


def test_the_address_lock_lifts_after_the_cool_off(official):
    from axes.models import AccessAttempt

    _spray(ATTACKER, settings.XUNCHA_LOGIN_FAILURES_PER_ADDRESS)
    assert _login(Client(), "staff1", PASSWORD, ATTACKER).status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME - timedelta(seconds=1))
    client = Client()
    assert _login(client, "staff1", PASSWORD, ATTACKER).status_code == 302 and _signed_in(client)


def test_the_address_limit_can_be_switched_off(official, settings):
    settings.XUNCHA_LOGIN_FAILURES_PER_ADDRESS = 0
    _spray(ATTACKER, 12)
    client = Client()
    assert _login(client, "staff1", PASSWORD, ATTACKER).status_code == 302


def test_lockout_settings_key_on_user_name_and_address():
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]
    assert "axes.W006" not in settings.SILENCED_SYSTEM_CHECKS
    assert not [m for m in checks.run_checks(tags=[checks.Tags.security]) if m.id == "axes.W006"]
