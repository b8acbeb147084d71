"""Analysis for the committee's meeting (Chromium, demo county).

The office opens 统计分析, reads a chart as a table, and clicks a bar to land on the list behind it;
then, for the committee meeting, generates the round's situation report (queued for the background
worker, which the test runs; the page, polling, then offers the file) and downloads it; and turns a
group of common problems found across units into a sector clean-up.
"""

from __future__ import annotations

import io
import re
from datetime import date, timedelta

import pytest
from docx import Document
from playwright.sync_api import Browser, Page, expect

from xuncha.accounts.demo import DEMO_PASSWORD
from xuncha.common.tests.worker import run_worker
from xuncha.rectification.models import Campaign

pytestmark = pytest.mark.e2e


def office_desk(browser: Browser, base_url: str, username: str = "xcb_zhuren") -> Page:
    page = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 900}).new_page()
    page.goto(base_url + "/login/")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="登录", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("我的工作")
    return page


def _bar_point(page: Page, key: str) -> tuple[float, float]:
    """Where the first bar of a horizontal bar chart is drawn (ECharts knows its own layout)."""
    return page.evaluate(
        """(key) => {
            const el = document.querySelector('[data-xc-chart="chart-' + key + '"]');
            const chart = window.echarts.getInstanceByDom(el);
            const bar = chart.getModel().getSeriesByIndex(0).getData().getItemLayout(0);
            const box = el.getBoundingClientRect();
            return [box.left + bar.x + bar.width / 2, box.top + bar.y + bar.height / 2];
        }""",
        key,
    )


def test_dashboard_table_view_and_drill_down(browser: Browser, base_url: str, shot) -> None:
    page = office_desk(browser, base_url)
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("response", lambda r: errors.append(r.url) if r.status >= 400 and "favicon" not in r.url else None)
    page.get_by_role("link", name="统计分析").click()
    page.wait_for_load_state("load")
    assert not errors, errors
    expect(page.get_by_role("heading", level=1)).to_have_text("统计分析")
    card = page.locator("#chart-by_unit-card")
    chart = card.locator("[data-xc-chart]")
    expect(chart).to_have_attribute("data-xc-ready", "1")
    expect(chart.locator("canvas")).to_have_count(1)
    shot(page, "dashboard")

    # The same figures as a table: switch the chart to the table view.
    table = card.get_by_role("table")
    card.get_by_role("button", name="表格").click()
    expect(table).to_be_visible()
    expect(chart).to_be_hidden()
    first_unit = table.locator("tbody tr").first.locator("th").inner_text()
    assert first_unit
    shot(page, "table-view")
    card.get_by_role("button", name="图表").click()
    expect(chart).to_be_visible()

    # Clicking the first (largest) bar opens the problem list of that unit.
    x, y = _bar_point(page, "by_unit")
    page.mouse.click(x, y)
    expect(page.get_by_role("heading", level=1)).to_have_text("问题清单")
    expect(page.locator(".badge").filter(has_text=first_unit)).to_be_visible()
    rows = page.locator("tbody tr")
    expect(rows.first).to_contain_text(first_unit)
    shot(page, "drilled-list")

    # And back; the warning-level table's red figure opens the overdue tasks.
    page.get_by_role("link", name="返回统计分析").click()
    levels = page.locator("#chart-by_level-card")
    levels.get_by_role("button", name="表格").click()
    red = levels.locator("a[data-drill]").first
    red.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("预警整改任务")
    expect(page.locator("tbody .badge").first).to_contain_text("预警")
    page.context.close()


def test_situation_report_and_a_common_problem_clean_up(browser: Browser, base_url: str, shot) -> None:
    page = office_desk(browser, base_url)
    page.get_by_role("link", name="巡察轮次").click()
    page.get_by_role("link", name=re.compile("第七轮")).first.click()
    page.get_by_role("link", name="情况汇报").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("情况汇报")
    page.get_by_role("button", name=re.compile("生成情况汇报")).click()
    expect(page.locator("#situation-jobs")).to_contain_text("已排队")
    # The worker generates it (db_worker --batch, in this process); the page, still polling, then
    # offers the file. The browser's polls wait in this route while the worker runs: the live server
    # and this thread share one in-memory SQLite connection, which must not interleave transactions.
    page.route("**/situation/jobs/*/status/", lambda route: route.continue_())
    assert run_worker() == 1
    download_link = page.locator("#situation-jobs").get_by_role("link", name=re.compile("下载"))
    expect(download_link).to_be_visible()
    page.unroute("**/situation/jobs/*/status/")
    shot(page, "situation")
    with page.expect_download() as download:
        download_link.click()
    text = "\n".join(p.text for p in Document(io.BytesIO(download.value.path().read_bytes())).paragraphs)
    assert "情况的汇报" in text and "整改推进情况" in text

    # Common problems across units: one group becomes a clean-up led by a sector department.
    page.get_by_role("link", name="统计分析").click()
    page.get_by_role("link", name="共性问题").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("共性问题分析")
    group = page.locator("section, .xc-card").filter(has=page.get_by_role("link", name="部署专项整治")).first
    group.get_by_role("link", name="部署专项整治").click()
    page.get_by_label(re.compile("^牵头行业主管部门")).select_option(label="县财政局")
    page.get_by_label(re.compile("^整治要求")).fill("全面清查工程和采购项目招标情况，应招未招的限期整改。")
    page.get_by_label(re.compile("^完成标准")).fill("问题项目全部整改，制度完善")
    page.get_by_label(re.compile("^办结时限")).fill((date.today() + timedelta(days=90)).isoformat())
    page.get_by_role("button", name="部署").click()
    expect(page.locator(".alert-success")).to_contain_text("已部署专项整治")
    campaign = Campaign.objects.order_by("-pk").first()
    assert campaign.tasks.count() >= 2 and campaign.sector_dept.name == "县财政局"
    shot(page, "campaign")
    page.context.close()
