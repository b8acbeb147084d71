"""The situation page, the Word report and the workbook, the generation job with its progress,
and who may see what (office, other county, unit, upper-level office)."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from openpyxl import load_workbook

from xuncha.accounts.models import RoleAssignment
from xuncha.accounts.permissions import Role
from xuncha.accounts.tests.factories import make_user
from xuncha.analytics import situation_jobs
from xuncha.analytics.situation import situation_figures
from xuncha.analytics.situation_exports import situation_docx_export, situation_xlsx_export
from xuncha.analytics.tests.figures_fixture import HAND, situation_round
from xuncha.audit.models import AuditEntry
from xuncha.documents.models import DocumentJob, JobState
from xuncha.documents.tests.docx_checks import body_text, east_asian_font, footer_text, open_docx, paragraph_with
from xuncha.plans.tests.factories import make_round


@pytest.fixture
def sr(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return situation_round(world)


def _all_text(document) -> str:
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return body_text(document) + "\n" + "\n".join(cells)


def test_the_word_report_has_the_sections_and_every_number(sr):
    export = situation_docx_export(actor=sr["office"], rnd=sr["round"])
    document = open_docx(export.content)
    text = _all_text(document)
    assert f"关于{sr['round'].name}情况的汇报" in text  # the round's name, not "第一轮" (issue 16)
    for heading in (
        "一、基本情况",
        "二、发现的主要问题",
        "三、问题线索移交情况",
        "四、整改推进情况",
        "五、下一步工作建议",
    ):
        assert east_asian_font(paragraph_with(document, heading)) == "黑体"
    for phrase in (
        "共派出2个巡察组，对3个党组织开展巡察（其中村（社区）1个）",
        "开展个别谈话4人次，调阅资料2批次，实地走访1次，开展专项检查1次、问卷调查和民主测评1次",
        "受理信访举报7件，其中属于巡察受理范围3件、按规定转交有关部门1件；形成问题底稿4份",
        "共发现问题4个，其中一般2个、较重1个、严重1个",
        "雁过拔毛3个、优亲厚友1个",
        "1. 侵占群众补贴。",
        "下发立行立改通知3份，已整改验收1份",
        "共移交问题线索和有关事项4件、涉及6人，其中问题线索2件、涉及3人",
        "谈话函询1件、初步核实1件、督促整改1件",
        "移交事项中有1件超过期限尚未反馈办理结果",
        "已向2个单位反馈巡察意见，收到整改方案2个，审核通过1个",
        "制定整改任务6项，已销号2项、阶段性完成1项、申请销号待核验1项、正在整改2项",
        "反馈问题4个，已完成整改1个，整改完成率25.0%",
        "逾期未完成整改任务2项，涉及2个单位",
        "建立完善制度3项（新建2项、修订1项），挽回（追缴）经济损失3,300.50元，问责4人（次）",
        "针对共性问题部署行业专项整治1项",
        "“雁过拔毛”问题在2个单位重复出现，建议交由行业主管部门开展专项整治",
        "对甲县青山镇、甲县青山村2个单位逾期未完成的2项整改任务",
    ):
        assert phrase in text, phrase
    assert "甲县纪委监委\n2\n3" in text  # the receivers' table
    assert "中共甲县委巡察工作领导小组办公室" in text
    assert sr["office"].get_full_name() in footer_text(document)
    entry = AuditEntry.objects.get(action="documents.export", target_id=str(sr["round"].pk))
    assert entry.after["kind"] == "situation_report" and entry.after["template"] == "default"


def test_the_upper_office_gets_no_situation_report(sr):
    """Issue 13, finding 8: a county's situation report is the county's; the city's office sees
    aggregates on its dashboard."""
    with pytest.raises(PermissionDenied):
        situation_docx_export(actor=sr["upper"], rnd=sr["round"])


def test_the_workbook_round_trips_one_sheet_per_section(sr):
    export = situation_xlsx_export(actor=sr["office"], rnd=sr["round"])
    book = load_workbook(io.BytesIO(export.content))
    assert book.sheetnames == ["基本情况", "发现问题", "线索移交", "整改推进", "工作建议"]

    def value(sheet, label):
        return next(row[1] for row in book[sheet].iter_rows(values_only=True) if row and row[0] == label)

    assert value("基本情况", "个别谈话（人次）") == HAND["interviews"]["held"]
    assert value("基本情况", "属于巡察受理范围") == HAND["reports"]["in_scope"]
    assert value("发现问题", "严重") == 1
    assert value("线索移交", "甲县纪委监委") == 2
    assert value("整改推进", "整改完成率（%）") == 25
    assert float(value("整改推进", "挽回经济损失（元）")) == 3300.5
    assert value("整改推进", "逾期未完成（项）") == HAND["tasks"]["overdue"]
    assert AuditEntry.objects.filter(action="analytics.situation.xlsx", target_id=str(sr["round"].pk)).exists()


def test_an_empty_round_renders_everywhere(world, client):
    office = make_user(world.a["dept"], Role.OFFICE_STAFF, scope=world.a["county"])
    rnd = make_round(world.a["county"], number=7)
    data = situation_figures(user=office, rnd=rnd)
    assert data["rectification"]["rate"]["rate"] is None
    assert data["suggestions"]  # the steady default line
    text = _all_text(open_docx(situation_docx_export(actor=office, rnd=rnd).content))
    assert "共发现问题0个。" in text and "整改完成率暂无（尚未反馈）" in text
    assert "目前没有逾期未完成的整改任务" in text
    load_workbook(io.BytesIO(situation_xlsx_export(actor=office, rnd=rnd).content))
    client.force_login(office)
    page = client.get(reverse("analytics:round_situation", args=[rnd.pk])).content.decode()
    assert "本轮尚未形成巡察发现的问题" in page and "整改尚未开始" in page


def test_the_page_shows_the_figures_and_is_linked_from_the_round(sr, client, django_assert_max_num_queries):
    client.force_login(sr["office"])
    url = reverse("analytics:round_situation", args=[sr["round"].pk])
    client.get(url)
    with django_assert_max_num_queries(45):
        page = client.get(url).content.decode()
    assert "共发现问题 4 个" in page and "25.0%" in page and "侵占群众补贴" in page
    assert "甲县纪委监委" in page and "3,300.50" in page
    detail = client.get(reverse("plans:round_detail", args=[sr["round"].pk])).content.decode()
    assert url in detail


def test_the_page_narrows_to_one_unit(sr, client):
    client.force_login(sr["office"])
    url = reverse("analytics:round_situation", args=[sr["round"].pk])
    village = sr["village_target"].unit
    page = client.get(url, {"unit": village.pk}).content.decode()
    assert "共发现问题 1 个" in page
    assert client.get(url, {"unit": sr["other_office"].unit.pk}).status_code == 404
    assert client.get(url, {"unit": "x"}).status_code == 404


@pytest.mark.parametrize(
    ("who", "status"), [("office", 200), ("upper", 404), ("other_office", 404), ("unit_user", 404)]
)
def test_who_may_open_the_page_and_download(sr, client, who, status):
    client.force_login(sr[who])
    rnd = sr["round"]
    for name in ("analytics:round_situation", "analytics:situation_docx", "analytics:situation_xlsx"):
        assert client.get(reverse(name, args=[rnd.pk])).status_code == status, name
    start = client.post(reverse("analytics:situation_job_start", args=[rnd.pk]), {"format": "docx"})
    assert start.status_code == (302 if status == 200 else 404)


def test_the_upper_office_gets_aggregates_not_the_situation(sr, client):
    """Issue 13, finding 8: the situation page breaks the round down unit by unit (which unit has
    overdue tasks, whose plan is not approved); an upper office gets the dashboard's aggregates."""
    client.force_login(sr["upper"])
    assert client.get(reverse("analytics:round_situation", args=[sr["round"].pk])).status_code == 404
    dashboard = client.get(reverse("analytics:dashboard")).content.decode()
    assert "侵占群众补贴" not in dashboard
    assert reverse("analytics:round_situation", args=[sr["round"].pk]) not in dashboard


def test_the_job_is_queued_and_the_page_only_reads_its_progress(sr, client, django_assert_max_num_queries):
    """Starting queues the job; polling reads the row and never runs a step (the worker does)."""
    client.force_login(sr["office"])
    rnd = sr["round"]
    start = client.post(
        reverse("analytics:situation_job_start", args=[rnd.pk]), {"format": "docx"}, headers={"HX-Request": "true"}
    )
    job = DocumentJob.objects.get()
    assert job.steps_done == 0 and job.started_at is None and job.state == JobState.RUNNING
    assert job.task_id and DBTaskResult.objects.get(pk=job.task_id).task_path.endswith("situation_job_run")
    body = start.content.decode()
    assert 'hx-trigger="every 2s"' in body and "情况汇报（Word）已排队" in body
    status = reverse("analytics:situation_job_status", args=[job.pk])
    for _ in range(3):
        # A cheap read: session, user, grants, the job row (and the session's save).
        with django_assert_max_num_queries(7):
            body = client.get(status, headers={"HX-Request": "true"}).content.decode()
    job.refresh_from_db()
    assert job.steps_done == 0 and "已排队" in body
    # What the worker writes as it goes is what the page shows.
    DocumentJob.objects.filter(pk=job.pk).update(started_at=timezone.now(), steps_done=1)
    body = client.get(status, headers={"HX-Request": "true"}).content.decode()
    assert "every 2s" in body and "第 1/5 步" in body and "统计发现的问题" in body
    # Still waiting for the worker after a while: the page says whom to ask.
    DocumentJob.objects.filter(pk=job.pk).update(
        started_at=None, steps_done=0, created_at=timezone.now() - timedelta(minutes=5)
    )
    assert "后台任务进程可能未运行" in client.get(status, headers={"HX-Request": "true"}).content.decode()
    # Started long ago and never finished (the worker was killed mid-task): said so, polling stops.
    DocumentJob.objects.filter(pk=job.pk).update(started_at=timezone.now() - timedelta(hours=1))
    body = client.get(status, headers={"HX-Request": "true"}).content.decode()
    assert "生成中断" in body and "every 2s" not in body


def test_the_worker_runs_every_step_and_the_page_offers_the_download(sr, client):
    client.force_login(sr["office"])
    rnd = sr["round"]
    client.post(reverse("analytics:situation_job_start", args=[rnd.pk]), {"format": "docx"})
    job = DocumentJob.objects.get()
    assert situation_jobs.situation_job_run.call(str(job.pk)) == "done"
    job.refresh_from_db()
    assert (job.steps_done, job.state) == (5, JobState.DONE) and job.started_at and job.finished_at
    assert not AuditEntry.objects.filter(action="documents.export").exists()  # generating is not handing out
    body = client.get(reverse("analytics:situation_job_status", args=[job.pk]), headers={"HX-Request": "true"})
    assert "every 2s" not in body.content.decode() and "下载" in body.content.decode()
    # The situation page lists the job again (the tab that started it may be long closed).
    page = client.get(reverse("analytics:round_situation", args=[rnd.pk])).content.decode()
    assert reverse("analytics:situation_job_download", args=[job.pk]) in page
    download = client.get(reverse("analytics:situation_job_download", args=[job.pk]))
    assert "共发现问题4个" in body_text(open_docx(download.content))
    assert AuditEntry.objects.filter(action="documents.export").count() == 1
    # A second run of the task (a retry, say) finds nothing to do: nothing rendered or audited again.
    assert situation_jobs.situation_job_run.call(str(job.pk)) == "done"
    assert AuditEntry.objects.filter(action="documents.export").count() == 1


def test_a_job_whose_requester_lost_access_fails_with_a_message(sr, client):
    client.force_login(sr["office"])
    client.post(reverse("analytics:situation_job_start", args=[sr["round"].pk]), {"format": "docx"})
    job = DocumentJob.objects.get()
    RoleAssignment.objects.filter(user=sr["office"]).update(revoked_at=timezone.now())
    assert situation_jobs.situation_job_run.call(str(job.pk)) == "failed"
    job.refresh_from_db()
    assert job.state == JobState.FAILED and job.error == "您已无权查看本轮巡察的统计数据。" and job.steps_done == 1


def test_a_job_removed_before_the_worker_got_to_it_is_skipped(sr, client):
    client.force_login(sr["office"])
    client.post(reverse("analytics:situation_job_start", args=[sr["round"].pk]), {"format": "xlsx"})
    pk = DocumentJob.objects.get().pk
    DocumentJob.objects.filter(pk=pk).delete()
    assert situation_jobs.situation_job_run.call(str(pk)) == "missing"


def test_a_job_belongs_to_its_requester(sr, client):
    client.force_login(sr["office"])
    client.post(reverse("analytics:situation_job_start", args=[sr["round"].pk]), {"format": "xlsx"})
    job = DocumentJob.objects.get()
    situation_jobs.situation_job_run.call(str(job.pk))
    job.refresh_from_db()
    assert job.state == JobState.DONE
    colleague = make_user(sr["office"].unit, Role.OFFICE_STAFF, scope=sr["round"].jurisdiction)
    client.force_login(colleague)
    for name in ("analytics:situation_job", "analytics:situation_job_download", "analytics:situation_job_status"):
        assert client.get(reverse(name, args=[job.pk])).status_code == 404
    page = client.get(reverse("analytics:round_situation", args=[sr["round"].pk])).content.decode()
    assert str(job.pk) not in page


def test_a_bad_format_is_refused_with_a_message(sr, client):
    client.force_login(sr["office"])
    response = client.post(reverse("analytics:situation_job_start", args=[sr["round"].pk]), {"format": "pdf"})
    assert response.status_code == 422 and "请选择要生成的文件" in response.content.decode()
    assert not DocumentJob.objects.exists()
