"""A large Excel file of the plan is imported by the worker (docs/adr/0011-background-jobs.md).

A file over ``IMPORT_INLINE_BYTES`` (or over ``MAX_ROWS`` rows) is kept on a ``PlanImport`` and
queued; the worker imports it as the requester, all rows or none, drops the file and tells the
requester; the plan's page polls the row. A small file is imported in the request, as before."""

from __future__ import annotations

import io
import random
from datetime import timedelta
from functools import cache

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from openpyxl import Workbook, load_workbook

from xuncha.accounts.models import RoleAssignment
from xuncha.accounts.permissions import Role
from xuncha.accounts.tests.factories import make_user
from xuncha.audit.models import AuditEntry
from xuncha.common.exceptions import ServiceError
from xuncha.common.tests.worker import run_worker
from xuncha.notify.models import Notification
from xuncha.rectification import excel
from xuncha.rectification.models import ImportState, PlanImport
from xuncha.rectification.services import plans as services
from xuncha.rectification.tasks import plan_import_task
from xuncha.rectification.tests.test_excel import _filled

WORDS = "建立健全制度规范管理严格执行清退补贴加强监督检查落实责任完善台账公开公示组织学习整改核查督促问责"
BIG = 800  # over the inline cap of 500 rows, and over IMPORT_INLINE_BYTES
QUEUED = "文件较大，已转入后台导入，完成后本页显示结果，您可关闭页面。"


@cache
def _workbook(rows: int, bad: tuple[int, ...] = (), short: bool = False) -> bytes:
    """The filled sheet: ``rows`` measures against problems 1 and 2, each row different (as a unit
    writes them); the rows numbered in ``bad`` (1-based) with a horizon that is not one."""
    rng = random.Random(rows)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = excel.SHEET
    sheet.append(excel.HEADERS)
    due = timezone.localdate() + timedelta(days=60)
    for n in range(1, rows + 1):
        if short:
            measure, standard = f"措施{n}", "完成"
        else:
            measure = f"{n}. " + "".join(rng.choice(WORDS) for _ in range(60))
            standard = "".join(rng.choice(WORDS) for _ in range(25))
        horizon = "尽快整改" if n in bad else "限期整改"
        sheet.append([1 + n % 2, "", measure, standard, horizon, due, "", "镇党政办", "镇财政所", f"张某{n % 17}"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _upload(data: bytes, name: str = "整改方案（全部）.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


@pytest.fixture
def plan(fed_back):
    return services.plan_create(actor=fed_back["liaison"], feedback=fed_back["feedback"])


@pytest.fixture
def with_tasks(fed_back, plan):
    """The plan with its two tasks, imported inline from the small template."""
    services.plan_import(actor=fed_back["liaison"], plan=plan, upload=_upload(_filled(plan, bad_row=False)))
    return plan


def _post(client, plan, data: bytes):
    response = client.post(reverse("rectification:plan_import", args=[plan.pk]), {"upload": _upload(data)})
    return response, [str(m) for m in get_messages(response.wsgi_request)]


def _status(client, plan) -> str:
    return client.get(reverse("rectification:plan_import_status", args=[plan.pk])).content.decode()


def test_the_large_file_is_over_the_inline_size():
    assert len(_workbook(BIG)) > excel.IMPORT_INLINE_BYTES


def test_a_small_file_is_imported_in_the_request(client, fed_back, plan):
    client.force_login(fed_back["liaison"])
    data = _filled(plan, bad_row=False)
    assert len(data) <= excel.IMPORT_INLINE_BYTES
    response, said = _post(client, plan, data)
    assert response.status_code == 302 and said == ["已导入整改任务。"]
    assert plan.tasks.count() == 2 and not PlanImport.objects.exists()
    entry = AuditEntry.objects.get(action="rectification.plan.import")
    assert entry.after == {"tasks": 2, "replaced": 0, "via": "inline"}


def test_a_large_file_is_queued_and_the_worker_imports_every_row(client, fed_back, with_tasks):
    plan, liaison = with_tasks, fed_back["liaison"]
    client.force_login(liaison)
    response, said = _post(client, plan, _workbook(BIG))
    assert response.status_code == 302 and said == [QUEUED]
    job = PlanImport.objects.get()
    assert (job.state, job.requested_by, job.filename, job.started_at) == (
        ImportState.RUNNING,
        liaison,
        "整改方案（全部）.xlsx",
        None,
    )
    assert bytes(job.content) == _workbook(BIG)
    assert DBTaskResult.objects.get(pk=job.task_id).task_path.endswith("rectification.tasks.plan_import_task")
    queued = AuditEntry.objects.get(action="rectification.plan.import_queued")
    assert queued.after["import"] == str(job.pk) and queued.after["bytes"] == len(_workbook(BIG))
    assert plan.tasks.count() == 2  # nothing imported in the request
    # The page shows the import running and polls it.
    page = client.get(plan.get_absolute_url()).content.decode()
    assert "正在后台导入《整改方案（全部）.xlsx》" in page and 'hx-trigger="every 3s"' in page

    assert plan_import_task.call(str(job.pk)) == "done"

    job.refresh_from_db()
    assert (job.state, job.rows, job.errors, job.content) == (ImportState.DONE, BIG, [], None)
    assert job.started_at and job.finished_at and job.finished_at >= job.started_at
    assert plan.tasks.count() == BIG
    assert list(plan.tasks.order_by("number").values_list("number", flat=True)) == list(range(1, BIG + 1))
    assert plan.tasks.get(number=BIG).measure.startswith(f"{BIG}. ")
    entry = AuditEntry.objects.filter(action="rectification.plan.import").latest("seq")
    assert entry.after == {"tasks": BIG, "replaced": 2, "via": "background"} and entry.actor == liaison
    note = Notification.objects.get(user=liaison, key=f"rectification.plan_import.{job.pk}")
    assert note.title == f"整改方案导入完成：导入整改任务{BIG}项" and note.url == plan.get_absolute_url()
    body = _status(client, plan)
    assert f"导入整改任务{BIG}项" in body and "every 3s" not in body
    # A second run of the same task (a retry) changes nothing.
    assert plan_import_task.call(str(job.pk)) == "done"
    assert plan.tasks.count() == BIG and AuditEntry.objects.filter(action="rectification.plan.import").count() == 2


def test_many_short_rows_in_a_small_file_go_to_the_worker_too(fed_back, plan):
    data = _workbook(600, short=True)
    assert len(data) <= excel.IMPORT_INLINE_BYTES  # small, but over the inline cap of 500 rows
    job = services.plan_import(actor=fed_back["liaison"], plan=plan, upload=_upload(data))
    assert isinstance(job, PlanImport) and not plan.tasks.exists()
    assert plan_import_task.call(str(job.pk)) == "done"
    assert plan.tasks.count() == 600


def test_a_large_file_that_is_no_plan_workbook_is_refused_at_once(fed_back, plan):
    """What can be told without reading the rows (no such sheet, unreadable) is told in the request."""
    workbook = load_workbook(io.BytesIO(_workbook(BIG)))
    workbook[excel.SHEET].title = "Sheet1"
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert len(buffer.getvalue()) > excel.IMPORT_INLINE_BYTES
    with pytest.raises(ServiceError, match="没有找到“整改任务”工作表"):
        services.plan_import(actor=fed_back["liaison"], plan=plan, upload=_upload(buffer.getvalue()))
    assert not PlanImport.objects.exists() and not DBTaskResult.objects.exists()


def test_a_large_file_with_bad_rows_imports_nothing_and_names_them(client, fed_back, with_tasks):
    plan, liaison = with_tasks, fed_back["liaison"]
    before = list(plan.tasks.values_list("pk", "measure"))
    bad = tuple(range(100, 160))  # 60 bad rows: the page lists 50 and counts the rest
    job = services.plan_import(actor=liaison, plan=plan, upload=_upload(_workbook(BIG, bad=bad)))
    assert plan_import_task.call(str(job.pk)) == "failed"
    job.refresh_from_db()
    assert (job.state, job.rows, job.content) == (ImportState.FAILED, 0, None) and job.finished_at
    assert len(job.errors) == 60 and job.errors[0].startswith("第101行：")  # sheet row = row number + 1
    assert "整改时限类型应为立行立改、限期整改或长期坚持" in job.errors[0]
    assert list(plan.tasks.values_list("pk", "measure")) == before
    assert not AuditEntry.objects.filter(action="rectification.plan.import", after__via="background").exists()
    note = Notification.objects.get(user=liaison)
    assert note.title == "整改方案导入未成功，请查看错误"
    client.force_login(liaison)
    body = client.get(plan.get_absolute_url()).content.decode()
    assert "第101行" in body and "第150行" in body and "第151行" not in body and "另有10处错误" in body


def test_a_plan_submitted_before_the_worker_ran_is_left_alone(fed_back, with_tasks):
    plan = with_tasks
    before = list(plan.tasks.values_list("pk", flat=True))
    job = services.plan_import(actor=fed_back["liaison"], plan=plan, upload=_upload(_workbook(BIG)))
    services.plan_transition(obj=plan, action="submit", actor=fed_back["unit_leader"])
    assert plan_import_task.call(str(job.pk)) == "failed"
    job.refresh_from_db()
    assert job.errors == ["整改方案已在导入前报送，文件未导入；如需修改请等待退回。"] and job.content is None
    assert list(plan.tasks.values_list("pk", flat=True)) == before


def test_a_requester_who_lost_the_right_to_edit_imports_nothing(fed_back, with_tasks):
    plan = with_tasks
    job = services.plan_import(actor=fed_back["liaison"], plan=plan, upload=_upload(_workbook(BIG)))
    RoleAssignment.objects.filter(user=fed_back["liaison"]).update(revoked_at=timezone.now())
    assert plan_import_task.call(str(job.pk)) == "failed"
    job.refresh_from_db()
    assert job.errors == ["您已无权修改本单位的整改方案，文件未导入。"] and plan.tasks.count() == 2


def test_an_unexpected_error_fails_the_import_with_a_message(fed_back, plan, monkeypatch, caplog):
    job = services.plan_import(actor=fed_back["liaison"], plan=plan, upload=_upload(_workbook(BIG)))

    def broken(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(excel, "parse_plan", broken)
    assert plan_import_task.call(str(job.pk)) == "failed"
    job.refresh_from_db()
    assert job.errors == [str(services.IMPORT_FAILED)] and job.content is None and job.finished_at
    assert "disk on fire" in caplog.text and not plan.tasks.exists()
    assert Notification.objects.get(user=fed_back["liaison"]).title == "整改方案导入未成功，请查看错误"


def test_a_removed_import_is_skipped(fed_back, plan):
    job = services.plan_import(actor=fed_back["liaison"], plan=plan, upload=_upload(_workbook(BIG)))
    PlanImport.objects.filter(pk=job.pk).delete()
    assert plan_import_task.call(str(job.pk)) == "missing"


def test_one_import_at_a_time_unless_the_last_was_cut_off(client, fed_back, plan):
    client.force_login(fed_back["liaison"])
    first = services.plan_import(actor=fed_back["liaison"], plan=plan, upload=_upload(_workbook(BIG)))
    with pytest.raises(ServiceError, match="上一份文件仍在导入，请等待完成后再导入。"):
        services.plan_import(actor=fed_back["liaison"], plan=plan, upload=_upload(_workbook(BIG)))
    _, said = _post(client, plan, _workbook(BIG))
    assert said == ["上一份文件仍在导入，请等待完成后再导入。"] and PlanImport.objects.count() == 1
    # Queued for a while: the page says the worker may not be running.
    PlanImport.objects.filter(pk=first.pk).update(created_at=timezone.now() - timedelta(minutes=5))
    assert "后台任务进程可能未运行" in _status(client, plan)
    # Never finished (the worker was stopped): said so, polling stops, and the next upload goes ahead.
    PlanImport.objects.filter(pk=first.pk).update(created_at=timezone.now() - timedelta(hours=1))
    body = _status(client, plan)
    assert "导入中断" in body and "every 3s" not in body
    second = services.plan_import(actor=fed_back["liaison"], plan=plan, upload=_upload(_workbook(BIG)))
    first.refresh_from_db()
    assert first.state == ImportState.FAILED and first.content is None and "导入中断" in first.errors[0]
    assert plan_import_task.call(str(first.pk)) == "failed"  # a late run of the old task does nothing
    assert not plan.tasks.exists()
    assert plan_import_task.call(str(second.pk)) == "done" and plan.tasks.count() == BIG


def test_the_poll_answers_whoever_may_see_the_plan(client, fed_back, world, plan, django_assert_max_num_queries):
    job = services.plan_import(actor=fed_back["liaison"], plan=plan, upload=_upload(_workbook(BIG)))
    plan_import_task.call(str(job.pk))
    url = reverse("rectification:plan_import_status", args=[plan.pk])
    stranger = make_user(world.a["dept"], Role.UNIT_LIAISON, scope=world.a["dept"])  # another unit's liaison
    client.force_login(stranger)
    assert client.get(url).status_code == 404
    client.force_login(fed_back["liaison"])
    # A cheap read: session, user, grants, the plan, the import row, the navigation's membership
    # check (a liaison holds no leader code), and the session's save (savepoint, update, release).
    with django_assert_max_num_queries(9):
        response = client.get(url, headers={"HX-Request": "true"})
    assert response.status_code == 200 and f"导入整改任务{BIG}项" in response.content.decode()
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    client.force_login(fed_back["office"])
    assert f"导入整改任务{BIG}项" in _status(client, plan)
    # Only the last day's import is shown.
    PlanImport.objects.update(created_at=timezone.now() - timedelta(days=2))
    assert "导入整改任务" not in _status(client, plan)


@pytest.mark.django_db(transaction=True)
def test_the_real_worker_runs_the_queued_import(client, fed_back, plan):
    client.force_login(fed_back["liaison"])
    _post(client, plan, _workbook(BIG))
    job = PlanImport.objects.get()
    assert run_worker() == 1
    job.refresh_from_db()
    assert (job.state, job.rows, job.content) == (ImportState.DONE, BIG, None)
    assert DBTaskResult.objects.get(pk=job.task_id).return_value == "done"
    assert plan.tasks.count() == BIG
