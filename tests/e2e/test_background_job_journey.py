"""The situation report is generated in the background (Chromium, demo county).

The office head starts the round's situation report and closes the tab before it is done. The worker
(`manage.py db_worker`, run here in the test process with --batch: the real command and code path)
then generates it; when the official opens the situation page again, the report is listed, finished,
and downloads as a real Word document stamped for them.
"""

from __future__ import annotations

import io
import re
import time

import pytest
from django_tasks_db.models import DBTaskResult
from docx import Document
from playwright.sync_api import Browser, expect

from tests.e2e.test_analytics_journey import office_desk
from xuncha.audit.models import AuditEntry
from xuncha.common.tests.worker import run_worker
from xuncha.documents.models import DocumentJob, JobState

pytestmark = pytest.mark.e2e


def test_the_report_is_finished_by_the_worker_after_the_tab_is_closed(browser: Browser, base_url: str, shot) -> None:
    page = office_desk(browser, base_url)
    context = page.context
    page.get_by_role("link", name="巡察轮次").click()
    page.get_by_role("link", name=re.compile("第七轮")).first.click()
    page.get_by_role("link", name="情况汇报").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("情况汇报")
    situation_url = page.url
    page.get_by_role("button", name=re.compile("生成情况汇报")).click()
    jobs = page.locator("#situation-jobs")
    expect(jobs).to_contain_text("已排队")
    expect(jobs).to_contain_text("可以关闭本页")
    shot(page, "queued")
    page.close()  # the official closes the tab; nothing is left polling

    job = DocumentJob.objects.get()
    assert (job.state, job.steps_done, job.started_at) == (JobState.RUNNING, 0, None)
    started = time.perf_counter()
    assert run_worker() == 1  # db_worker --batch: every queued task, then exit
    elapsed = time.perf_counter() - started
    job.refresh_from_db()
    assert (job.state, job.steps_done, job.error) == (JobState.DONE, job.steps_total, "")
    assert DBTaskResult.objects.get(pk=job.task_id).status == "SUCCESSFUL"
    print(f"situation report of the demo county by the worker: {elapsed:.2f} s")  # noqa: T201

    # Later, a new tab: the situation page lists the finished report.
    page = context.new_page()
    page.goto(situation_url)
    download_link = page.locator("#situation-jobs").get_by_role("link", name=re.compile("下载"))
    expect(download_link).to_be_visible()
    expect(page.locator("#situation-jobs")).to_contain_text("情况汇报（Word）已生成")
    shot(page, "finished")
    with page.expect_download() as download:
        download_link.click()
    assert download.value.suggested_filename.endswith(".docx")
    document = Document(io.BytesIO(download.value.path().read_bytes()))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "情况的汇报" in text and "整改推进情况" in text
    footer = "\n".join(p.text for section in document.sections for p in section.footer.paragraphs)
    assert "追溯码" in footer  # stamped for the official at download, not at generation
    assert AuditEntry.objects.filter(action="documents.export").count() == 1
    context.close()
