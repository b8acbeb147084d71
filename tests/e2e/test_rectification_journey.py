"""The rectification loop as far as it is built (Chromium, demo county).

县水利局's leader imports the Excel template with one bad row and sees the row named, fixes it and
signs; the office returns it once with a comment on an item, then approves; a task is closed with
evidence and verified by the office; an overdue task shows red on the plan and tops the office's
to-do list. The office puts that problem under a county leader's supervision; `remind` tells the
leader once (running it again sends nothing) and the leader finds it red in their workspace.
"""

from __future__ import annotations

import io
import re
from datetime import date, timedelta

import pytest
from django.core.management import call_command
from openpyxl import load_workbook
from playwright.sync_api import Browser, Page, expect

from tests.e2e.test_report_journey import staff_login
from xuncha.accounts.permissions import Role
from xuncha.accounts.tests.factories import PASSWORD, make_user
from xuncha.findings.models import Feedback
from xuncha.notify.models import Notification
from xuncha.rectification import excel
from xuncha.rectification.models import PlanState, RectificationPlan, Task

pytestmark = pytest.mark.e2e


def desk(browser: Browser, base_url: str, username: str, password: str | None = None) -> Page:
    page = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 900}).new_page()
    if password:
        page.goto(base_url + "/login/")
        page.locator("input[name=username]").fill(username)
        page.locator("input[name=password]").fill(password)
        page.get_by_role("button", name="登录", exact=True).click()
        expect(page.get_by_role("heading", level=1)).to_have_text("我的工作")
    else:
        staff_login(page, base_url, username)
    return page


def _workbook(data: bytes, bad: bool, tmp_path) -> str:
    workbook = load_workbook(io.BytesIO(data))
    sheet = workbook[excel.SHEET]
    due = (date.today() + timedelta(days=30)).isoformat()
    for row in range(2, sheet.max_row + 1):
        values = ["逐项整改", "整改到位", "限期整改", due, "", "规划建设股", "", "王强"]
        for column, value in enumerate(values, start=3):
            sheet.cell(row=row, column=column, value=value)
    if bad:
        sheet.cell(row=2, column=6, value="下个月")
    path = tmp_path / ("bad.xlsx" if bad else "good.xlsx")
    workbook.save(path)
    return str(path)


def test_plan_from_excel_review_closure_and_red(browser: Browser, base_url: str, shot, tmp_path) -> None:
    # 县水利局's plan is waiting for review in the demo; start afresh on it as its leader would.
    feedback = Feedback.objects.get(target__unit__name="县水利局")
    plan = RectificationPlan.objects.get(feedback=feedback)
    RectificationPlan.objects.filter(pk=plan.pk).update(state=PlanState.DRAFT)  # as if just created
    unit = feedback.target.unit
    leader = make_user(unit, Role.UNIT_LEADER, scope=unit, username="sl_fuzeren")

    page = desk(browser, base_url, "sl_fuzeren", PASSWORD)
    page.goto(base_url + plan.get_absolute_url())
    with page.expect_download() as download:
        page.get_by_role("link", name="下载模板").click()
    template = download.value.path().read_bytes()
    page.get_by_label(re.compile("^填好的模板")).set_input_files(_workbook(template, True, tmp_path))
    page.get_by_role("button", name="导入", exact=True).click()
    expect(page.locator(".alert-danger")).to_contain_text("第2行")
    page.get_by_label(re.compile("^填好的模板")).set_input_files(_workbook(template, False, tmp_path))
    page.get_by_role("button", name="导入", exact=True).click()
    expect(page.locator(".alert-success")).to_contain_text("已导入整改任务")
    page.get_by_role("button", name="签批报送").click()
    expect(page.locator(".alert-success")).to_contain_text("签批报送")
    shot(page, "submitted")

    office = desk(browser, base_url, "xcb_ganbu")
    office.goto(base_url + plan.get_absolute_url())
    office.get_by_role("button", name="开始联审").click()
    office.locator("#item_1").fill("措施不具体，请细化到项目。")
    office.get_by_role("button", name="退回修改").click()
    expect(office.get_by_text("任务1：措施不具体，请细化到项目。")).to_be_visible()

    page.reload()
    page.get_by_label(re.compile("^填好的模板")).set_input_files(_workbook(template, False, tmp_path))
    page.get_by_role("button", name="导入", exact=True).click()
    page.get_by_role("button", name="签批报送").click()
    office.reload()
    office.get_by_role("button", name="开始联审").click()
    office.get_by_role("button", name="审核通过").click()
    expect(office.locator(".alert-success")).to_contain_text("审核通过")
    plan.refresh_from_db()
    assert plan.state == PlanState.APPROVED and plan.reviews.count() == 2

    # A task is closed with evidence, verified by the office.
    task = plan.tasks.order_by("number").first()
    page.goto(base_url + task.get_absolute_url())
    closure = page.locator("section").filter(has=page.get_by_role("heading", name="申请销号"))
    closure.get_by_label(re.compile("^情况说明")).fill("已全部整改到位。")
    evidence = tmp_path / "证明.pdf"
    evidence.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    closure.get_by_label(re.compile("^佐证材料")).set_input_files(str(evidence))
    closure.get_by_role("button", name="申请销号").click()
    expect(page.locator(".alert-success")).to_contain_text("申请销号")
    office.goto(base_url + task.get_absolute_url())
    verify = office.locator("section").filter(has=office.get_by_role("heading", name="核验销号"))
    verify.get_by_label(re.compile("^情况说明")).fill("经核验整改到位。")
    verify.get_by_role("button", name="核验销号").click()
    expect(office.locator(".alert-success")).to_contain_text("核验销号")

    # Another task falls overdue: red on the plan and first on the office's to-do list.
    late = plan.tasks.order_by("number").last()
    Task.objects.filter(pk=late.pk).update(due_on=date.today() - timedelta(days=3))
    office.goto(base_url + plan.get_absolute_url())
    office.get_by_role("tab", name="任务清单").click()
    expect(office.get_by_text("逾期3天")).to_be_visible()
    office.goto(base_url + "/")
    expect(office.locator("[data-todo] li").first).to_contain_text("已逾期")
    shot(office, "todo")
    assert leader.is_active

    # The office puts the late problem under 冯领's supervision (领衔督办) from the problem list.
    office.goto(base_url + plan.get_absolute_url())
    row = office.locator("#tab-problems tr", has_text=late.problem.title)
    row.get_by_role("link", name="领衔督办", exact=True).click()
    office.get_by_label(re.compile("^领衔领导")).select_option(label="冯领")
    office.get_by_label(re.compile("^督办要求")).fill("请每周报告清理进度。")
    office.get_by_role("button", name="交办").click()
    expect(office.locator(".alert-success")).to_contain_text("冯领领衔督办")

    # `remind` tells the leader once; a second run sends nothing new.
    call_command("remind", stdout=io.StringIO())
    call_command("remind", stdout=io.StringIO())
    told = Notification.objects.filter(user__username="xld_fenguan", key__startswith=f"task:{late.pk}:")
    assert told.count() == 1 and "红色预警" in told.get().title

    chief = desk(browser, base_url, "xld_fenguan")
    expect(chief.locator("[data-unread]")).to_contain_text("红色预警")
    chief.get_by_role("link", name="领衔督办").first.click()
    expect(chief.get_by_role("heading", level=1)).to_have_text("我领衔督办的问题")
    item = chief.locator("tbody tr", has_text=late.problem.title)
    expect(item).to_contain_text("逾期3天")
    shot(chief, "leader-workspace")
    for p in (page, office, chief):
        p.context.close()
