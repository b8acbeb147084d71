"""Immediate-fix notices: the team issues one from a paper, the unit answers, the office accepts
or returns it. Tracked, but it never replaces the full rectification that follows feedback."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xuncha.accounts.permissions import Perm, has_perm
from xuncha.audit.services import audit_record
from xuncha.common.actors import SYSTEM
from xuncha.common.exceptions import ServiceError
from xuncha.fieldwork.models import FixNotice, FixState, PaperState, WorkingPaper
from xuncha.fieldwork.services.common import require_team_writer
from xuncha.fieldwork.workflow import FIX_WORKFLOW


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


def _locked(notice: FixNotice) -> FixNotice:
    return FixNotice.objects.select_for_update().select_related("unit").get(pk=notice.pk)


def _move(notice: FixNotice, action: str, actor: Any, comment: str = "") -> FixNotice:
    """Check the edge, the permission and the guards of ``action`` (FIX_WORKFLOW) and apply it."""
    transition = FIX_WORKFLOW.get(action)
    if not FIX_WORKFLOW.allows(notice.state, action):
        messages = {
            FixState.ANSWERED: _("该通知已反馈，等待验收。"),
            FixState.ACCEPTED: _("该通知已验收。"),
        }
        if action != "respond":
            messages = {
                FixState.ISSUED: _("单位尚未反馈整改情况。"),
                FixState.RETURNED: _("单位尚未反馈整改情况。"),
                **messages,
            }
        raise ServiceError(messages.get(notice.state, _("当前状态下不能执行该操作。")))
    if actor is not SYSTEM and not has_perm(actor, transition.perm, notice):
        raise PermissionDenied
    reasons = FIX_WORKFLOW.refusals(transition, notice, {"comment": comment})
    if reasons:
        raise ServiceError(reasons)
    notice.state = transition.target
    return notice


@transaction.atomic
def fix_respond(*, actor: Any, notice: FixNotice, response: str) -> FixNotice:
    """The unit reports what it did (its leaders only: the role over the unit gives FIX_RESPOND)."""
    notice = _locked(notice)
    if actor is not SYSTEM and not has_perm(actor, Perm.FIX_RESPOND, notice):
        raise PermissionDenied
    if not (response or "").strip():
        raise ServiceError(_("请写明整改情况。"))
    _move(notice, "respond", actor)
    notice.response = response.strip()
    notice.responded_on, notice.responded_by = timezone.localdate(), (None if actor is SYSTEM else actor)
    notice.save(update_fields=["response", "state", "responded_on", "responded_by", "updated_at"])
    audit_record(actor=actor, action="fieldwork.fix.respond", target=notice, after={"state": notice.state})
    return notice


@transaction.atomic
def fix_review(*, actor: Any, notice: FixNotice, accept: bool, comment: str = "") -> FixNotice:
    """The office accepts the fix, or returns it with a reason."""
    notice = _locked(notice)
    if actor is not SYSTEM and not has_perm(actor, Perm.FIX_REVIEW, notice):
        raise PermissionDenied
    if not accept and not (comment or "").strip() and notice.state == FixState.ANSWERED:
        raise ServiceError(_("退回须说明理由。"))
    _move(notice, "accept" if accept else "return", actor, comment)
    notice.review_comment, notice.reviewed_on = (comment or "").strip(), timezone.localdate()
    notice.reviewed_by = None if actor is SYSTEM else actor
    notice.save(update_fields=["state", "review_comment", "reviewed_on", "reviewed_by", "updated_at"])
    audit_record(
        actor=actor,
        action="fieldwork.fix.review",
        target=notice,
        after={"state": notice.state, "comment": notice.review_comment},
    )
    return notice
