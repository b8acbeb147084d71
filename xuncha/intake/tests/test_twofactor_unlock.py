"""Unlocking a reporter's identity needs a second factor typed within the last five minutes
(issue 14, finding 2); team members must sign in with one."""

import time

import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from xuncha.accounts.permissions import Role
from xuncha.accounts.tests.factories import make_user
from xuncha.accounts.tests.twofactor_utils import enrol, next_code, sign_in
from xuncha.accounts.twofactor import policy
from xuncha.audit.models import AuditEntry
from xuncha.intake import services
from xuncha.intake.models import IdentityUnlock

NAMED = {"name": "王五", "phone": "13800000000", "address": "青山镇东街1号"}
REASON = {"reason": "须当面核实举报内容，联系举报人"}


@pytest.fixture
def custodian(window, settings):
    settings.XUNCHA_2FA_ENFORCED = True
    world = window["world"]
    head = make_user(world.a["dept"], Role.OFFICE_HEAD, scope=world.a["county"], username="custodian")
    enrol(head)
    return head


def _named_report(window):
    return services.report_file(
        announcement=window["announcement"], content={"what": "村道工程指定亲属承包。", "people": "张明"}, contact=NAMED
    ).report


def _age_the_code(client, seconds):
    session = client.session
    session[policy.VERIFIED_AT_KEY] = time.time() - seconds
    session.save()


def test_unlock_after_the_freshness_window_asks_for_a_new_code(client, window, custodian, settings):
    report = _named_report(window)
    unlock = reverse("intake:identity_unlock", args=[report.pk])
    sign_in(client, custodian)
    first = client.post(unlock, REASON)
    assert first.status_code == 200 and "13800000000" in first.content.decode()

    _age_the_code(client, settings.XUNCHA_2FA_FRESH_SECONDS + 1)
    stale = client.post(unlock, REASON)
    assert stale.status_code == 302 and stale["Location"] == "/2fa/confirm/?next=" + unlock.replace("/", "%2F")
    assert IdentityUnlock.objects.count() == 1  # the stale request unlocked nothing
    page = client.get(stale["Location"]).content.decode()
    assert "须重新验证" in page and "此项操作须重新验证动态验证码" in page

    wrong = client.post("/2fa/confirm/", {"code": "abcdefgh", "next": unlock})
    assert wrong.status_code == 200 and "验证码不正确" in wrong.content.decode()
    TOTPDevice.objects.filter(user=custodian).update(throttling_failure_count=0)
    back = client.post("/2fa/confirm/", {"code": next_code(TOTPDevice.objects.get(user=custodian)), "next": unlock})
    assert back["Location"] == unlock
    assert client.get(unlock)["Location"] == report.get_absolute_url()  # the GET goes to the report page
    again = client.post(unlock, REASON)
    assert again.status_code == 200 and "13800000000" in again.content.decode()
    assert AuditEntry.objects.filter(action="intake.identity.unlock").count() == 2


def test_unlock_within_the_window_needs_no_new_code(client, window, custodian):
    report = _named_report(window)
    sign_in(client, custodian)
    _age_the_code(client, 60)
    response = client.post(reverse("intake:identity_unlock", args=[report.pk]), REASON)
    assert response.status_code == 200 and "13800000000" in response.content.decode()


def test_without_enforcement_nothing_is_asked(client, window, settings):
    world = window["world"]
    head = make_user(world.a["dept"], Role.OFFICE_HEAD, scope=world.a["county"])
    client.force_login(head)
    response = client.post(reverse("intake:identity_unlock", args=[_named_report(window).pk]), REASON)
    assert response.status_code == 200 and "13800000000" in response.content.decode()


def test_team_members_must_use_a_second_factor(window, settings):
    member = window["users"]["member"]
    assert Role.TEAM_MEMBER in policy.roles_of(member) and policy.is_required(member)
