"""The lists behind the dashboards' charts (drill-down): problems and open tasks across units and
rounds, scoped by the codes that open them (FINDING_VIEW, RECTIFY_VIEW), never by STATS_VIEW —
an upper office that sees the figures does not reach these rows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from xuncha.accounts.models import OrgUnit
from xuncha.accounts.permissions import Perm, scope_queryset
from xuncha.analytics.selectors.dashboard import DONE_Q, FED_Q, LEVELS, with_level
from xuncha.findings.grouping import with_focus_group
from xuncha.findings.models import Problem
from xuncha.rectification.models import Task
from xuncha.rectification.workflow import DONE_TASK_STATES

PROBLEM_STATUSES = ("fed", "done", "open")


@dataclass(frozen=True)
class ListFilters:
    round_id: int | None = None
    year: int | None = None
    unit: OrgUnit | None = None
    focus_id: int | None = None
    tag_id: int | None = None
    month: date | None = None
    status: str = ""
    level: str = ""


def problem_drill_list(*, user: Any, f: ListFilters) -> QuerySet[Problem]:
    qs = scope_queryset(user, Perm.FINDING_VIEW, Problem.objects.all())
    if f.round_id:
        qs = qs.filter(round_id=f.round_id)
    if f.year:
        qs = qs.filter(round__year=f.year)
    if f.unit:
        qs = qs.filter(target__unit__path__startswith=f.unit.path)
    if f.focus_id:
        # The problems the focus chart counts under this top-level item (findings.grouping: each
        # problem under one item); for a sub-item, the problems classified under it.
        sub = Problem.focus_items.through.objects.filter(
            problem_id=OuterRef("pk"), focusitem_id=f.focus_id, focusitem__parent__isnull=False
        )
        qs = with_focus_group(qs).filter(Q(focus_root=f.focus_id) | Exists(sub))
    if f.tag_id:
        qs = qs.filter(tags__id=f.tag_id)
    if f.month:
        qs = qs.filter(
            FED_Q, target__feedback__sent_on__year=f.month.year, target__feedback__sent_on__month=f.month.month
        )
    if f.status == "fed":
        qs = qs.filter(FED_Q)
    elif f.status == "done":
        qs = qs.filter(FED_Q & DONE_Q)
    elif f.status == "open":
        qs = qs.filter(FED_Q).exclude(DONE_Q)
    return qs.select_related("round", "target__unit", "target__feedback").order_by(
        "-round__year", "-round__number", "target__unit__path", "number"
    )


def task_drill_list(*, user: Any, f: ListFilters) -> QuerySet[Task]:
    qs = scope_queryset(user, Perm.RECTIFY_VIEW, Task.objects.exclude(state__in=DONE_TASK_STATES))
    if f.round_id:
        qs = qs.filter(plan__feedback__round_id=f.round_id)
    if f.year:
        qs = qs.filter(plan__feedback__round__year=f.year)
    if f.unit:
        qs = qs.filter(plan__feedback__target__unit__path__startswith=f.unit.path)
    qs = with_level(qs)
    qs = qs.filter(level=f.level) if f.level in LEVELS else qs.exclude(level="")
    return qs.select_related("problem", "plan__feedback__target__unit", "plan__feedback__round").order_by(
        "due_on", "pk"
    )
