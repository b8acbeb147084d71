"""Two-factor sign-in, as the office head lives it (issue 14, finding 2; Chromium, demo county).

With enforcement on, the office head (who has no authenticator yet) signs in, is sent to enrolment,
adds the secret to an "app" (the test computes the codes from the secret shown on the page), gets
the recovery codes, signs out, signs in with password and code, and, when the code is older than
the freshness window, is asked for a new one before unlocking a reporter's identity.
"""

from __future__ import annotations

import re
import time
from base64 import b32decode

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django_otp.oath import hotp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect

from xuncha.accounts.demo import DEMO_PASSWORD
from xuncha.accounts.twofactor.policy import VERIFIED_AT_KEY
from xuncha.audit.models import AuditEntry

pytestmark = pytest.mark.e2e

HEAD = "xcb_zhuren"


def app_code(secret: str) -> str:
    """What the authenticator app shows for ``secret`` (base32, as read off the page). A phone
    shows a new code every 30 s and the server refuses one it has already accepted; rather than
    wait for the next one, take the next step the server's tolerance window already accepts."""
    key = b32decode(secret + "=" * (-len(secret) % 8))
    device = TOTPDevice.objects.get(user__username=HEAD)
    now = int((time.time() - device.t0) // device.step) + device.drift
    t = next(t for t in range(now - device.tolerance, now + device.tolerance + 1) if t > device.last_t)
    return f"{hotp(key, t, digits=6):06d}"


def password_step(page: Page, base_url: str) -> None:
    page.goto(base_url + "/login/")
    page.locator("input[name=username]").fill(HEAD)
    page.locator("input[name=password]").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="登录", exact=True).click()


def age_the_code(page: Page, seconds: int) -> None:
    """Time travel: the session's last code was typed ``seconds`` ago."""
    key = next(c["value"] for c in page.context.cookies() if c["name"] == "sessionid")
    session = SessionStore(session_key=key)
    session[VERIFIED_AT_KEY] = time.time() - seconds
    session.save()


def test_office_head_enrols_signs_in_with_a_code_and_confirms_before_unlocking(
    page: Page, base_url: str, settings, shot
) -> None:
    # After the demo is loaded (where enforcement is off, so the office head has no authenticator):
    settings.XUNCHA_2FA_ENFORCED = True
    assert not TOTPDevice.objects.filter(user__username=HEAD).exists()

    # The password is right, but the office head must enrol before anything else.
    password_step(page, base_url)
    expect(page.get_by_role("heading", level=1)).to_have_text("启用双因素认证")
    expect(page.get_by_text("巡察办主任须使用“密码＋手机验证码”登录")).to_be_visible()
    page.goto(base_url + "/intake/")
    expect(page.get_by_role("heading", level=1)).to_have_text("启用双因素认证")
    expect(page.locator(".xc-2fa-qr svg")).to_be_visible()
    shot(page, "enrolment")

    secret = page.locator("[data-secret]").inner_text().replace(" ", "")
    assert re.fullmatch(r"[A-Z2-7]{32}", secret)
    page.get_by_label(re.compile("^验证码")).fill(app_code(secret))
    page.get_by_role("button", name="验证并启用").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("请妥善保存恢复码")
    expect(page.locator("[data-recovery-codes] li")).to_have_count(10)
    shot(page, "recovery-codes")
    page.get_by_role("link", name="我已妥善保存，继续").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("信访举报登记")  # where the head was going

    # Sign out, and in again: password, then the code.
    page.locator("#xc-nav .dropdown-toggle").last.click()
    page.get_by_role("button", name="退出登录").click()
    password_step(page, base_url)
    expect(page.get_by_role("heading", level=1)).to_contain_text("输入验证码")
    shot(page, "code-page")
    page.get_by_label(re.compile("^验证码")).fill(app_code(secret))
    page.get_by_role("button", name="验证并登录").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("我的工作")

    # A named letter. The code was typed longer ago than the freshness window: unlocking the
    # reporter's identity asks for a new one first, and unlocks nothing meanwhile.
    page.goto(base_url + "/intake/?channel=letter")
    page.locator("table tbody a").first.click()
    expect(page.get_by_text("署名（身份信息加密保存")).to_be_visible()
    report_url = page.url
    age_the_code(page, settings.XUNCHA_2FA_FRESH_SECONDS + 1)
    page.get_by_label(re.compile("^解锁理由")).fill("须当面核实低保评定情况，联系举报人了解具体线索。")
    page.get_by_role("button", name="解锁并查看").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("验证身份")
    expect(page.locator(".alert-warning")).to_contain_text("此项操作须重新验证动态验证码")
    shot(page, "fresh-code")
    assert not AuditEntry.objects.filter(action="intake.identity.unlock").exists()

    page.get_by_label(re.compile("^验证码")).fill(app_code(secret))
    page.get_by_role("button", name="验证", exact=True).click()
    expect(page).to_have_url(report_url)
    page.get_by_label(re.compile("^解锁理由")).fill("须当面核实低保评定情况，联系举报人了解具体线索。")
    page.get_by_role("button", name="解锁并查看").click()
    expect(page.get_by_text("姓名：李某")).to_be_visible()
    assert AuditEntry.objects.filter(action="intake.identity.unlock").count() == 1
    assert AuditEntry.objects.filter(action="accounts.twofactor.enrol").count() == 1

    # Their own status page, and the office's rules per role (linked from 用户与授权).
    page.locator("#xc-nav .dropdown-toggle").last.click()
    page.get_by_role("link", name="双因素认证").click()
    expect(page.locator(".badge", has_text="已启用")).to_be_visible()
    expect(page.get_by_text("10 个")).to_be_visible()
    shot(page, "status")
    page.goto(base_url + "/users/")
    page.get_by_role("link", name="双因素认证要求").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("双因素认证要求")
    expect(page.get_by_label("巡察办主任")).to_be_checked()
    expect(page.get_by_label("被巡察单位联络员")).not_to_be_checked()
    shot(page, "rules")
