"""Reads for a plan's follow-up (整改成效与督查): the life meeting against its deadline, rules made,
money recovered, return visits, the evaluation and accountability — each loaded once."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from xuncha.accounts.permissions import Perm, has_perm, scope_queryset
from xuncha.common.deadlines import deadline_from
from xuncha.common.models import DeadlineKey
from xuncha.rectification.models import (
    Evaluation,
    LifeMeeting,
    PlanState,
    RectificationPlan,
    ReturnVisit,
    VisitFinding,
)
from xuncha.rectification.selectors.evaluation import sheet_for


@dataclass(frozen=True)
class MeetingDue:
    """The life meeting's deadline (DEMOCRATIC_LIFE_MEETING after the feedback) and how it stands."""

    due_on: date
    held_on: date | None

    @property
    def on_time(self) -> bool | None:
        return None if self.held_on is None else self.held_on <= self.due_on

    @property
    def missed(self) -> bool:
        """Not held and already past its deadline."""
        return self.held_on is None and timezone.localdate() > self.due_on

    @property
    def days_late(self) -> int:
        return max(0, (self.held_on - self.due_on).days) if self.held_on else 0


def meeting_due(plan: RectificationPlan, meeting: LifeMeeting | None) -> MeetingDue:
    feedback = plan.feedback
    due = deadline_from(DeadlineKey.DEMOCRATIC_LIFE_MEETING, feedback.sent_on, feedback.target.round.jurisdiction)
    return MeetingDue(due, meeting.held_on if meeting else None)


def _evaluation(plan: RectificationPlan) -> Evaluation | None:
    return Evaluation.objects.select_related("sheet", "lookback_round", "evaluator").filter(plan=plan).first()


def followup(*, user: Any, plan: RectificationPlan) -> dict[str, Any]:
    """Everything the follow-up page shows, with what this user may add (a fixed number of queries)."""
    meeting = LifeMeeting.objects.filter(plan=plan).first()
    mechanisms = list(plan.mechanisms.select_related("task"))
    recoveries = list(plan.recoveries.select_related("task"))
    visits = list(
        plan.visits.select_related("created_by").prefetch_related(
            Prefetch("findings", queryset=VisitFinding.objects.select_related("task"))
        )
    )
    records = list(plan.accountabilities.prefetch_related("problems").order_by("-decided_on", "-id"))
    can_enter = has_perm(user, Perm.RECTIFY_EDIT, plan) or has_perm(user, Perm.RECTIFY_SUPERVISE, plan)
    can_supervise = has_perm(user, Perm.RECTIFY_SUPERVISE, plan)
    evaluation = _evaluation(plan)
    approved = plan.state == PlanState.APPROVED
    return {
        "meeting": meeting,
        "meeting_due": meeting_due(plan, meeting),
        "mechanisms": mechanisms,
        "recoveries": recoveries,
        "recovered": sum((r.amount for r in recoveries), Decimal("0.00")),
        "visits": visits,
        "reopened": sum(1 for v in visits for f in v.findings.all() if f.reopened),
        "evaluation": evaluation,
        "records": records,
        "can_enter": can_enter,
        "can_visit": can_supervise and approved,
        "can_evaluate": can_supervise and approved,
        "can_account": can_supervise,
        "approved": approved,
    }


def visit_get(*, user: Any, pk: Any) -> ReturnVisit:
    """A visit seen through its plan: whoever may see the plan (the unit, the office, the team that
    inspected it) may read the visit; 404 otherwise."""
    plans = scope_queryset(user, Perm.RECTIFY_VIEW, RectificationPlan.objects.all())
    qs = ReturnVisit.objects.filter(plan__in=plans).select_related(
        "plan__feedback__target__unit", "plan__feedback__target__round", "created_by"
    )
    try:
        return get_object_or_404(qs, pk=int(pk))
    except (TypeError, ValueError):
        raise Http404 from None


def sheet_for_plan(plan: RectificationPlan) -> Any:
    """The sheet an evaluation of this plan uses: its own if scored already, else the one in force."""
    evaluation = _evaluation(plan)
    return evaluation.sheet if evaluation else sheet_for(plan.feedback.target.round.jurisdiction)
