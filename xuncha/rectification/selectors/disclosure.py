"""Reads of disclosure and the reports: one plan's drafts and published texts, the public page."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from xuncha.audit.models import AuditEntry
from xuncha.rectification.models import (
    Disclosure,
    DisclosureChannel,
    DisclosureState,
    Exemption,
    PlanReport,
    RectificationPlan,
    ReportKind,
)

_TARGET_TYPE = Disclosure._meta.label_lower
_EDITS = ("rectification.disclosure.create", "rectification.disclosure.update")
_RETURN = "rectification.disclosure.return"


def plan_disclosures(plan: RectificationPlan) -> list[Disclosure]:
    """The plan's disclosures, newest first; a draft the office returned carries ``returned``
    (the reason), until the unit saves it again."""
    rows = list(plan.disclosures.select_related("created_by", "approved_by").order_by("-created_at", "-id"))
    drafts = {str(d.pk): d for d in rows if d.state == DisclosureState.DRAFT}
    entries = AuditEntry.objects.filter(
        target_type=_TARGET_TYPE, target_id__in=list(drafts), action__in=[*_EDITS, _RETURN]
    ).order_by("seq")
    for entry in entries.only("target_id", "action", "after", "actor_name", "created_at"):
        draft = drafts[entry.target_id]
        draft.returned = (entry.after or {}).get("reason", "") if entry.action == _RETURN else ""
    labels = dict(Exemption.choices)
    for row in rows:
        row.exemption_labels = [labels.get(code, code) for code in row.exemptions]
        row.returned = getattr(row, "returned", "")
    return rows


def public_disclosures(*, year: int | None = None) -> QuerySet[Disclosure]:
    """What the public page shows: approved texts for the public, never in-Party notices, drafts
    or withdrawn ones. Only the fields the page prints are loaded (never the exemptions)."""
    qs = Disclosure.objects.filter(channel=DisclosureChannel.PUBLIC, state=DisclosureState.APPROVED)
    if year:
        qs = qs.filter(published_on__year=year)
    return (
        qs.select_related("plan__feedback__target__unit")
        .only("title", "text", "published_on", "plan__feedback__target__unit__name")
        .order_by("-published_on", "-id")
    )


def public_years() -> list[int]:
    dates = public_disclosures().dates("published_on", "year", order="DESC")
    return [d.year for d in dates]


def plan_reports(plan: RectificationPlan, due: date) -> list[dict[str, Any]]:
    """Each report kind with its submission (if any), the due date and whether it is late."""
    submitted = {r.kind: r for r in PlanReport.objects.filter(plan=plan).select_related("file", "submitted_by")}
    today = timezone.localdate()
    rows = []
    for kind in ReportKind:
        report = submitted.get(kind.value)
        late = report.submitted_on > due if report else today > due
        rows.append({"kind": kind.value, "label": kind.label, "report": report, "late": late})
    return rows
