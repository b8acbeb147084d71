"""The plan: created from the feedback, tasks added while it is a draft (or returned), signed and
submitted by the main leader's account, reviewed jointly by the office, approved or returned."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from xuncha.accounts.permissions import Perm, require
from xuncha.audit.services import audit_record, snapshot
from xuncha.common.deadlines import deadline_from
from xuncha.common.exceptions import ServiceError
from xuncha.common.models import DeadlineKey
from xuncha.files.checks import check_upload
from xuncha.findings.models import Feedback, FeedbackState, Problem
from xuncha.rectification.models import Horizon, PlanReview, RectificationPlan, ReportInterval, Task
from xuncha.rectification.workflow import EDITABLE_PLAN_STATES, PLAN_WORKFLOW
from xuncha.workflow import Step

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


@transaction.atomic
def plan_import(*, actor: Any, plan: RectificationPlan, upload: Any) -> int:
    """Replace the draft's tasks with the rows of the unit's Excel file: all rows, or none."""
    from xuncha.rectification.excel import import_limits, parse_plan

    plan = _locked(plan)
    require(actor, Perm.RECTIFY_EDIT, plan)
    if plan.state not in EDITABLE_PLAN_STATES:
        raise ServiceError(_("整改方案已报送，任务不能再修改；如需修改请等待退回。"))
    if check_upload(upload, limits=import_limits()).kind != "xlsx":
        raise ServiceError(_("请上传 Excel 文件（.xlsx），可先下载模板填写。"))
    upload.seek(0)
    result = parse_plan(plan, upload.read())
    if result.errors:
        raise ServiceError(result.errors)
    removed = plan.tasks.count()
    # Clean-up tasks belong to the office's campaign: an import replaces only the unit's own.
    plan.tasks.filter(campaign__isnull=True).delete()
    start = (plan.tasks.aggregate(n=Max("number"))["n"] or 0) + 1
    Task.objects.bulk_create(Task(plan=plan, number=n, **row) for n, row in enumerate(result.rows, start=start))
    audit_record(
        actor=actor,
        action="rectification.plan.import",
        target=plan,
        after={"tasks": len(result.rows), "replaced": removed},
    )
    return len(result.rows)
