"""Reads for findings, scoped: the office sees its jurisdiction, a team its own work, the leading
group problems and reports but not papers, a unit only its feedback once given."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Prefetch, QuerySet

from xuncha.accounts.permissions import Perm, has_perm, scope_queryset
from xuncha.common.deadlines import deadline_rules, shift
from xuncha.common.models import DeadlineKey
from xuncha.common.queries import count_of
from xuncha.fieldwork.models import PaperState, WorkingPaper
from xuncha.fieldwork.services.common import team_role
from xuncha.findings.models import Feedback, FeedbackState, FocusItem, InspectionReport, Problem
from xuncha.findings.workflow import DRAFT_WORKFLOW, OFFICE_REVIEW_STATES
from xuncha.plans.models import RoundTarget, Team


def team_targets(*, user: Any, team: Team) -> list[dict[str, Any]]:
    """The team's units with their problem counts, reports and feedback (one row per unit)."""
    targets = list(
        scope_queryset(user, Perm.ROUND_VIEW, RoundTarget.objects.filter(team=team))
        .select_related("unit")
        .annotate(n_problems=count_of(Problem.objects.all(), "target"))
        .order_by("unit__path")
    )
    reports = scope_queryset(user, Perm.FINDING_VIEW, InspectionReport.objects.filter(team=team))
    by_target: dict[int | None, list[InspectionReport]] = {}
    for report in reports.order_by("kind", "id"):
        by_target.setdefault(report.target_id, []).append(report)
    feedback = {f.target_id: f for f in scope_queryset(user, Perm.FEEDBACK_VIEW, Feedback.objects.filter(team=team))}
    rows = [{"target": t, "reports": by_target.get(t.pk, []), "feedback": feedback.get(t.pk)} for t in targets]
    return rows + ([{"target": None, "reports": by_target[None], "feedback": None}] if None in by_target else [])


def problem_list(*, user: Any, target: RoundTarget) -> QuerySet[Problem]:
    qs = scope_queryset(user, Perm.FINDING_VIEW, Problem.objects.filter(target=target))
    return qs.prefetch_related(
        Prefetch("focus_items", queryset=FocusItem.objects.select_related("parent")),
        "tags",
        Prefetch("papers", queryset=WorkingPaper.objects.select_related("team")),
    ).order_by("number")


def signed_papers_free(*, target: RoundTarget, problem: Problem | None = None) -> QuerySet[WorkingPaper]:
    """Signed papers of the unit not yet made into a problem (plus the problem's own, when editing)."""
    qs = WorkingPaper.objects.filter(target=target, state=PaperState.SIGNED).select_related("team")
    free = qs.filter(problems__isnull=True)
    if problem is not None:
        free = free | qs.filter(problems=problem)
    return free.distinct().order_by("number")


def can_write(user: Any, team: Team) -> bool:
    return has_perm(user, Perm.FINDING_EDIT) and team_role(user, team) is not None


def draft_actions(*, user: Any, report: InspectionReport) -> list:
    """The steps the page offers this user: the team's steps to its members (the guards then say
    who among them), the office's meetings to those holding DRAFT_REVIEW over the report."""
    member = team_role(user, report.team) is not None
    office = has_perm(user, Perm.DRAFT_REVIEW, report)
    offered = []
    for t in DRAFT_WORKFLOW.actions_from(report.state):
        if (t.perm == Perm.DRAFT_REVIEW and office) or (t.perm == Perm.FINDING_EDIT and member):
            offered.append(t)
    return offered


def needs_decision(report: InspectionReport) -> bool:
    return report.state not in ("draft", "returned")


def office_queue(*, user: Any) -> QuerySet[InspectionReport]:
    """Reports waiting for the office's meetings (joint review, leading group, secretary)."""
    qs = scope_queryset(user, Perm.DRAFT_REVIEW, InspectionReport.objects.filter(state__in=OFFICE_REVIEW_STATES))
    return qs.select_related("round", "team", "target__unit").order_by("round", "team__number", "id")


@dataclass(frozen=True)
class Clock:
    """The unit's deadlines from the feedback date (derived on read, never stored)."""

    plan_due: date
    life_meeting_due: date
    report_due: date


def feedback_clock(feedback: Feedback) -> Clock | None:
    if feedback.sent_on is None:
        return None
    rules = deadline_rules(feedback.target.round.jurisdiction)

    def due(key: DeadlineKey) -> date:
        rule = rules[key]
        return shift(feedback.sent_on, rule.amount, rule.unit)

    return Clock(
        plan_due=due(DeadlineKey.RECTIFICATION_PLAN),
        life_meeting_due=due(DeadlineKey.DEMOCRATIC_LIFE_MEETING),
        report_due=due(DeadlineKey.RECTIFICATION_REPORT),
    )


def unit_feedback_list(*, user: Any) -> QuerySet[Feedback]:
    """What an inspected unit sees: its feedback once given, nothing before."""
    qs = scope_queryset(user, Perm.FEEDBACK_VIEW, Feedback.objects.filter(state=FeedbackState.SENT))
    return (
        qs.select_related("target__unit", "round", "team")
        .annotate(n_problems=count_of(Problem.objects.all(), "target", "target"))
        .order_by("-sent_on", "-id")
    )
