"""On site: a team member records an interview and writes a working paper with evidence; the
team leader records the team meeting's approval and signs the paper (Chromium)."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, expect

from xuncha.accounts.demo import DEMO_PASSWORD

pytestmark = pytest.mark.e2e

# A small real PDF: the evidence upload sniffs the content, so a renamed text file would be refused.
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def login(page: Page, base_url: str, username: str) -> None:
    page.goto(base_url + "/login/")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="登录", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("我的工作")


def logout(page: Page) -> None:
    page.locator(".dropdown-toggle").last.click()
    page.get_by_role("button", name="退出登录").click()
    expect(page).to_have_url(re.compile(r"/login/"))


def field(page: Page, label: str) -> Locator:
    return page.get_by_label(re.compile(rf"^{re.escape(label)}( \*)?$"))


def success(page: Page) -> Locator:
    return page.locator(".xc-messages .alert-success")


def open_my_team(page: Page) -> None:
    """From 我的工作, the card 我参加的巡察组 leads to the team of the round on site."""
    page.get_by_role("link", name=re.compile("第八轮巡察 · 第一巡察组")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("第一巡察组")


def test_member_records_and_writes_a_paper_the_leader_signs(page: Page, base_url: str, shot, tmp_path: Path) -> None:
    evidence = tmp_path / "补贴发放表.pdf"
    evidence.write_bytes(PDF)

    login(page, base_url, "xcz_chengyuan")
    open_my_team(page)

    # An interview, held by two members of the team.
    page.get_by_role("link", name="现场工作记录").click()
    page.get_by_role("button", name="新增记录").click()
    page.locator(".dropdown-menu").get_by_role("link", name="个别谈话", exact=True).click()
    field(page, "事项").fill("与镇财政所所长个别谈话")
    field(page, "日期").fill(date.today().isoformat())
    field(page, "谈话对象（未登记人员）").fill("镇财政所所长")
    field(page, "谈话对象类别").select_option("middle")
    checkboxes = page.locator("input[name=interviewers]")
    checkboxes.nth(0).check()
    checkboxes.nth(1).check()
    field(page, "记录内容").fill("所长说明了耕地地力保护补贴的发放流程……")
    page.get_by_role("button", name="保存", exact=True).click()
    expect(success(page)).to_contain_text("已记录")
    expect(page.get_by_role("heading", level=1)).to_contain_text("与镇财政所所长个别谈话")
    shot(page, "interview")

    # A working paper with evidence, submitted to the team meeting.
    page.get_by_role("link", name="第一巡察组").click()
    page.get_by_role("link", name="问题底稿").first.click()
    page.get_by_role("link", name="新建底稿").click()
    field(page, "问题标题").fill("耕地地力保护补贴重复发放")
    field(page, "问题事实").fill("2025年，4户农户的耕地地力保护补贴被重复发放，共计5,200元。")
    field(page, "定性依据").fill("《示例县耕地地力保护补贴资金管理办法》第八条")
    field(page, "涉及金额（元）").fill("5200")
    page.get_by_label("主体责任", exact=True).check()
    page.get_by_role("button", name="保存", exact=True).click()
    expect(success(page)).to_contain_text("请补充证据材料")
    page.locator("input[name=uploads]").set_input_files(str(evidence))
    field(page, "证明内容").fill("补贴发放表与银行代发流水")
    page.get_by_role("button", name="上传证据").click()
    expect(success(page)).to_contain_text("已添加 1 份证据材料")
    expect(page.get_by_role("link", name="补贴发放表.pdf")).to_be_visible()
    page.get_by_role("button", name="提交组务会").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("已提交组务会")
    paper_url = page.url
    shot(page, "paper-submitted")
    logout(page)

    # The leader records the team meeting's opinion and signs the paper.
    login(page, base_url, "xcz_zuzhang")
    page.goto(paper_url)
    page.locator("textarea[name=comment]").first.fill("组务会研究认为事实清楚、证据充分，同意。")
    page.get_by_role("button", name="记录组务会通过").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("组务会已通过")
    page.get_by_role("button", name="组长签发").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("组长已签发")
    expect(page.locator("dd p").filter(has_text="组务会研究认为事实清楚、证据充分，同意。")).to_be_visible()
    shot(page, "paper-signed")


def test_unit_leader_sees_the_fix_notice_but_not_the_paper(page: Page, base_url: str) -> None:
    login(page, base_url, "dw_fuzeren")
    page.locator("#xc-nav").get_by_role("link", name="立行立改", exact=True).click()
    row = page.get_by_role("link", name=re.compile("立即停止违规发放"))
    expect(row).to_be_visible()
    row.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("立行立改通知")
    # The requirement is shown; the working paper behind it is not.
    expect(page.get_by_text("问题底稿", exact=True)).to_have_count(0)
    expect(page.locator("#xc-nav").get_by_role("link", name="巡察轮次")).to_have_count(0)
