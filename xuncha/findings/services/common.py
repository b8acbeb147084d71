"""Checks shared by the findings services."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from xuncha.common.exceptions import ServiceError
from xuncha.findings.models import DraftKind, DraftState, Feedback, FeedbackState
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
