"""The office works its register: finds the report overdue for an answer, forwards it to the
competent body, and — as custodian — unlocks a named reporter's identity for a recorded reason
(Chromium, demo county)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.test_report_journey import staff_login
from xuncha.audit.models import AuditEntry

pytestmark = pytest.mark.e2e


def test_overdue_report_is_forwarded_and_identity_unlocked(page: Page, base_url: str, shot) -> None:
    staff_login(page, base_url, "xcb_zhuren")
    page.locator("#xc-nav").get_by_role("link", name="信访举报", exact=True).click()
    page.get_by_label("只看逾期").check()
    page.get_by_role("button", name="查询").click()
    rows = page.locator("table tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("县财政局")
    expect(rows.first.locator(".badge.text-bg-danger")).to_contain_text("逾期")
    shot(page, "overdue")

    rows.first.get_by_role("link").click()
    forward = page.locator("details").filter(has=page.locator("summary", has_text="转交有关部门"))
    forward.locator("summary").click()
    forward.get_by_label(re.compile("^转交单位")).fill("县农业农村局")
    forward.get_by_role("button", name="转交有关部门").click()
    expect(page.locator(".alert-success")).to_contain_text("已转交有关部门")
    expect(page.get_by_text("县农业农村局").first).to_be_visible()

    # The named letter about the minimum living allowance: identity hidden until unlocked.
    page.goto(base_url + "/intake/?channel=letter")
    page.locator("table tbody a").first.click()
    expect(page.get_by_text("署名（身份信息加密保存")).to_be_visible()
    page.get_by_label(re.compile("^解锁理由")).fill("须当面核实低保评定情况，联系举报人了解具体线索。")
    page.get_by_role("button", name="解锁并查看").click()
    expect(page.get_by_text("姓名：李某")).to_be_visible()
    shot(page, "unlocked")
    assert AuditEntry.objects.filter(action="intake.identity.unlock").count() == 1
    page.goto(page.url)  # the address after an unlock leads back to the page, which shows it no more
    expect(page.get_by_text("署名（身份信息加密保存")).to_be_visible()
    expect(page.get_by_text("姓名：李某")).to_have_count(0)
