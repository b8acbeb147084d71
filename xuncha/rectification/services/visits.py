"""Return visits (回访督查): the office goes back to the unit and records what it found. A finding on
a closed (or long-term, stage-completed) task may send that task back to work through the task
workflow's ``reopen`` transition, in the same transaction as the visit: the visit and every reopening
are written together, or nothing is."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xuncha.accounts.permissions import Perm, require
from xuncha.audit.services import audit_record
from xuncha.common.actors import SYSTEM
from xuncha.common.exceptions import ServiceError
from xuncha.rectification.models import (
    PlanState,
    RectificationPlan,
    ReturnVisit,
    Task,
    TaskUpdate,
    VisitFinding,
)
from xuncha.rectification.services.plans import feedback_day
from xuncha.rectification.workflow import TASK_WORKFLOW
from xuncha.workflow import Step

MAX_TEXT = 5000
MAX_FINDINGS = 50


def check_not_future(day: date | None, label: str) -> date:
    """``day``, given and not after today."""
    if day is None:
        raise ServiceError(_("请填写%(field)s。") % {"field": label})
    if day > timezone.localdate():
        raise ServiceError(_("%(field)s不能晚于今天。") % {"field": label})
    return day


def clean_text(value: Any, label: str, *, required: bool = True, max_length: int = MAX_TEXT) -> str:
    text = str(value or "").replace("\x00", "").strip()
    if required and not text:
        raise ServiceError(_("请填写%(field)s。") % {"field": label})
    if len(text) > max_length:
        raise ServiceError(_("%(field)s过长，请精简到%(n)s字以内。") % {"field": label, "n": max_length})
    return text


def _clean_findings(plan: RectificationPlan, findings: list[dict[str, Any]]) -> list[dict[str, Any]]:
    if len(findings) > MAX_FINDINGS:
        raise ServiceError(_("一次回访最多登记%(n)s条发现的问题。") % {"n": MAX_FINDINGS})
    cleaned, reopening = [], set()
    for index, row in enumerate(findings, start=1):
        text = clean_text(row.get("text"), _("第%(n)s条发现的问题") % {"n": index})
        task, reopen = row.get("task"), bool(row.get("reopen"))
        if task is not None and task.plan_id != plan.pk:
            raise ServiceError(_("第%(n)s条：只能关联本单位整改方案中的任务。") % {"n": index})
        if reopen:
            if task is None:
                raise ServiceError(_("第%(n)s条：重新整改须选择对应的整改任务。") % {"n": index})
            if task.pk in reopening:
                raise ServiceError(_("第%(n)s条：任务%(t)s已在本次回访中重新整改。") % {"n": index, "t": task.number})
            reopening.add(task.pk)
        cleaned.append({"text": text, "task": task, "reopen": reopen})
    return cleaned


@transaction.atomic
def visit_record(
    *,
    actor: Any,
    plan: RectificationPlan,
    visited_on: date,
    visitors: str,
    summary: str,
    findings: list[dict[str, Any]] | None = None,
) -> ReturnVisit:
    """Record a visit with its findings (``[{"text", "task", "reopen"}]``); reopen the tasks asked for."""
    plan = RectificationPlan.objects.select_for_update(of=("self",)).select_related("feedback").get(pk=plan.pk)
    require(actor, Perm.RECTIFY_SUPERVISE, plan)
    if plan.state != PlanState.APPROVED:
        raise ServiceError(_("整改方案审核通过后才能开展回访督查。"))
    check_not_future(visited_on, _("回访日期"))
    if visited_on < feedback_day(plan):
        raise ServiceError(_("回访日期不能早于反馈日期。"))
    visitors = clean_text(visitors, _("回访人员"), max_length=200)
    summary = clean_text(summary, _("回访情况"))
    rows = _clean_findings(plan, list(findings or []))
    visit = ReturnVisit.objects.create(
        plan=plan,
        visited_on=visited_on,
        visitors=visitors,
        summary=summary,
        created_by=None if actor is SYSTEM else actor,
    )
    reopened = []
    for row in rows:
        VisitFinding.objects.create(visit=visit, task=row["task"], text=row["text"], reopened=row["reopen"])
        if row["reopen"]:
            reopened.append(task_reopen(actor=actor, task=row["task"], reason=row["text"], visit=visit).number)
    audit_record(
        actor=actor,
        action="rectification.visit.record",
        target=visit,
        after={
            "visited_on": visited_on,
            "visitors": visitors,
            "findings": len(rows),
            "reopened_tasks": reopened,
        },
    )
    return visit


def task_reopen(*, actor: Any, task: Task, reason: str, visit: ReturnVisit) -> Task:
    """The task workflow's ``reopen``, applied for a visit: the update carries the reason and the
    visit date, and the closing date is cleared."""

    def reopen(step: Step) -> None:
        text = _("%(day)s回访督查发现：%(reason)s") % {"day": visit.visited_on.isoformat(), "reason": reason}
        update = TaskUpdate.objects.create(task=step.obj, kind=TaskUpdate.Kind.REOPEN, text=text, actor=step.user)
        step.audit_before["closed_on"] = step.obj.closed_on
        step.set(closed_on=None)
        step.comment = text
        step.audit.update(update=update.pk, visit=visit.pk)

    def not_allowed(row: Task) -> str:
        return _("任务%(n)s当前为“%(state)s”，只有已销号或阶段性完成的任务才能重新整改。") % {
            "n": row.number,
            "state": row.get_state_display(),
        }

    moved: Task = TASK_WORKFLOW.apply(
        task,
        "reopen",
        actor=actor,
        data={"text": reason},
        queryset=Task.objects.select_related("plan__feedback__target__unit"),
        effect=reopen,
        not_allowed=not_allowed,
    ).obj  # Applied.obj is Any: the row it moved
    return moved
