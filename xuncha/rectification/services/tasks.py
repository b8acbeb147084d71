"""Task progress and closure: reports with evidence; a closure request needs evidence and a
verifier other than the requester; a rejection sends the task back with the reason."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xuncha.accounts.permissions import Perm, require
from xuncha.audit.services import audit_record
from xuncha.common.actors import SYSTEM
from xuncha.common.exceptions import ServiceError
from xuncha.files.services import file_store_many
from xuncha.rectification.models import Horizon, PlanState, Task, TaskState, TaskUpdate
from xuncha.rectification.workflow import TASK_WORKFLOW
from xuncha.workflow import Step

MAX_TEXT = 5000


def _locked(task: Task) -> Task:
    return (
        Task.objects.select_for_update(of=("self",))
        .select_related("plan__feedback__target__unit", "problem")
        .get(pk=task.pk)
    )


def _update(task: Task, kind: str, text: str, actor: Any, uploads: list[Any]) -> TaskUpdate:
    if len(text) > MAX_TEXT:
        raise ServiceError(_("内容过长，请精简到%(n)s字以内。") % {"n": MAX_TEXT})
    update = TaskUpdate.objects.create(task=task, kind=kind, text=text, actor=None if actor is SYSTEM else actor)
    if uploads:
        update.files.set(file_store_many(actor=actor, uploads=uploads, scope_unit=task.plan.feedback.target.unit))
    return update


@transaction.atomic
def task_progress(*, actor: Any, task: Task, text: str, uploads: list[Any] | None = None) -> TaskUpdate:
    task = _locked(task)
    require(actor, Perm.RECTIFY_EDIT, task)
    if task.plan.state != PlanState.APPROVED:
        raise ServiceError(_("整改方案审核通过后才能报告整改进展。"))
    if task.state != TaskState.IN_PROGRESS and task.state != TaskState.ONGOING:
        raise ServiceError(_("该任务当前为“%(state)s”，不能报告进展。") % {"state": task.get_state_display()})
    text = (text or "").replace("\x00", "").strip()
    if not text:
        raise ServiceError(_("请填写整改进展。"))
    # A long-term task's report is its periodic report (长期坚持: monthly or quarterly).
    kind = TaskUpdate.Kind.PERIODIC if task.horizon == Horizon.LONG_TERM else TaskUpdate.Kind.PROGRESS
    update = _update(task, kind, text, actor, list(uploads or []))
    audit_record(
        actor=actor,
        action="rectification.task.progress",
        target=task,
        after={"update": update.pk, "files": update.files.count()},
    )
    return update


@transaction.atomic
def task_transition(*, obj: Task, action: str, actor: Any, data: dict[str, Any] | None = None) -> Task:
    if action == "reopen":  # applied by visits.visit_record, with the finding that justifies it
        raise ServiceError(_("重新整改须通过回访督查记录。"))
    moved: Task = TASK_WORKFLOW.apply(
        obj,
        action,
        actor=actor,
        data=data,
        queryset=Task.objects.select_related("plan__feedback__target__unit", "problem"),
        check=_check_step,
        effect=_task_step,
    ).obj  # Applied.obj is Any: the row it moved
    return moved


def _check_step(step: Step) -> None:
    if step.obj.plan.state != PlanState.APPROVED:
        raise ServiceError(_("整改方案审核通过后才能办理销号。"))


def _task_step(step: Step) -> None:
    """What was said, with its evidence, is the task's update; closing dates the task."""
    task, text = step.obj, (step.data.get("text") or "").replace("\x00", "").strip()
    update = _update(task, step.action, text, step.actor, list(step.data.get("uploads") or []))
    if task.state in (TaskState.CLOSED, TaskState.ONGOING):
        step.set(closed_on=timezone.localdate())
    step.comment = text
    step.audit.update(update=update.pk, files=update.files.count())
