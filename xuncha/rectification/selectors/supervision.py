"""Reads for supervision: a leader's key items with their status and warnings, the campaigns of
a sector department, and the periodic reports long-term tasks owe. All derived on read."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Max, Prefetch, Q, QuerySet
from django.utils import timezone

from xuncha.accounts.models import OrgUnit, RoleAssignment
from xuncha.accounts.permissions import Perm, Role, scope_queryset
from xuncha.common.deadlines import add_months
from xuncha.common.textsim import cosine, terms
from xuncha.findings.models import Problem
from xuncha.rectification.models import (
    Campaign,
    Horizon,
    LeaderAssignment,
    ReportInterval,
    Task,
    TaskState,
    TaskUpdate,
)
from xuncha.rectification.selectors import RED, YELLOW, Ladder, problem_status

_TASK_RELATED = ("plan__feedback__target__round__jurisdiction", "plan__feedback__target__unit")
LEVEL_ORDER = {RED: 0, YELLOW: 1, "green": 2, None: 3}


def assignment_list(*, user: Any, leader: Any = None, include_revoked: bool = False) -> QuerySet[LeaderAssignment]:
    qs = scope_queryset(user, Perm.SUPERVISE_VIEW, LeaderAssignment.objects.all())
    if not include_revoked:
        qs = qs.filter(revoked_at__isnull=True)
    if leader is not None:
        qs = qs.filter(leader=leader)
    tasks = Task.objects.select_related(*_TASK_RELATED).order_by("number")
    return (
        qs.select_related("problem__target__unit", "problem__round", "leader")
        .prefetch_related(Prefetch("problem__tasks", queryset=tasks))
        .order_by("-created_at", "-pk")
    )


def annotate_assignments(rows: list[LeaderAssignment], today: date | None = None) -> list[dict[str, Any]]:
    """Each item with its problem's status, its tasks' warnings and the worst of them, worst first."""
    ladder = Ladder(today)
    ladder.preload(list({t.plan.feedback.target.round.jurisdiction for a in rows for t in a.problem.tasks.all()}))
    out = []
    for assignment in rows:
        tasks = list(assignment.problem.tasks.all())
        warnings = {t.pk: ladder.warning(t) for t in tasks}
        levels = [w.level for w in warnings.values() if w]
        worst = min(levels, key=LEVEL_ORDER.__getitem__) if levels else None
        out.append(
            {
                "assignment": assignment,
                "tasks": [(t, warnings[t.pk]) for t in tasks],
                "status": problem_status(tasks),
                "worst": worst,
                "requests": sum(1 for t in tasks if t.state == TaskState.CLOSURE_REQUESTED),
            }
        )
    out.sort(key=lambda row: (LEVEL_ORDER[row["worst"]], -row["requests"]))
    return out


def campaign_list(*, user: Any, state: str = "") -> QuerySet[Campaign]:
    qs = scope_queryset(user, Perm.CAMPAIGN_VIEW, Campaign.objects.all())
    if state:
        qs = qs.filter(state=state)
    tasks = Task.objects.only("pk", "campaign_id", "state", "due_on")
    return qs.select_related("sector_dept").prefetch_related(Prefetch("tasks", queryset=tasks)).order_by("-created_at")


def campaign_tasks(campaign: Campaign) -> list[tuple[Task, Any]]:
    tasks = list(
        campaign.tasks.select_related(*_TASK_RELATED, "problem").order_by("plan__feedback__target__unit__name")
    )
    ladder = Ladder()
    ladder.preload(list({t.plan.feedback.target.round.jurisdiction for t in tasks}))
    return [(t, ladder.warning(t)) for t in tasks]


# --- periodic reports of long-term tasks ----------------------------------------------------

REPORT_KINDS = (TaskUpdate.Kind.PROGRESS, TaskUpdate.Kind.PERIODIC, TaskUpdate.Kind.ONGOING)


def report_interval(task: Task) -> int | None:
    """Months between reports: the task's own, else monthly for a long-term task, else none."""
    if task.horizon != Horizon.LONG_TERM:
        return None
    return task.report_interval or ReportInterval.MONTHLY


def next_report_due(task: Task, last_report: date | None) -> date | None:
    """When the next periodic report is due: one interval after the last report, or after the
    plan's approval when none was made yet. None for tasks that owe no periodic report."""
    months = report_interval(task)
    if months is None or task.state == TaskState.CLOSED or task.plan.approved_on is None:
        return None
    return add_months(last_report or task.plan.approved_on, months)


def last_reports(tasks: list[Task]) -> dict[int, date]:
    rows = (
        TaskUpdate.objects.filter(task__in=tasks, kind__in=REPORT_KINDS)
        .values("task_id")
        .annotate(last=Max("created_at"))
    )
    return {r["task_id"]: timezone.localtime(r["last"]).date() for r in rows}


def periodic_due(today: date | None = None) -> list[tuple[Task, date]]:
    """Long-term tasks of approved plans whose periodic report is due by ``today``."""
    today = today or timezone.localdate()
    tasks = list(
        Task.objects.filter(horizon=Horizon.LONG_TERM, plan__approved_on__isnull=False)
        .filter(Q(state=TaskState.IN_PROGRESS) | Q(state=TaskState.ONGOING))
        .select_related("plan__feedback__target__unit")
        .order_by("pk")
    )
    last = last_reports(tasks)
    due = [(t, next_report_due(t, last.get(t.pk))) for t in tasks]
    return [(t, d) for t, d in due if d is not None and d <= today]


# --- building a clean-up ----------------------------------------------------------------------

SIMILAR_THRESHOLD = 0.25
CANDIDATE_LIMIT = 400


def campaign_candidates(*, user: Any, source: Any, threshold: float = SIMILAR_THRESHOLD) -> list[tuple[Any, float]]:
    """The source problem first, then fed-back problems of other units of the same jurisdiction
    whose unit has a plan, most similar first (jieba word cosine, common.textsim)."""
    pool = scope_queryset(user, Perm.CAMPAIGN_MANAGE, Problem.objects.all()).filter(
        round__jurisdiction_id=source.round.jurisdiction_id, target__feedback__plan__isnull=False
    )
    pool = pool.exclude(target_id=source.target_id).select_related("target__unit").order_by("-round__year", "-pk")
    wanted = terms(f"{source.title} {source.description}")
    scored = [(p, cosine(wanted, terms(f"{p.title} {p.description}"))) for p in pool[:CANDIDATE_LIMIT]]
    similar = sorted((row for row in scored if row[1] >= threshold), key=lambda row: -row[1])
    return [(source, 1.0), *similar[:30]]


def sector_departments(*, user: Any, jurisdiction: Any) -> QuerySet[Any]:
    """Departments of the jurisdiction that can run a clean-up: someone holds the sector
    department's role there (so the campaign has a reader)."""
    holders = RoleAssignment.objects.filter(
        role=Role.SECTOR_RECEIVER, revoked_at__isnull=True, scope__path__startswith=jurisdiction.path
    ).values("scope_id")
    units = OrgUnit.objects.filter(pk__in=holders, is_active=True)
    return scope_queryset(user, Perm.CAMPAIGN_MANAGE, units).order_by("path")
