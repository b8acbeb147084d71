"""Checks shared by the findings services."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from xuncha.common.exceptions import ServiceError
from xuncha.fieldwork.services.common import require_team_writer
from xuncha.findings.models import DraftKind, DraftState, Feedback, FeedbackState, InspectionReport, sections_of
from xuncha.findings.workflow import EDITABLE_STATES
from xuncha.plans.models import RoundState, RoundTarget

# Problems are assembled while papers are signed on site and during the reporting phase.
ASSEMBLY_STATES = frozenset({RoundState.ON_SITE, RoundState.REPORTING})
_REVIEWED = (DraftState.TEAM_MEETING, DraftState.LEADER, DraftState.JOINT_REVIEW, DraftState.LEADING_GROUP)
FROZEN_DRAFT_STATES = frozenset({*_REVIEWED, DraftState.SECRETARY, DraftState.APPROVED})


def check_problems_editable(target: RoundTarget) -> None:
    """The problem list of a unit is frozen while its report is reviewed and once fed back."""
    if target.round.state not in ASSEMBLY_STATES:
        raise ServiceError(_("“%(round)s”不在进驻或报告阶段，问题清单不能再修改。") % {"round": target.round.name})
    if Feedback.objects.filter(target=target, state=FeedbackState.SENT).exists():
        raise ServiceError(_("%(unit)s的问题已反馈，问题清单不能再修改。") % {"unit": target.unit.name})
    if target.inspection_reports.filter(kind=DraftKind.INSPECTION, state__in=FROZEN_DRAFT_STATES).exists():
        raise ServiceError(
            _("%(unit)s的巡察报告正在审议或已审定，问题清单不能修改；如需修改请先退回报告。")
            % {"unit": target.unit.name}
        )


def clean_codes(values: Any, allowed: Any, what: str) -> list[str]:
    codes: list[str] = sorted(set(values or ()))
    if not set(codes) <= set(allowed):
        raise ServiceError(_("%(what)s不正确。") % {"what": what})
    return codes


def missing_sections(kind: str, texts: dict[str, str]) -> list[str]:
    """One message per required written part left empty: "请先填写“基本情况和总体评价”。"."""
    return [
        _("请先填写“%(section)s”。") % {"section": section.title}
        for section in sections_of(kind)
        if section.required and not (texts.get(section.key) or "").strip()
    ]


def locked_report(report: InspectionReport) -> InspectionReport:
    return (
        # Lock the report row only: its unit is an outer join (thematic reports have none), which
        # PostgreSQL will not lock.
        InspectionReport.objects.select_for_update(of=("self",))
        .select_related("team", "round", "target__unit")
        .get(pk=report.pk)
    )


def check_report_editable(actor: Any, report: InspectionReport) -> None:
    """The team changes its report (versions, written parts) while drafting it or once returned."""
    require_team_writer(actor, report.team)
    if report.state not in EDITABLE_STATES:
        raise ServiceError(_("报告正在审议或已审定，不能更换文稿；如需修改请先退回。"))
