"""From signed papers to feedback, and a clue to the commission (Chromium, demo county).

The team leader signs a paper and makes it a problem, regenerates the report and takes it up the
chain; the joint review passes it and the leading group returns it; pressing "regenerate" again is
refused (the same content), so the leader rewrites the suggestions, generates a new version, reads
what changed against the last one and sends it up again; the office passes it through the leading
group and the secretary's meeting and downloads the approved version as PDF (made by the worker,
with the office head's trace line); the leader feeds back; the town's leader reads the problem list. The office
transfers a clue to the discipline commission, whose receiver signs for it and reports back.
"""

from __future__ import annotations

import re
from datetime import date

import pytest
from playwright.sync_api import Browser, Page, expect
from pypdf import PdfReader

from tests.e2e.test_report_journey import staff_login
from xuncha.common.tests.worker import run_worker
from xuncha.findings.models import Feedback, FeedbackState, InspectionReport

pytestmark = pytest.mark.e2e

TODAY = date.today().isoformat()


def desk(browser: Browser, base_url: str, username: str) -> Page:
    page = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 900}).new_page()
    staff_login(page, base_url, username)
    return page


def step(page: Page, label: str, **fields: str) -> None:
    """Open the step's panel on a report or transfer page, fill it, press its button."""
    panel = page.locator("details").filter(has=page.locator("summary", has_text=label)).first
    if panel.get_attribute("open") is None:
        panel.locator("summary").click()
    for name, value in fields.items():
        panel.locator(f"[name$='{name}']").fill(value)
    panel.get_by_role("button", name=label).click()


def decide(page: Page, label: str, meeting: str, decision: str) -> None:
    step(page, label, decided_on=TODAY, meeting=meeting, decision=decision)
    expect(page.locator(".alert-success")).to_contain_text("已记录")


def test_problems_report_chain_feedback_and_a_clue(browser: Browser, base_url: str, shot) -> None:
    report = InspectionReport.objects.get(target__unit__name="青山镇", kind="inspection")
    leader = desk(browser, base_url, "xcz_zuzhang")

    # The leader signs the paper the team meeting approved, and makes it problem 2.
    leader.goto(f"{base_url}/fieldwork/teams/{report.team_id}/papers/")
    leader.get_by_role("link", name=re.compile("违规发放加班补贴")).click()
    leader.get_by_role("button", name="组长签发").click()
    expect(leader.locator(".alert-success")).to_be_visible()
    leader.goto(f"{base_url}/findings/targets/{report.target_id}/problems/new/")
    leader.get_by_label(re.compile("违规发放加班补贴")).check()
    leader.get_by_label(re.compile("^问题")).fill("违规发放加班补贴")
    leader.get_by_label(re.compile("^具体表现")).fill("2025年以加班名义向镇机关干部发放补贴2.8万元。")
    leader.get_by_label("落实全面从严治党主体责任和监督责任情况").check()
    leader.get_by_label("廉洁纪律").check()
    leader.get_by_role("button", name="保存").click()
    expect(leader.get_by_role("link", name="违规发放加班补贴")).to_be_visible()
    shot(leader, "problems")

    # The report, regenerated with both problems, goes up; the team meeting and the leader pass it.
    leader.goto(base_url + report.get_absolute_url())
    leader.get_by_role("button", name="按当前问题清单重新生成").click()
    expect(leader.get_by_role("link", name="第2稿")).to_be_visible()
    step(leader, "提交组务会审议")
    decide(leader, "组务会审议通过", "第9次组务会", "同意。")
    decide(leader, "组长审定", "组长审定", "同意上报。")

    # The joint review passes it; the leading group returns it; the team sends a new version up again.
    office = desk(browser, base_url, "xcb_zhuren")
    office.locator("#xc-nav").get_by_role("link", name="报告审议", exact=True).click()
    office.get_by_role("link", name=report.title).click()
    decide(office, "组办会商通过", "组办会商", "同意提交领导小组。")
    step(office, "退回修改", decided_on=TODAY, meeting="领导小组会议", decision="第2个问题金额请再核实。")
    expect(office.get_by_text("退回修改").first).to_be_visible()
    leader.reload()
    leader.get_by_role("button", name="按当前问题清单重新生成").click()
    expect(leader.locator(".alert-danger")).to_contain_text("与上一稿内容相同")
    leader.get_by_label("意见建议").fill("建议镇党委核实第2个问题所涉金额，健全加班补助发放审批制度。")
    leader.get_by_role("button", name="保存并生成新稿").click()
    expect(leader.get_by_role("link", name="第3稿")).to_be_visible()
    leader.get_by_role("link", name="与上一稿比较").first.click()
    expect(leader.get_by_role("heading", name="第2稿与第3稿比较")).to_be_visible()
    expect(leader.locator("ins.xc-diff-ins").first).to_be_visible()
    shot(leader, "compare")
    leader.go_back()
    step(leader, "提交组务会审议")
    decide(leader, "组务会审议通过", "第10次组务会", "已核实金额，同意。")
    decide(leader, "组长审定", "组长审定", "同意上报。")
    office.reload()
    decide(office, "组办会商通过", "组办会商", "同意提交领导小组。")
    decide(office, "领导小组会议审议通过", "领导小组会议", "同意。")
    decide(office, "书记专题会审定", "书记专题会", "同意反馈。")
    shot(office, "approved")
    report.refresh_from_db()
    returned = report.decisions.get(action="return_review")
    assert report.state == "approved" and returned.from_state == "leading_group"

    # The approved version (第3稿) for the archive as PDF: made by the worker, then downloaded.
    office.locator("li").filter(has=office.get_by_role("link", name="第3稿")).get_by_role("button", name="PDF").click()
    expect(office.locator("#xc-pdf-jobs")).to_contain_text("已排队")  # the job's row is written
    assert run_worker() == 1
    link = office.locator("#xc-pdf-jobs").get_by_role("link", name=re.compile(r"下载.*第3稿\.pdf"))
    expect(link).to_be_visible(timeout=20_000)
    with office.expect_download() as download:
        link.click()
    reader = PdfReader(download.value.path())
    text = "".join(p.extract_text() for p in reader.pages)
    assert "青山镇" in text and "违规发放加班补贴" in text and "周正" in text  # the office head's trace line
    shot(office, "approved-pdf")

    # The leader feeds back.
    leader.goto(f"{base_url}/findings/teams/{report.team_id}/")
    row = leader.locator("tr").filter(has_text="青山镇")
    row.get_by_role("button", name="准备反馈").click()
    leader.get_by_label("反馈会议日期").fill(TODAY)
    leader.get_by_label("会议地点").fill("青山镇党委会议室")
    leader.get_by_label("主要负责人", exact=True).select_option(index=1)
    leader.get_by_label("向主要负责人单独反馈日期").fill(TODAY)
    leader.get_by_role("button", name="保存", exact=True).click()
    expect(leader.locator(".alert-success")).to_contain_text("反馈记录已保存")
    leader.get_by_label("总体评价").fill("青山镇党委能够贯彻落实县委决策部署，但也存在一些问题。")
    leader.get_by_role("button", name="保存撰写内容").click()
    expect(leader.locator(".alert-success")).to_contain_text("已保存反馈意见的撰写内容")
    leader.once("dialog", lambda dialog: dialog.accept())
    leader.get_by_role("button", name="正式反馈", exact=True).click()
    expect(leader.locator(".alert-success")).to_contain_text("已反馈")
    assert Feedback.objects.get(target=report.target).state == FeedbackState.SENT

    # The town's leader reads the problem list (and nothing behind it).
    town = desk(browser, base_url, "dw_fuzeren")
    town.locator("#xc-nav").get_by_role("link", name="巡察反馈", exact=True).click()
    town.get_by_role("link", name="青山镇").click()
    expect(town.get_by_text("违规发放加班补贴")).to_be_visible()
    expect(town.get_by_text("报送整改方案")).to_be_visible()
    shot(town, "unit-feedback")

    # A clue to the discipline commission; its receiver signs for it and reports back.
    office.goto(f"{base_url}/transfers/rounds/{report.round_id}/new/")
    office.get_by_label("移交类别").select_option("clue")
    office.get_by_label(re.compile("^接收单位")).select_option(label="县纪委监委")
    office.get_by_label(re.compile("^事由")).fill("青山镇违规发放加班补贴问题线索")
    office.get_by_label(re.compile("^主要内容")).fill("镇机关违规发放加班补贴2.8万元，建议核查相关责任人。")
    office.get_by_label("涉及人数").fill("1")
    office.get_by_role("button", name="移交并生成移交函").click()
    expect(office.locator(".alert-success")).to_contain_text("已移交县纪委监委")
    commission = desk(browser, base_url, "jw_chengban")
    commission.locator("#xc-nav").get_by_role("link", name="移交事项", exact=True).click()
    commission.get_by_role("link", name="青山镇违规发放加班补贴问题线索").click()
    step(commission, "签收")
    commission.get_by_label("处置方式").select_option("verify")
    step(commission, "确定处置方式")
    step(commission, "反馈办理结果", result="经初步核实，问题属实，已责令退还并对责任人诫勉谈话。")
    expect(commission.get_by_text("已反馈办理结果").first).to_be_visible()
    shot(commission, "reported")
    for page in (leader, office, town, commission):
        page.context.close()
