"""The plan: created from the feedback, tasks added while it is a draft (or returned), signed and
submitted by the main leader's account, reviewed jointly by the office, approved or returned."""

from __future__ import annotations

import logging
from datetime import date
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xuncha.accounts.permissions import Perm, has_perm, require
from xuncha.audit.services import audit_record, snapshot
from xuncha.common.deadlines import deadline_from
from xuncha.common.exceptions import ServiceError
from xuncha.common.models import DeadlineKey
from xuncha.common.tasks import enqueue
from xuncha.files.checks import check_upload
from xuncha.findings.models import Feedback, FeedbackState, Problem
from xuncha.notify.services import notify
from xuncha.rectification.models import (
    Horizon,
    ImportState,
    PlanImport,
    PlanReview,
    RectificationPlan,
    ReportInterval,
    Task,
)
from xuncha.rectification.selectors.imports import IMPORT_STALL
from xuncha.rectification.workflow import EDITABLE_PLAN_STATES, PLAN_WORKFLOW
from xuncha.workflow import Step

if TYPE_CHECKING:
    from xuncha.rectification.excel import ImportResult

logger = logging.getLogger(__name__)

TASK_FIELDS = [
    "measure",
    "standard",
    "horizon",
    "due_on",
    "leader",
    "lead_dept",
    "coop_depts",
    "owner",
    "report_interval",
]


@transaction.atomic
def plan_create(*, actor: Any, feedback: Feedback) -> RectificationPlan:
    feedback = Feedback.objects.select_related("target__unit").get(pk=feedback.pk)
    require(actor, Perm.RECTIFY_EDIT, feedback)
    if feedback.state != FeedbackState.SENT:
        raise ServiceError(_("巡察反馈后才能编制整改方案。"))
    plan, created = RectificationPlan.objects.get_or_create(feedback=feedback)
    if created:
        audit_record(actor=actor, action="rectification.plan.create", target=plan, after={"feedback": feedback.pk})
    return plan


def _locked(plan: RectificationPlan) -> RectificationPlan:
    return (
        RectificationPlan.objects.select_for_update(of=("self",))
        .select_related("feedback__target__unit", "feedback__target__round__jurisdiction", "feedback__main_leader")
        .get(pk=plan.pk)
    )


def feedback_day(plan: RectificationPlan) -> date:
    """The day the unit was given its feedback, which starts its rectification clock."""
    sent_on = plan.feedback.sent_on
    # A plan is created only from a sent feedback (plan_create), and sending sets the date.
    assert sent_on is not None
    return sent_on


def report_due(plan: RectificationPlan) -> date:
    feedback = plan.feedback
    return deadline_from(DeadlineKey.RECTIFICATION_REPORT, feedback_day(plan), feedback.target.round.jurisdiction)


def _clean_task(plan: RectificationPlan, data: dict[str, Any]) -> dict[str, Any]:
    cleaned: dict[str, Any] = {k: (v.strip() if isinstance(v, str) else v) for k, v in data.items()}
    for name, label in (
        ("measure", _("整改措施")),
        ("standard", _("完成标准")),
        ("lead_dept", _("牵头部门")),
        ("owner", _("具体责任人")),
    ):
        if name in cleaned and not cleaned[name]:
            raise ServiceError(_("请填写%(field)s。") % {"field": label})
    if "horizon" in cleaned and cleaned["horizon"] not in Horizon.values:
        raise ServiceError(_("整改时限类型不正确。"))
    interval = cleaned.get("report_interval")
    if interval in ("", None):
        if "report_interval" in cleaned:
            cleaned["report_interval"] = None
    elif str(interval) not in {str(v) for v in ReportInterval.values}:
        raise ServiceError(_("定期报告周期不正确。"))
    elif cleaned.get("horizon", Horizon.LONG_TERM) != Horizon.LONG_TERM:
        raise ServiceError(_("只有长期坚持类任务需要定期报告。"))
    else:
        cleaned["report_interval"] = int(interval)
    due = cleaned.get("due_on")
    if due is not None and due < feedback_day(plan):
        raise ServiceError(_("完成时限不能早于反馈日期。"))
    return cleaned


@transaction.atomic
def task_add(*, actor: Any, plan: RectificationPlan, problem: Problem, **data: Any) -> Task:
    plan = _locked(plan)
    require(actor, Perm.RECTIFY_EDIT, plan)
    if plan.state not in EDITABLE_PLAN_STATES:
        raise ServiceError(_("整改方案已报送，任务不能再修改；如需修改请等待退回。"))
    if problem.target_id != plan.feedback.target_id:
        raise ServiceError(_("只能针对反馈给本单位的问题制定措施。"))
    unknown = set(data) - set(TASK_FIELDS)
    if unknown:
        raise ServiceError(_("不能填写的字段：%(fields)s") % {"fields": ", ".join(sorted(unknown))})
    cleaned = _clean_task(plan, data)
    if cleaned.get("due_on") is None:
        raise ServiceError(_("请填写完成时限。"))
    number = (plan.tasks.aggregate(n=Max("number"))["n"] or 0) + 1
    task = Task.objects.create(plan=plan, problem=problem, number=number, **cleaned)
    audit_record(actor=actor, action="rectification.task.add", target=task, after=snapshot(task, TASK_FIELDS))
    return task


@transaction.atomic
def task_update(*, actor: Any, task: Task, **data: Any) -> Task:
    plan = _locked(task.plan)
    require(actor, Perm.RECTIFY_EDIT, plan)
    if plan.state not in EDITABLE_PLAN_STATES:
        raise ServiceError(_("整改方案已报送，任务不能再修改；如需修改请等待退回。"))
    task = Task.objects.select_for_update().get(pk=task.pk)
    if task.campaign_id:
        raise ServiceError(_("专项整治任务由巡察办部署，单位不能修改或删除。"))
    cleaned = _clean_task(plan, {k: v for k, v in data.items() if k in TASK_FIELDS})
    before = snapshot(task, TASK_FIELDS)
    for key, value in cleaned.items():
        setattr(task, key, value)
    task.save(update_fields=[*cleaned.keys(), "updated_at"])
    audit_record(
        actor=actor, action="rectification.task.update", target=task, before=before, after=snapshot(task, TASK_FIELDS)
    )
    return task


@transaction.atomic
def task_remove(*, actor: Any, task: Task) -> None:
    plan = _locked(task.plan)
    require(actor, Perm.RECTIFY_EDIT, plan)
    if plan.state not in EDITABLE_PLAN_STATES:
        raise ServiceError(_("整改方案已报送，任务不能再修改；如需修改请等待退回。"))
    if task.campaign_id:
        raise ServiceError(_("专项整治任务由巡察办部署，单位不能修改或删除。"))
    audit_record(actor=actor, action="rectification.task.remove", target=task, before=snapshot(task, TASK_FIELDS))
    task.delete()


def plan_snapshot(plan: RectificationPlan) -> list[dict[str, Any]]:
    """The tasks as they stand, in plain data: stored with each review so versions can be compared."""
    return [
        {
            "number": t.number,
            "problem": t.problem.number,
            "measure": t.measure,
            "standard": t.standard,
            "horizon": t.horizon,
            "due_on": t.due_on.isoformat(),
            "lead_dept": t.lead_dept,
            "owner": t.owner,
        }
        # Clean-up tasks are the office's, added after review: not part of the unit's versions.
        for t in plan.tasks.filter(campaign__isnull=True).select_related("problem").order_by("number")
    ]


def plan_warnings(plan: RectificationPlan) -> list[str]:
    """Not refusals, warnings: tasks due after the rectification report is due (some are long-term)."""
    due = report_due(plan)
    late = plan.tasks.filter(due_on__gt=due).exclude(horizon=Horizon.LONG_TERM).order_by("number")
    numbers = "、".join(str(t.number) for t in late)
    if not numbers:
        return []
    return [_("任务%(n)s的完成时限晚于整改情况报告报送期限（%(due)s）。") % {"n": numbers, "due": due.isoformat()}]


@transaction.atomic
def plan_transition(
    *, obj: RectificationPlan, action: str, actor: Any, data: dict[str, Any] | None = None
) -> RectificationPlan:
    """Submit, start the joint review, approve or return. Two reviewers acting at once: the row lock
    makes one wait, and it then finds the plan already moved and is told so."""
    moved: RectificationPlan = PLAN_WORKFLOW.apply(
        obj,
        action,
        actor=actor,
        data=data,
        queryset=RectificationPlan.objects.select_related(
            "feedback__target__unit", "feedback__target__round__jurisdiction", "feedback__main_leader"
        ),
        effect=_plan_step,
    ).obj  # Applied.obj is Any: the row it moved
    return moved


def _plan_step(step: Step) -> None:
    plan, today = step.obj, timezone.localdate()
    if step.action == "submit":
        step.set(signed_by=plan.feedback.main_leader, signed_on=today)
    if step.action in ("approve", "return"):
        PlanReview.objects.create(
            plan=plan,
            version=plan.version,
            decision=PlanReview.Decision.APPROVE if step.action == "approve" else PlanReview.Decision.RETURN,
            comment=step.comment,
            item_comments={
                str(k): str(v).strip() for k, v in (step.data.get("item_comments") or {}).items() if str(v).strip()
            },
            snapshot=plan_snapshot(plan),
            reviewer=step.user,
        )
    if step.action == "approve":
        step.set(approved_on=today)
    if step.action == "return":
        step.set(version=plan.version + 1)  # the next submission is a new version
    step.audit.update(version=plan.version, tasks=plan.tasks.count())


def version_diff(before: list[dict[str, Any]], after: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """What changed between two snapshots, task by task: added, removed, or the fields changed."""
    old = {row["number"]: row for row in before}
    new = {row["number"]: row for row in after}
    changes = []
    for number in sorted(set(old) | set(new)):
        if number not in old:
            changes.append({"number": number, "change": "added", "fields": new[number]})
        elif number not in new:
            changes.append({"number": number, "change": "removed", "fields": old[number]})
        else:
            fields = {k: (old[number].get(k), v) for k, v in new[number].items() if old[number].get(k) != v}
            if fields:
                changes.append({"number": number, "change": "changed", "fields": fields})
    return changes


IMPORT_FAILED = gettext_lazy("导入时出现错误，请稍后重新导入；如仍失败请联系系统管理员。")
IMPORT_STALLED = gettext_lazy("导入中断：后台任务进程未能完成导入，请重新导入。")


@transaction.atomic
def plan_import(*, actor: Any, plan: RectificationPlan, upload: Any) -> int | PlanImport:
    """Replace the draft's tasks with the rows of the unit's Excel file: all rows, or none.

    A file of up to ``IMPORT_INLINE_BYTES`` (and ``MAX_ROWS`` rows) is imported now: the number of
    tasks imported. A larger one is queued for the worker (``plan_import_task``): the
    ``PlanImport`` the plan's page then shows until it ends."""
    from xuncha.rectification.excel import IMPORT_INLINE_BYTES, check_workbook, import_limits, parse_plan

    plan = _locked(plan)
    require(actor, Perm.RECTIFY_EDIT, plan)
    if plan.state not in EDITABLE_PLAN_STATES:
        raise ServiceError(_("整改方案已报送，任务不能再修改；如需修改请等待退回。"))
    checked = check_upload(upload, limits=import_limits())
    if checked.kind != "xlsx":
        raise ServiceError(_("请上传 Excel 文件（.xlsx），可先下载模板填写。"))
    upload.seek(0)
    data = upload.read()
    if len(data) > IMPORT_INLINE_BYTES:
        if errors := check_workbook(data):  # not a plan workbook at all: said now, not queued
            raise ServiceError(errors)
        return _queue_import(actor, plan, checked.name, data)
    result = parse_plan(plan, data)
    if result.over_limit:  # many short rows pack into a small file: the worker's limit applies
        return _queue_import(actor, plan, checked.name, data)
    if result.errors:
        raise ServiceError(result.errors)
    return _apply_rows(actor, plan, result, via="inline")


def _apply_rows(actor: Any, plan: RectificationPlan, result: ImportResult, *, via: str) -> int:
    """Replace the unit's tasks with ``result``'s rows (plan locked, rows checked by the caller)."""
    removed = plan.tasks.count()
    # Clean-up tasks belong to the office's campaign: an import replaces only the unit's own.
    plan.tasks.filter(campaign__isnull=True).delete()
    start = (plan.tasks.aggregate(n=Max("number"))["n"] or 0) + 1
    Task.objects.bulk_create(Task(plan=plan, number=n, **row) for n, row in enumerate(result.rows, start=start))
    audit_record(
        actor=actor,
        action="rectification.plan.import",
        target=plan,
        after={"tasks": len(result.rows), "replaced": removed, "via": via},
    )
    return len(result.rows)


def _queue_import(actor: Any, plan: RectificationPlan, filename: str, data: bytes) -> PlanImport:
    """Keep the file on a ``PlanImport`` and queue its task, in the caller's transaction (plan locked)."""
    from xuncha.rectification.tasks import plan_import_task  # the task runs plan_import_run below

    now = timezone.now()
    running = plan.imports.filter(state=ImportState.RUNNING)
    # One at a time; one cut off (IMPORT_STALL) holds up nobody: it is ended here.
    if running.filter(created_at__gte=now - IMPORT_STALL).exists():
        raise ServiceError(_("上一份文件仍在导入，请等待完成后再导入。"), code="import_running")
    running.update(state=ImportState.FAILED, errors=[str(IMPORT_STALLED)], content=None, finished_at=now)
    job = PlanImport.objects.create(
        plan=plan, requested_by=actor, filename=filename, content=data, lang=translation.get_language() or ""
    )
    job.task_id = enqueue(plan_import_task, str(job.pk))
    job.save(update_fields=["task_id"])
    audit_record(
        actor=actor,
        action="rectification.plan.import_queued",
        target=plan,
        after={"import": str(job.pk), "file": filename, "bytes": len(data)},
    )
    return job


def plan_import_run(import_id: str) -> str:
    """The worker's side of a queued import (``plan_import_task``); the final state.

    Runs as the requester, as long as they still may edit the plan and it is still a draft. The file
    is parsed outside any transaction (on SQLite a write transaction blocks every other writer);
    the plan is then locked, checked again and its tasks replaced. The file is dropped at the end,
    and the requester is told in their inbox."""
    job = PlanImport.objects.select_related("requested_by", "plan").filter(pk=import_id).first()
    if job is None:
        return "missing"
    # Taken once: a second run of the same task (or one for an import marked stalled) does nothing.
    if not PlanImport.objects.filter(pk=job.pk, state=ImportState.RUNNING, started_at__isnull=True).update(
        started_at=timezone.now()
    ):
        return str(PlanImport.objects.values_list("state", flat=True).get(pk=job.pk))
    with translation.override(job.lang or settings.LANGUAGE_CODE):
        try:
            changes = _import_file(job)
        except Exception:
            logger.exception("Plan import %s failed", job.pk)
            changes = {"state": ImportState.FAILED, "errors": [str(IMPORT_FAILED)]}
        _finish(job, changes)  # already done for an applied import, with its tasks
        _tell(job, changes)
    return str(changes["state"])


def _finish(job: PlanImport, changes: dict[str, Any]) -> None:
    """End a running import with ``changes``, dropping the file (a no-op once it has ended)."""
    PlanImport.objects.filter(pk=job.pk, state=ImportState.RUNNING).update(
        **changes, content=None, finished_at=timezone.now()
    )


def _refusal(user: Any, plan: RectificationPlan) -> str | None:
    if not has_perm(user, Perm.RECTIFY_EDIT, plan):
        return _("您已无权修改本单位的整改方案，文件未导入。")
    if plan.state not in EDITABLE_PLAN_STATES:
        return _("整改方案已在导入前报送，文件未导入；如需修改请等待退回。")
    return None


def _import_file(job: PlanImport) -> dict[str, Any]:
    """Parse, then lock, check and apply: the fields that end the import."""
    from xuncha.rectification.excel import MAX_ROWS_BACKGROUND, parse_plan

    user = job.requested_by
    plan = RectificationPlan.objects.select_related("feedback__target__unit").get(pk=job.plan_id)
    if (refused := _refusal(user, plan)) is not None:
        return {"state": ImportState.FAILED, "errors": [refused]}
    result = parse_plan(plan, bytes(job.content or b""), max_rows=MAX_ROWS_BACKGROUND)
    if result.errors:
        return {"state": ImportState.FAILED, "errors": result.errors}
    with transaction.atomic():
        plan = _locked(plan)  # submitted or returned meanwhile? the lock settles it
        if (refused := _refusal(user, plan)) is not None:
            return {"state": ImportState.FAILED, "errors": [refused]}
        changes = {"state": ImportState.DONE, "rows": _apply_rows(user, plan, result, via="background")}
        _finish(job, changes)  # the outcome commits with the tasks
    return changes


def _tell(job: PlanImport, changes: dict[str, Any]) -> None:
    if changes["state"] == ImportState.DONE:
        title = _("整改方案导入完成：导入整改任务%(n)s项") % {"n": changes["rows"]}
    else:
        title = _("整改方案导入未成功，请查看错误")
    url = job.plan.get_absolute_url()
    notify(user=job.requested_by, key=f"rectification.plan_import.{job.pk}", title=title, url=url)
