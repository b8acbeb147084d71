"""The situation job through the real worker (`manage.py db_worker --batch`): queued by the page,
run by the worker to the end, read back by the page. Transactional: the worker manages its own
database connection (xuncha/common/tests/worker.py)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from xuncha.accounts.models import RoleAssignment
from xuncha.analytics.tests.figures_fixture import situation_round
from xuncha.common.tests.worker import run_worker
from xuncha.documents.models import DocumentJob, JobState
from xuncha.documents.tests.docx_checks import body_text, open_docx

# Without serialized_rollback: on PostgreSQL it reloads content types that the flush of an earlier
# transactional test in the same worker has already recreated (duplicate key); like the other
# transactional tests, these build the data they need.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def sr(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return situation_round(world)


def test_the_worker_runs_the_queued_job_and_the_page_offers_the_file(sr, client):
    client.force_login(sr["office"])
    client.post(reverse("analytics:situation_job_start", args=[sr["round"].pk]), {"format": "docx"})
    job = DocumentJob.objects.get()
    assert job.state == JobState.RUNNING and job.steps_done == 0
    assert run_worker() == 1
    job.refresh_from_db()
    assert (job.state, job.steps_done, job.error) == (JobState.DONE, job.steps_total, "")
    queued = DBTaskResult.objects.get(pk=job.task_id)
    assert (queued.status, queued.return_value) == ("SUCCESSFUL", "done")
    page = client.get(reverse("analytics:situation_job", args=[job.pk])).content.decode()
    assert "情况汇报（Word）已生成" in page and "every 2s" not in page
    download = client.get(reverse("analytics:situation_job_download", args=[job.pk]))
    assert "共发现问题4个" in body_text(open_docx(download.content))


def test_a_failed_step_shows_its_reason_on_the_page(sr, client):
    client.force_login(sr["office"])
    client.post(reverse("analytics:situation_job_start", args=[sr["round"].pk]), {"format": "comprehensive"})
    job = DocumentJob.objects.get()
    # Between the click and the worker, the office member's grant over the county is revoked.
    RoleAssignment.objects.filter(user=sr["office"]).update(revoked_at=timezone.now())
    run_worker()
    job.refresh_from_db()
    assert job.state == JobState.FAILED and job.error == "您已无权查看本轮巡察的统计数据。"
    RoleAssignment.objects.filter(user=sr["office"]).update(revoked_at=None)
    page = client.get(reverse("analytics:situation_job", args=[job.pk])).content.decode()
    assert "综合报告（Word）生成失败：您已无权查看本轮巡察的统计数据。" in page
