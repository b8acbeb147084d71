"""Two-factor sign-in (issue 14, finding 2): enrolment, the code step of the login, recovery codes,
enforcement by role, the office's rules and reset, fresh codes for sensitive actions, the demo.

The fresh code before unlocking a reporter's identity, and team membership as a role, are tested
with the intake app (xuncha/intake/tests/test_twofactor_unlock.py): the kernel's tests import no
domain."""

from __future__ import annotations

import json
import time
from base64 import b32encode
from io import StringIO

import pytest
from axes.models import AccessAttempt
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from xuncha.accounts.models import User
from xuncha.accounts.permissions import Role
from xuncha.accounts.tests.factories import PASSWORD, make_user
from xuncha.accounts.tests.twofactor_utils import enrol, next_code, sign_in
from xuncha.accounts.twofactor import policy, signin
from xuncha.audit.models import AuditEntry

LOGIN, CODE = "/login/", "/login/code/"


@pytest.fixture
def head(world):
    return make_user(world.a["dept"], Role.OFFICE_HEAD, scope=world.a["county"], username="head")


@pytest.fixture
def staff(world):
    return make_user(world.a["dept"], Role.OFFICE_STAFF, scope=world.a["county"], username="staff")


@pytest.fixture
def liaison(world):
    return make_user(world.a["town"], Role.UNIT_LIAISON, scope=world.a["town"], username="liaison")


@pytest.fixture
def enforced(settings):
    settings.XUNCHA_2FA_ENFORCED = True
    return settings


def _signed_in(client) -> bool:
    return "_auth_user_id" in client.session


# --- enrolment ------------------------------------------------------------------------------


def test_enrolment_shows_qr_and_secret_and_confirms_only_with_a_right_code(client, head):
    client.force_login(head)
    page = client.get(reverse("accounts:twofactor_setup")).content.decode()
    device = TOTPDevice.objects.get(user=head, confirmed=False)
    secret = b32encode(device.bin_key).decode()
    assert "<svg" in page and "须使用“密码＋手机验证码”登录" in page
    assert " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)) in page  # groups of four
    assert "otpauth://" in device.config_url and "Xuncha%20%E5%B7%A1%E5%AF%9F" in device.config_url

    wrong = client.post(reverse("accounts:twofactor_setup"), {"code": "000000"})
    assert "验证码不正确" in wrong.content.decode()
    device.refresh_from_db()
    assert not device.confirmed
    device.throttling_failure_count = 0  # django-otp's back-off after a wrong code
    device.save()

    done = client.post(reverse("accounts:twofactor_setup"), {"code": next_code(device)})
    page = done.content.decode()
    assert done.status_code == 200 and "请妥善保存恢复码" in page
    device.refresh_from_db()
    assert device.confirmed
    tokens = list(StaticToken.objects.filter(device__user=head).values_list("token", flat=True))
    assert len(tokens) == 10 and all(f"{t[:4]}-{t[4:]}" in page for t in tokens)
    assert AuditEntry.objects.filter(action="accounts.twofactor.enrol", actor=head).exists()
    assert client.session[policy.VERIFIED_AT_KEY] and client.session[DEVICE_ID_SESSION_KEY]
    # shown once: the page now shows the status, never the codes
    again = client.get(reverse("accounts:twofactor_setup")).content.decode()
    assert "已启用" in again and tokens[0] not in again


# --- the code step of the login -------------------------------------------------------------


def test_sign_in_with_a_device_asks_for_the_code_before_signing_in(client, head):
    enrol(head)
    response = client.post(LOGIN, {"username": "head", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == CODE
    assert not _signed_in(client)  # nobody is signed in between the two steps
    assert client.get("/").status_code == 302
    page = client.get(CODE).content.decode()
    assert "第二步：输入验证码" in page and "head" in page

    done = client.post(CODE, {"code": next_code(TOTPDevice.objects.get(user=head))})
    assert done.status_code == 302 and done["Location"] == "/"
    assert _signed_in(client) and client.session[DEVICE_ID_SESSION_KEY]
    assert abs(client.session[policy.VERIFIED_AT_KEY] - time.time()) < 5
    assert signin.PENDING_KEY not in client.session
    assert AuditEntry.objects.filter(action="auth.login", actor=head).exists()


def test_sign_in_without_a_device_is_one_step(client, liaison):
    response = client.post(LOGIN, {"username": "liaison", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/" and _signed_in(client)


def test_next_survives_the_code_step(client, head):
    enrol(head)
    client.post(LOGIN, {"username": "head", "password": PASSWORD, "next": "/users/"})
    done = client.post(CODE, {"code": next_code(TOTPDevice.objects.get(user=head))})
    assert done["Location"] == "/users/"


def test_wrong_codes_are_refused_and_counted_as_failed_sign_ins(client, head, settings):
    enrol(head)
    client.post(LOGIN, {"username": "head", "password": PASSWORD})
    wrong = client.post(CODE, {"code": "000000"})
    assert wrong.status_code == 200 and "验证码不正确" in wrong.content.decode() and not _signed_in(client)
    assert AccessAttempt.objects.get(username="head").failures_since_start == 1
    for _ in range(settings.AXES_FAILURE_LIMIT - 2):
        assert client.post(CODE, {"code": "000000"}).status_code == 200
    locked = client.post(CODE, {"code": "000000"})
    assert locked.status_code == 429 and "本机的登录已暂停" in locked.content.decode()
    # the right code is no use now: the pending sign-in is gone, and so is the password step
    right = client.post(CODE, {"code": next_code(TOTPDevice.objects.get(user=head))})
    assert right.status_code == 302 and right["Location"] == LOGIN and not _signed_in(client)
    assert client.post(LOGIN, {"username": "head", "password": PASSWORD}).status_code == 429


def test_the_pending_step_expires(client, head, monkeypatch):
    enrol(head)
    client.post(LOGIN, {"username": "head", "password": PASSWORD})
    monkeypatch.setattr(signin, "PENDING_MAX_AGE", -1)
    response = client.post(CODE, {"code": next_code(TOTPDevice.objects.get(user=head))})
    assert response.status_code == 302 and response["Location"] == LOGIN and not _signed_in(client)


def test_a_recovery_code_works_once_and_is_audited(client, head):
    _device, codes = enrol(head)
    assert sign_in(client, head, codes[0].upper()).status_code == 302 and _signed_in(client)
    entry = AuditEntry.objects.get(action="accounts.twofactor.recovery_used")
    assert entry.after == {"remaining": 9} and codes[0] not in json.dumps(entry.after)
    client.post("/logout/")
    again = sign_in(client, head, codes[0])
    assert again.status_code == 200 and not _signed_in(client)


def test_few_recovery_codes_left_warns(client, head):
    _device, codes = enrol(head)
    StaticToken.objects.filter(device__user=head).exclude(token=codes[0].replace("-", "")).delete()
    sign_in(client, head, codes[0])
    page = client.get("/").content.decode()
    assert "还剩 0 个" in page and "恢复码即将用完" in page


# --- enforcement ----------------------------------------------------------------------------


def test_required_role_without_a_device_is_sent_to_enrolment(client, head, enforced):
    client.force_login(head)
    response = client.get("/users/")
    assert response.status_code == 302 and response["Location"] == "/2fa/?next=%2Fusers%2F"
    assert client.post("/users/1/active/").status_code == 302  # writes are refused too
    assert client.get(reverse("accounts:twofactor_setup")).status_code == 200
    assert client.get(reverse("accounts:password_change")).status_code == 200
    assert client.post("/logout/")["Location"] == LOGIN


def test_role_that_need_not_enrol_is_not_sent(client, liaison, enforced):
    client.force_login(liaison)
    assert client.get("/").status_code == 200


def test_unverified_session_of_a_device_holder_is_asked_for_a_code(client, head, enforced):
    enrol(head)
    client.force_login(head)  # a session that never passed the code step
    response = client.get("/users/")
    assert response.status_code == 302 and response["Location"] == "/2fa/confirm/?next=%2Fusers%2F"
    page = client.get(response["Location"]).content.decode()
    assert "本次登录尚未验证" in page
    done = client.post("/2fa/confirm/", {"code": next_code(TOTPDevice.objects.get(user=head)), "next": "/users/"})
    assert done["Location"] == "/users/"
    assert client.get("/users/").status_code == 200


def test_enforcement_off_lets_force_login_through(client, head):
    enrol(head)
    client.force_login(head)
    assert client.get("/users/").status_code == 200


# --- own status -----------------------------------------------------------------------------


def test_required_user_cannot_disable_but_can_rebind(client, head):
    enrol(head)
    client.force_login(head)
    client.post(reverse("accounts:twofactor_disable"))
    assert TOTPDevice.objects.filter(user=head).exists()
    client.post(reverse("accounts:twofactor_disable"), {"rebind": "1"})
    assert not TOTPDevice.objects.filter(user=head).exists()
    assert AuditEntry.objects.filter(action="accounts.twofactor.rebind").exists()


def test_optional_user_can_disable(client, liaison):
    enrol(liaison)
    client.force_login(liaison)
    client.post(reverse("accounts:twofactor_disable"))
    assert not TOTPDevice.objects.filter(user=liaison).exists()
    assert not StaticDevice.objects.filter(user=liaison).exists()
    assert AuditEntry.objects.filter(action="accounts.twofactor.disable", actor=liaison).exists()


def test_regenerating_recovery_codes_needs_a_fresh_code(client, head, enforced):
    _device, old = enrol(head)
    sign_in(client, head)
    session = client.session
    session[policy.VERIFIED_AT_KEY] = time.time() - 301
    session.save()
    url = reverse("accounts:twofactor_recovery")
    stale = client.post(url)
    assert stale["Location"].startswith("/2fa/confirm/?next=")
    assert StaticToken.objects.filter(device__user=head).count() == 10
    client.post("/2fa/confirm/", {"code": next_code(TOTPDevice.objects.get(user=head))})
    page = client.post(url).content.decode()
    assert "原有恢复码已全部作废" in page and old[0] not in page


# --- the office -----------------------------------------------------------------------------


def test_office_rule_per_role_changes_the_requirement(client, head, staff, liaison, enforced):
    assert not policy.is_required(liaison) and policy.is_required(staff)
    enrol(staff)
    sign_in(client, staff)  # office staff may read the rules, not change them
    assert client.get(reverse("accounts:twofactor_rules")).status_code == 200
    assert client.post(reverse("accounts:twofactor_rules"), {"unit_liaison": "on"}).status_code == 403

    enrol(head)
    office = Client()
    sign_in(office, head)
    required = {r.role.value for r in policy.role_rules() if r.required} - {"office_staff"} | {"unit_liaison"}
    response = office.post(reverse("accounts:twofactor_rules"), dict.fromkeys(required, "on"))
    assert response.status_code == 302
    liaison, staff = (User.objects.get(pk=u.pk) for u in (liaison, staff))  # no cached answer
    assert policy.is_required(liaison) and not policy.is_required(staff)
    entries = AuditEntry.objects.filter(action="accounts.twofactor.rule", actor=head)
    changes = {(e.after["role"], e.after["required"]) for e in entries}
    assert changes == {("unit_liaison", True), ("office_staff", False)}
    # the liaison is now sent to enrolment
    desk = Client()
    desk.force_login(liaison)
    assert desk.get("/")["Location"].startswith("/2fa/")


def test_office_reset_is_audited_and_not_for_oneself(client, staff, liaison, world):
    enrol(liaison)
    client.force_login(staff)
    page = client.get(reverse("accounts:user_detail", args=[liaison.pk])).content.decode()
    assert "双因素认证" in page and "重置双因素认证" in page
    response = client.post(reverse("accounts:twofactor_reset", args=[liaison.pk]))
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=liaison).exists()
    entry = AuditEntry.objects.get(action="accounts.twofactor.reset")
    assert entry.actor == staff and entry.target_id == str(liaison.pk)
    enrol(staff)
    client.post(reverse("accounts:twofactor_reset", args=[staff.pk]))
    assert TOTPDevice.objects.filter(user=staff).exists()
    # outside the office's scope: the same 404 as a missing account
    other = make_user(world.b["dept"], username="other")
    enrol(other)
    assert client.post(reverse("accounts:twofactor_reset", args=[other.pk])).status_code == 404


def test_role_grant_asks_for_a_fresh_code(client, staff, liaison, enforced):
    enrol(staff)
    sign_in(client, staff)
    url = reverse("accounts:role_grant", args=[liaison.pk])
    assert client.get(url).status_code == 200
    session = client.session
    session[policy.VERIFIED_AT_KEY] = time.time() - 301
    session.save()
    response = client.get(url)
    assert response["Location"] == "/2fa/confirm/?next=" + url.replace("/", "%2F")


# --- the demo -------------------------------------------------------------------------------


def test_demo_accounts_get_stable_authenticators_and_codes(db, enforced):
    from xuncha.accounts.demo import demo_totp_secret, seed_demo

    seed_demo()
    out = StringIO()
    call_command("demo_accounts", "--json", stdout=out)
    rows = {r["username"]: r for r in json.loads(out.getvalue())}
    assert rows["xcb_zhuren"]["totp_secret"] == demo_totp_secret("xcb_zhuren")
    assert "totp_secret" in rows["xcz_chengyuan"] and "totp_secret" not in rows["dw_lianluoyuan"]
    text = StringIO()
    call_command("demo_accounts", stdout=text)
    assert "totp_code" in text.getvalue()

    code = StringIO()
    call_command("totp_code", "xcb_zhuren", stdout=code)
    client = Client()
    client.post(LOGIN, {"username": "xcb_zhuren", "password": "xuncha-demo-2026"})
    assert client.post(CODE, {"code": code.getvalue().strip()})["Location"] == "/"
    with pytest.raises(CommandError):
        call_command("totp_code", "dw_lianluoyuan", stdout=StringIO())  # no code needed
    with pytest.raises(CommandError):
        call_command("totp_code", "somebody", stdout=StringIO())


def test_totp_code_refused_where_demo_is_not_allowed(db, settings):
    settings.XUNCHA_DEMO_ALLOWED = False
    with pytest.raises(CommandError):
        call_command("totp_code", "xcb_zhuren", stdout=StringIO())
