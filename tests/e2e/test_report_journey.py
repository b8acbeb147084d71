"""A member of the public reports from a phone, anonymously; keeps the receipt code; comes back,
reads the team's question and answers it; the team reads the answer and accepts the report, and the
reporter sees that (Chromium)."""

from __future__ import annotations

import re

import pytest
from captcha.models import CaptchaStore
from playwright.sync_api import Browser, Page, expect

from xuncha.accounts.demo import DEMO_PASSWORD

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}


def solve_captcha(page: Page) -> None:
    # The test reads the expected answer from the database, as an honest person reads the image.
    key = page.locator("input[name=captcha_0]").input_value()
    page.locator("input[name=captcha_1]").fill(CaptchaStore.objects.get(hashkey=key).response)


def staff_login(page: Page, base_url: str, username: str) -> None:
    page.goto(base_url + "/login/")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="登录", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("我的工作")


def test_anonymous_report_from_a_phone_and_the_conversation(browser: Browser, base_url: str, shot) -> None:
    phone = browser.new_context(locale="zh-CN", viewport=PHONE, is_mobile=True, has_touch=True).new_page()
    phone.goto(base_url + "/report/")
    window = phone.locator(".xc-card").filter(has_text="青山镇").first
    window.get_by_role("link", name="网上举报").click()
    expect(phone.get_by_role("heading", level=1)).to_contain_text("反映青山镇的问题")
    phone.get_by_label(re.compile("^反映的问题")).fill("镇里今年的危房改造补助，有两户不符合条件的也领了。")
    phone.get_by_label(re.compile("^被反映人")).fill("某村干部")
    solve_captcha(phone)
    shot(phone, "report-form")
    phone.get_by_role("button", name="提交举报").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("举报已提交")
    code = re.sub(r"\D", "", phone.locator("[data-receipt]").inner_text())
    assert len(code) == 16
    shot(phone, "receipt")

    # The team (陈静 serves on the team covering 青山镇) asks a question.
    desk = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 900}).new_page()
    staff_login(desk, base_url, "xcz_chengyuan")
    desk.locator("#xc-nav").get_by_role("link", name="信访举报", exact=True).click()
    desk.locator("table a").first.click()
    expect(desk.get_by_text("危房改造补助")).to_be_visible()
    desk.get_by_label(re.compile("^向举报人提问或答复")).fill("请问是哪个村？大约什么时间发放的？")
    desk.get_by_role("button", name="发送给举报人").click()
    expect(desk.locator(".alert-success")).to_contain_text("已发送")
    report_url = desk.url

    # The reporter comes back with the code, reads the question and answers.
    phone.goto(base_url + "/report/follow-up/")
    phone.get_by_label(re.compile("^受理码")).fill(f"{code[:4]} {code[4:8]} {code[8:12]} {code[12:]}")
    phone.get_by_role("button", name="查询").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("办理情况")
    expect(phone.get_by_text("请问是哪个村？大约什么时间发放的？")).to_be_visible()
    phone.get_by_label(re.compile("^补充说明")).fill("石门村，今年8月发放。")
    phone.get_by_role("button", name="发送").click()
    expect(phone.get_by_text("石门村，今年8月发放。")).to_be_visible()
    shot(phone, "follow-up")

    desk.goto(report_url)
    expect(desk.get_by_text("石门村，今年8月发放。")).to_be_visible()

    # The team accepts it (about a village cadre in a key post, the discipline towards the public);
    # the reporter sees the new status and the reply in plain words.
    accept = desk.locator("details").filter(has=desk.get_by_role("button", name="受理", exact=True))
    accept.get_by_label("反映对象").select_option(label="重点岗位干部")
    accept.get_by_label("群众纪律").check()
    accept.get_by_role("button", name="受理", exact=True).click()
    expect(desk.locator(".alert-success")).to_contain_text("已受理")
    phone.reload()
    expect(phone.get_by_text("已受理，巡察组正在了解核实。")).to_be_visible()
    expect(phone.get_by_text("您反映的问题已受理，巡察组将认真了解核实。")).to_be_visible()
    shot(phone, "accepted")
    phone.context.close()
    desk.context.close()


def test_a_wrong_code_says_nothing_about_codes(page: Page, base_url: str) -> None:
    page.goto(base_url + "/report/follow-up/")
    page.get_by_label(re.compile("^受理码")).fill("1234 5678 9012 3456")
    page.get_by_role("button", name="查询").click()
    expect(page.locator(".alert-danger")).to_have_text("受理码不正确，请核对后重新输入。")
