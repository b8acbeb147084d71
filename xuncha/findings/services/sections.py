"""The parts of a report (or of the feedback opinion) only people write: saved as revisions.

The report's parts are the team's, while the report is being drafted or has been returned (as
its versions are); the feedback opinion's are whoever prepares the feedback (``feedback.send``),
until it is sent. A save adds one revision for each part whose text changed and audits which.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from xuncha.accounts.permissions import Perm, require
from xuncha.audit.services import audit_record
from xuncha.common.actors import SYSTEM
from xuncha.common.exceptions import ServiceError
from xuncha.findings.documents.contexts import written_texts
from xuncha.findings.models import FEEDBACK, Feedback, FeedbackState, InspectionReport, SectionText, sections_of
from xuncha.findings.services.common import check_report_editable, locked_report

MAX_CHARS = 20_000


def current_texts(owner: InspectionReport | Feedback) -> dict[str, str]:
    """The current text of each part (empty when never written), in the template's order."""
    return written_texts(owner, _kind(owner))


def _kind(owner: InspectionReport | Feedback) -> str:
    return FEEDBACK if isinstance(owner, Feedback) else owner.kind


def _save(actor: Any, owner: InspectionReport | Feedback, texts: dict[str, Any]) -> dict[str, int]:
    kind = _kind(owner)
    known = {s.key: s for s in sections_of(kind)}
    unknown = [key for key in texts if key not in known]
    if unknown:
        raise ServiceError(_("没有“%(section)s”这一部分。") % {"section": unknown[0]})
    field = "feedback" if kind == FEEDBACK else "report"
    current = written_texts(owner, kind)
    numbers = dict(
        SectionText.objects.filter(**{field: owner}).values("key").annotate(n=Max("revision")).values_list("key", "n")
    )
    rows, saved = [], {}
    for key, value in texts.items():
        text = (value or "").replace("\r\n", "\n").strip()
        if len(text) > MAX_CHARS:
            raise ServiceError(
                _("“%(section)s”不能超过%(n)s字。") % {"section": known[key].title, "n": f"{MAX_CHARS:,}"}
            )
        if text == current.get(key, ""):
            continue
        revision = (numbers.get(key) or 0) + 1
        rows.append(
            SectionText(
                key=key,
                revision=revision,
                text=text,
                created_by=None if actor is SYSTEM else actor,
                **{field: owner},
            )
        )
        saved[key] = revision
    SectionText.objects.bulk_create(rows)
    return saved


@transaction.atomic
def report_sections_save(*, actor: Any, report: InspectionReport, texts: dict[str, Any]) -> dict[str, int]:
    """Save the report's parts; returns the new revision of each part that changed."""
    report = locked_report(report)
    check_report_editable(actor, report)
    saved = _save(actor, report, texts)
    if saved:
        audit_record(actor=actor, action="findings.draft.sections", target=report, after=saved)
    return saved


@transaction.atomic
def feedback_sections_save(*, actor: Any, feedback: Feedback, texts: dict[str, Any]) -> dict[str, int]:
    """Save the feedback opinion's parts (before it is sent)."""
    feedback = Feedback.objects.select_for_update().select_related("target__unit", "team").get(pk=feedback.pk)
    require(actor, Perm.FEEDBACK_SEND, feedback)
    if feedback.state == FeedbackState.SENT:
        raise ServiceError(_("已反馈，反馈意见不能再修改。"))
    saved = _save(actor, feedback, texts)
    if saved:
        audit_record(actor=actor, action="findings.feedback.sections", target=feedback, after=saved)
    return saved
