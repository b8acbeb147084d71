"""Feedback: prepare the record (meeting, main leader, copies), then send it once.

Sending needs the unit's inspection report approved by the secretary's special meeting and at
least one problem; it fixes the feedback opinion as a Word file, freezes the problem list, and its
date starts the unit's rectification clock.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xuncha.accounts.models import OrgUnit, Person
from xuncha.accounts.permissions import Perm, require
from xuncha.audit.services import audit_record, changed, snapshot
from xuncha.common.actors import SYSTEM
from xuncha.common.exceptions import ServiceError
from xuncha.documents.kinds import DocumentKind
from xuncha.documents.services import render_for
from xuncha.files.services import file_store
from xuncha.findings.documents.contexts import feedback_context, written_texts
from xuncha.findings.models import (
    FEEDBACK,
    CopyKind,
    DraftKind,
    DraftState,
    Feedback,
    FeedbackCopy,
    FeedbackState,
    SectionText,
)
from xuncha.findings.services.common import missing_sections
from xuncha.plans.models import RoundTarget

FIELDS = ["doc_no", "meeting_on", "meeting_place", "attendees", "main_leader", "main_leader_on"]


def main_leader_of(unit: OrgUnit) -> Person | None:
    """The person holding the unit's main-leader post now (主要负责人), if recorded."""
    return Person.objects.filter(posts__unit=unit, posts__is_main_leader=True, posts__end_date__isnull=True).first()


def _report_approved(target: RoundTarget) -> bool:
    return target.inspection_reports.filter(kind=DraftKind.INSPECTION, state=DraftState.APPROVED).exists()


@transaction.atomic
def feedback_prepare(*, actor: Any, target: RoundTarget) -> Feedback:
    """The feedback record of a unit (one per unit per round), created when its report is approved."""
    target = RoundTarget.objects.select_related("round__jurisdiction", "unit", "team").get(pk=target.pk)
    require(actor, Perm.FEEDBACK_SEND, target)
    existing = Feedback.objects.filter(target=target).first()
    if existing is not None:
        return existing
    team = target.team
    if team is None or not _report_approved(target):
        raise ServiceError(_("%(unit)s的巡察报告经书记专题会审定后，才能准备反馈。") % {"unit": target.unit.name})
    feedback = Feedback.objects.create(
        target=target, round=target.round, team=team, main_leader=main_leader_of(target.unit)
    )
    audit_record(actor=actor, action="findings.feedback.prepare", target=feedback, after={"target": target.pk})
    return feedback


def _locked(feedback: Feedback) -> Feedback:
    qs = Feedback.objects.select_for_update().select_related("target__unit", "target__round__jurisdiction", "team")
    return qs.get(pk=feedback.pk)


def _check_copies(copies: list[tuple[str, Any, Any]]) -> None:
    for kind, unit, person in copies:
        if kind not in CopyKind.values:
            raise ServiceError(_("抄告对象类别不正确。"))
        if unit is None and person is None:
            raise ServiceError(_("请为每个抄告对象选择单位或人员。"))


@transaction.atomic
def feedback_update(
    *, actor: Any, feedback: Feedback, copies: list[tuple[str, Any, Any]] | None = None, **data: Any
) -> Feedback:
    feedback = _locked(feedback)
    require(actor, Perm.FEEDBACK_SEND, feedback)
    if feedback.state == FeedbackState.SENT:
        raise ServiceError(_("已反馈，反馈记录不能再修改。"))
    unknown = set(data) - set(FIELDS)
    if unknown:
        raise ServiceError(_("不能修改的字段：%(fields)s") % {"fields": ", ".join(sorted(unknown))})
    today = timezone.localdate()
    for key in ("meeting_on", "main_leader_on"):
        if isinstance(data.get(key), date) and data[key] > today:
            raise ServiceError(_("反馈会议和向主要负责人反馈的日期不能晚于今天。"))
    before = snapshot(feedback, FIELDS)
    for key, value in data.items():
        setattr(feedback, key, value.strip() if isinstance(value, str) else value)
    feedback.save(update_fields=[*data.keys(), "updated_at"])
    if copies is not None:
        _check_copies(copies)
        feedback.copies.all().delete()
        FeedbackCopy.objects.bulk_create(
            FeedbackCopy(feedback=feedback, kind=kind, unit=unit, person=person) for kind, unit, person in copies
        )
    old, new = changed(before, snapshot(feedback, FIELDS))
    if copies is not None:
        new["copies"] = [
            f"{kind}:{getattr(unit, 'pk', '')}:{getattr(person, 'pk', '')}" for kind, unit, person in copies
        ]
    if new:
        audit_record(actor=actor, action="findings.feedback.update", target=feedback, before=old, after=new)
    return feedback


def _send_refusals(feedback: Feedback, sent_on: date, texts: dict[str, str]) -> list[str]:
    target = feedback.target
    reasons = missing_sections(FEEDBACK, texts)
    if not _report_approved(target):
        reasons.append(_("巡察报告尚未经书记专题会审定。"))
    if not target.problems.exists():
        reasons.append(_("问题清单为空，不能反馈。"))
    if feedback.meeting_on is None:
        reasons.append(_("请填写反馈会议日期。"))
    if feedback.main_leader_id is None or feedback.main_leader_on is None:
        reasons.append(_("请记录向主要负责人单独反馈的人员和日期。"))
    if sent_on > timezone.localdate():
        reasons.append(_("反馈日期不能晚于今天。"))
    if feedback.meeting_on and sent_on < feedback.meeting_on:
        reasons.append(_("反馈日期不能早于反馈会议日期。"))
    return reasons


@transaction.atomic
def feedback_send(*, actor: Any, feedback: Feedback, sent_on: date | None = None) -> Feedback:
    feedback = _locked(feedback)
    require(actor, Perm.FEEDBACK_SEND, feedback)
    if feedback.state == FeedbackState.SENT:
        raise ServiceError(
            _("已于%(day)s反馈，不能重复反馈。") % {"day": feedback.sent_on.isoformat() if feedback.sent_on else ""}
        )
    sent_on = sent_on or timezone.localdate()
    texts = written_texts(feedback, FEEDBACK)
    reasons = _send_refusals(feedback, sent_on, texts)
    if reasons:
        raise ServiceError(reasons)
    feedback.sent_on, feedback.state = sent_on, FeedbackState.SENT
    feedback.sent_by = None if actor is SYSTEM else actor
    jurisdiction = feedback.target.round.jurisdiction
    content, _template = render_for(
        kind=DocumentKind.FEEDBACK_OPINION,
        jurisdiction=jurisdiction,
        context=lambda: feedback_context(feedback, today=sent_on, sections=texts),
    )
    name = _("巡察反馈意见-%(unit)s.docx") % {"unit": feedback.target.unit.name}
    feedback.document = file_store(actor=actor, upload=ContentFile(content, name=name), scope_unit=jurisdiction)
    feedback.save(update_fields=["sent_on", "state", "sent_by", "document", "updated_at"])
    audit_record(
        actor=actor,
        action="findings.feedback.send",
        target=feedback,
        before={"state": FeedbackState.DRAFT},
        after={
            "state": FeedbackState.SENT,
            "sent_on": sent_on.isoformat(),
            "problems": feedback.target.problems.count(),
            "sha256": feedback.document.sha256,
            # which revision of each written part the opinion was made from
            "sections": _revisions(feedback),
        },
    )
    return feedback


def _revisions(feedback: Feedback) -> dict[str, int]:
    latest: dict[str, int] = {}
    for key, revision in SectionText.objects.filter(feedback=feedback).values_list("key", "revision"):
        latest[key] = max(revision, latest.get(key, 0))
    return latest
