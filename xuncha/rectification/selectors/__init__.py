"""Reads for rectification: scoped lists, the warning ladder and the roll-ups, all derived.

The ladder (domain.md §3.8): green when the deadline is within WARNING_GREEN days (default 20),
yellow within WARNING_YELLOW (10), red once overdue; a closed task has none. Problem status and the
unit's rate come from the tasks.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xuncha.accounts.permissions import Perm, has_perm, scope_queryset
from xuncha.common.calendar import WorkCalendar
from xuncha.common.deadlines import Rule, RulesCache, shift
from xuncha.common.models import DeadlineKey, DeadlineUnit
from xuncha.common.queries import count_of
from xuncha.findings.models import Problem
from xuncha.rectification.models import LeaderAssignment, RectificationPlan, Task
from xuncha.rectification.workflow import DONE_TASK_STATES, PLAN_WORKFLOW, TASK_WORKFLOW

GREEN, YELLOW, RED = "green", "yellow", "red"
VISIT_ONLY_ACTIONS = frozenset({"reopen"})
LEVEL_LABELS = {GREEN: _("绿色提醒"), YELLOW: _("黄色预警"), RED: _("红色预警（已逾期）")}


@dataclass(frozen=True)
class Warning:
    level: str
    days_left: int

    @property
    def label(self) -> Any:
        return LEVEL_LABELS[self.level]

    @property
    def days_overdue(self) -> int:
        return max(0, -self.days_left)


def ladder(due_on: date, today: date, green: Rule, yellow: Rule, *, calendar: WorkCalendar | None = None) -> str | None:
    """The level for a deadline. The rules are counted in their own unit: calendar days by default,
    working days where the office configured them so (a yellow of 10 working days reaches further)."""
    if due_on < today:
        return RED
    if due_on <= shift(today, yellow.amount, yellow.unit, calendar=calendar):
        return YELLOW
    if due_on <= shift(today, green.amount, green.unit, calendar=calendar):
        return GREEN
    return None


class Ladder:
    """Warning levels for many tasks: one rules query per jurisdiction."""

    def __init__(self, today: date | None = None) -> None:
        self.today = today or timezone.localdate()
        self.rules = RulesCache()
        self._work_calendar: WorkCalendar | None = None

    def preload(self, jurisdictions: list[Any]) -> None:
        self.rules.preload(jurisdictions)

    def warning(self, task: Task) -> Warning | None:
        if task.state in DONE_TASK_STATES:
            return None
        jurisdiction = task.plan.feedback.target.round.jurisdiction
        green = self.rules.rule(jurisdiction, DeadlineKey.WARNING_GREEN)
        yellow = self.rules.rule(jurisdiction, DeadlineKey.WARNING_YELLOW)
        level = ladder(task.due_on, self.today, green, yellow, calendar=self._calendar(green, yellow))
        return Warning(level, (task.due_on - self.today).days) if level else None

    def _calendar(self, *rules: Rule) -> WorkCalendar | None:
        """One override lookup for every working-day count on the page, made only when a rule
        counts working days (calendar-day rules need none)."""
        if not any(rule.unit == DeadlineUnit.WORKDAYS for rule in rules):
            return None
        if self._work_calendar is None:
            self._work_calendar = WorkCalendar(self.today, self.today + timedelta(days=60))
        return self._work_calendar


def plan_list(*, user: Any) -> QuerySet[RectificationPlan]:
    qs = scope_queryset(user, Perm.RECTIFY_VIEW, RectificationPlan.objects.all())
    # Counted per row of the page (a subquery), not by joining the problems and grouping by every
    # column: that grouped every plan in scope before the page was cut (210 ms for a city, issue 17).
    qs = qs.annotate(n_problems=count_of(Problem.objects.all(), "target", "feedback__target"))
    # The tasks in no order: the page counts them per plan, and the model's ordering joins the problems.
    tasks = Task.objects.only("pk", "plan_id", "problem_id", "state", "due_on").order_by()
    return (
        qs.select_related("feedback__target__unit", "feedback__target__round__jurisdiction", "feedback__team")
        .prefetch_related(Prefetch("tasks", queryset=tasks))
        .order_by("-feedback__sent_on", "pk")
    )


def problem_rows(plan: RectificationPlan) -> list[dict[str, Any]]:
    """The three lists as one structure: each fed-back problem with its tasks (and their owners)."""
    tasks = list(plan.tasks.select_related("leader", "problem").order_by("number"))
    by_problem: dict[int, list[Task]] = {}
    for task in tasks:
        by_problem.setdefault(task.problem_id, []).append(task)
    rows = []
    leaders = LeaderAssignment.objects.filter(revoked_at__isnull=True).select_related("leader")
    problems = plan.feedback.target.problems.prefetch_related(Prefetch("leader_assignments", queryset=leaders))
    for problem in problems.order_by("number"):
        mine = by_problem.get(problem.pk, [])
        rows.append({"problem": problem, "tasks": mine, "status": problem_status(mine)})
    return rows


def problem_status(tasks: list[Task]) -> Any:
    if not tasks:
        return _("未制定措施")
    if all(t.state in DONE_TASK_STATES for t in tasks):
        return _("已完成整改")
    return _("整改中")


def rate(plan: RectificationPlan, total: int | None = None) -> tuple[int, int]:
    """(problems whose every task is done, problems fed back). ``total`` when already counted."""
    by_problem: dict[int, list[str]] = {}
    for task in plan.tasks.all():
        by_problem.setdefault(task.problem_id, []).append(task.state)
    total = plan.feedback.target.problems.count() if total is None else total
    done = sum(1 for states in by_problem.values() if states and all(s in DONE_TASK_STATES for s in states))
    return done, total


def state_counts(plan: RectificationPlan) -> Counter:
    return Counter(task.state for task in plan.tasks.all())


def plan_actions(*, user: Any, plan: RectificationPlan) -> list:
    return [t for t in PLAN_WORKFLOW.actions_from(plan.state) if has_perm(user, t.perm, plan)]


def task_actions(*, user: Any, task: Task) -> list:
    # A reopening is recorded with the return visit that found the problem, not from the task page.
    return [
        t
        for t in TASK_WORKFLOW.actions_from(task.state)
        if t.action not in VISIT_ONLY_ACTIONS and has_perm(user, t.perm, task)
    ]
