"""Immediate-fix notices: the team issues one from a paper, the unit answers, the office accepts
or returns it. Tracked, but it never replaces the full rectification that follows feedback."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xuncha.audit.services import audit_record
from xuncha.common.exceptions import ServiceError
from xuncha.fieldwork.models import FixNotice, FixState, PaperState, WorkingPaper
from xuncha.fieldwork.services.common import require_team_writer
from xuncha.fieldwork.workflow import FIX_WORKFLOW
from xuncha.workflow import Step


@transaction.atomic
def fix_issue(
    *, actor: Any, paper: WorkingPaper, requirement: str, due_on: date, issued_on: date | None = None
) -> FixNotice:
    paper = WorkingPaper.objects.select_related("team__round", "target__unit").get(pk=paper.pk)
    require_team_writer(actor, paper.team)
    if paper.state == PaperState.DRAFT:
        raise ServiceError(_("底稿提交组务会后才能下发立行立改通知。"))
    if not (requirement or "").strip():
        raise ServiceError(_("请写明整改要求。"))
    issued_on = issued_on or timezone.localdate()
    if due_on < issued_on:
        raise ServiceError(_("整改期限不能早于下发日期。"))
    notice = FixNotice.objects.create(
        paper=paper, unit=paper.target.unit, issued_on=issued_on, due_on=due_on, requirement=requirement.strip()
    )
    audit_record(
        actor=actor,
        action="fieldwork.fix.issue",
        target=notice,
        after={"paper": paper.pk, "unit": notice.unit_id, "due_on": due_on.isoformat()},
    )
    return notice


def _check_fix(step: Step) -> None:
    if step.action == "respond" and not (step.data.get("response") or "").strip():
        raise ServiceError(_("请写明整改情况。"))
    if step.action == "return" and not step.comment:
        raise ServiceError(_("退回须说明理由。"))


def _fix_step(step: Step) -> None:
    today = timezone.localdate()
    if step.action == "respond":
        step.set(response=step.data["response"].strip(), responded_on=today, responded_by=step.user)
    else:
        step.set(review_comment=step.comment, reviewed_on=today, reviewed_by=step.user)


def _fix_not_allowed(notice: FixNotice) -> str:
    """Where the notice stands, in the words the unit and the office use."""
    if notice.state == FixState.ACCEPTED:
        return _("该通知已验收。")
    if notice.state == FixState.ANSWERED:
        return _("该通知已反馈，等待验收。")
    return _("单位尚未反馈整改情况。")


def _move(notice: FixNotice, action: str, actor: Any, data: dict[str, Any]) -> FixNotice:
    moved: FixNotice = FIX_WORKFLOW.apply(
        notice,
        action,
        actor=actor,
        data=data,
        queryset=FixNotice.objects.select_related("unit"),
        check=_check_fix,
        effect=_fix_step,
        not_allowed=_fix_not_allowed,
    ).obj  # Applied.obj is Any: the row it moved
    return moved


@transaction.atomic
def fix_respond(*, actor: Any, notice: FixNotice, response: str) -> FixNotice:
    """The unit reports what it did (its leaders only: the role over the unit gives FIX_RESPOND)."""
    return _move(notice, "respond", actor, {"response": response})


@transaction.atomic
def fix_review(*, actor: Any, notice: FixNotice, accept: bool, comment: str = "") -> FixNotice:
    """The office accepts the fix, or returns it with a reason."""
    return _move(notice, "accept" if accept else "return", actor, {"comment": comment})
