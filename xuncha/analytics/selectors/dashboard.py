"""Figures for the dashboards: every chart is one aggregate query (values().annotate()), so the
number of queries does not grow with the data.

Scope follows Perm.STATS_VIEW over org subtrees. A row counts when its round belongs to a
jurisdiction in scope (the office, the leading group, an upper office over its lower levels) or
when its inspected unit is in scope (an inspected unit sees its own figures). A viewer whose scope
holds no jurisdiction is unit-level: it sees only problems fed back to it and never the transfers
(clues stay with the office and the receiving body, domain.md §7) or the term's coverage.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import reduce
from operator import or_
from typing import Any

from django.db.models import Case, CharField, Count, Exists, F, OuterRef, Q, QuerySet, Subquery, Sum, Value, When
from django.db.models.functions import TruncMonth
from django.utils import timezone

from xuncha.accounts.models import OrgUnit
from xuncha.accounts.models.org import JURISDICTION_TYPES, UnitType
from xuncha.accounts.permissions import Perm, perm_paths
from xuncha.common.deadlines import RulesCache, shift
from xuncha.common.models import DeadlineKey
from xuncha.findings.grouping import with_focus_group
from xuncha.findings.models import FeedbackState, Problem
from xuncha.plans.models import Round, RoundState, RoundTarget, TermPlan, TermPlanUnit
from xuncha.rectification.models import Task
from xuncha.rectification.selectors import GREEN, RED, YELLOW
from xuncha.rectification.workflow import DONE_TASK_STATES
from xuncha.transfers.models import Transfer

TOP_UNITS = 20
LEVELS = (RED, YELLOW, GREEN)


@dataclass(frozen=True)
class Scope:
    """Where the user may read statistics: path prefixes, and those that are jurisdictions."""

    paths: tuple[str, ...]
    jurisdiction_paths: tuple[str, ...]
    wide: bool = False  # spans more than one county-level jurisdiction (a city's office, an upper office)

    @property
    def office_level(self) -> bool:
        return bool(self.jurisdiction_paths)

    def covers(self, path: str) -> bool:
        return any(path.startswith(p) for p in self.paths)


@dataclass(frozen=True)
class Filters:
    round: Round | None = None
    year: int | None = None
    unit: OrgUnit | None = None


@dataclass
class Figures:
    summary: dict[str, Any]
    by_round: list[dict[str, Any]]
    by_unit: list[dict[str, Any]]
    by_focus: list[dict[str, Any]]
    by_tag: list[dict[str, Any]]
    by_month: list[dict[str, Any]]
    overdue_by_unit: list[dict[str, Any]]
    overdue_by_level: list[dict[str, Any]]
    by_jurisdiction: list[dict[str, Any]] = field(default_factory=list)
    transfers_by_receiver: list[dict[str, Any]] = field(default_factory=list)
    transfers_by_disposal: list[dict[str, Any]] = field(default_factory=list)
    coverage: list[dict[str, Any]] = field(default_factory=list)


def scope_for(user: Any) -> Scope:
    paths = tuple(perm_paths(user, Perm.STATS_VIEW))
    if not paths:
        return Scope((), ())
    jurisdictions = OrgUnit.objects.filter(path__in=paths, unit_type__in=JURISDICTION_TYPES)
    rows = list(jurisdictions.values_list("path", "unit_type"))
    wide = len(rows) > 1 or any(kind != UnitType.COUNTY for _path, kind in rows)
    return Scope(paths, tuple(path for path, _kind in rows), wide)


def _prefix(paths: tuple[str, ...], *fields: str) -> Q:
    conditions = [Q(**{f"{f}__startswith": p}) for p in paths for f in fields]
    return reduce(or_, conditions) if conditions else Q(pk__in=[])


# --- what the filters offer -------------------------------------------------------------


def rounds_in_scope(scope: Scope) -> QuerySet[Round]:
    """Rounds the user may read figures of: its jurisdictions' and those that inspected its units."""
    inspected = RoundTarget.objects.filter(round=OuterRef("pk")).filter(_prefix(scope.paths, "unit__path"))
    qs = Round.objects.filter(_prefix(scope.jurisdiction_paths, "jurisdiction__path") | Q(Exists(inspected)))
    return qs.select_related("jurisdiction").order_by("-year", "-number")


def units_in_scope(scope: Scope) -> QuerySet[OrgUnit]:
    return OrgUnit.objects.filter(_prefix(scope.paths, "path"))


# --- base querysets -----------------------------------------------------------------------


def _open_tasks(problem_ref: str = "pk") -> QuerySet[Task]:
    return Task.objects.filter(problem=OuterRef(problem_ref)).exclude(state__in=DONE_TASK_STATES)


FED_Q = Q(target__feedback__state=FeedbackState.SENT)
# A problem is rectified when it has measures and every one of them is done (selectors.rate).
DONE_Q = Q(Exists(Task.objects.filter(problem=OuterRef("pk")))) & ~Q(Exists(_open_tasks()))


def _filtered(qs: QuerySet, f: Filters, round_field: str, unit_path_field: str) -> QuerySet:
    """The page's filters (round, year, unit) on rows that reach their round and unit by these fields."""
    if f.round:
        qs = qs.filter(**{round_field: f.round})
    if f.year:
        qs = qs.filter(**{f"{round_field}__year": f.year})
    if f.unit:
        qs = qs.filter(**{f"{unit_path_field}__startswith": f.unit.path})
    return qs.order_by()


def problems(scope: Scope, f: Filters) -> QuerySet[Problem]:
    qs = Problem.objects.filter(_prefix(scope.paths, "round__jurisdiction__path", "target__unit__path"))
    if not scope.office_level:
        qs = qs.filter(FED_Q)
    return _filtered(qs, f, "round", "target__unit__path")


def open_tasks(scope: Scope, f: Filters) -> QuerySet[Task]:
    fb = "plan__feedback__"
    qs = Task.objects.filter(_prefix(scope.paths, f"{fb}round__jurisdiction__path", f"{fb}target__unit__path"))
    return _filtered(qs.exclude(state__in=DONE_TASK_STATES), f, f"{fb}round", f"{fb}target__unit__path")


def transfers(scope: Scope, f: Filters) -> QuerySet[Transfer]:
    qs = Transfer.objects.filter(_prefix(scope.jurisdiction_paths, "round__jurisdiction__path"))
    return _filtered(qs, f, "round", "target__unit__path")


# --- the warning ladder in SQL ----------------------------------------------------------------


def with_level(qs: QuerySet[Task], today: date | None = None) -> QuerySet[Task]:
    """Annotate ``level`` (red/yellow/green/None) like rectification's Ladder, as one CASE:
    the day counts come from each jurisdiction's rules (a few rows, loaded once)."""
    today = today or timezone.localdate()
    jurisdictions = list(OrgUnit.objects.filter(pk__in=qs.values("plan__feedback__round__jurisdiction")))
    rules = RulesCache()
    rules.preload(jurisdictions)
    whens = [When(due_on__lt=today, then=Value(RED))]
    for key, level in ((DeadlineKey.WARNING_YELLOW, YELLOW), (DeadlineKey.WARNING_GREEN, GREEN)):
        for j in jurisdictions:
            rule = rules.rule(j, key)  # counted in its own unit: working days where so configured
            cutoff = shift(today, rule.amount, rule.unit)
            whens.append(When(plan__feedback__round__jurisdiction=j, due_on__lte=cutoff, then=Value(level)))
    return qs.annotate(level=Case(*whens, default=Value(""), output_field=CharField()))


# --- the figures ------------------------------------------------------------------------------


def _counts() -> dict[str, Any]:
    return {"problems": Count("pk", distinct=True), "fed": Count("pk", filter=FED_Q, distinct=True)}


ROUND_JURISDICTION = "plan__feedback__round__jurisdiction_id"


def level_counts(scope: Scope, f: Filters) -> list[dict[str, Any]]:
    """Open tasks by warning level ("" for none) and by their round's jurisdiction, in one query."""
    return list(with_level(open_tasks(scope, f)).values("level", ROUND_JURISDICTION).annotate(n=Count("pk")))


def summary(scope: Scope, f: Filters, levels: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    qs = problems(scope, f)
    row = qs.aggregate(
        **_counts(),
        done=Count("pk", filter=DONE_Q, distinct=True),
        units=Count("target__unit", distinct=True),
        rounds=Count("round", distinct=True),
    )
    row["rate"] = round(100 * row["done"] / row["fed"]) if row["fed"] else None
    levels = level_counts(scope, f) if levels is None else levels
    row["overdue"] = sum(r["n"] for r in levels if r["level"] == RED)
    row["open_tasks"] = sum(r["n"] for r in levels)
    if scope.office_level:
        row.update(transfers(scope, f).aggregate(transfers=Count("pk"), persons=Sum("persons_count")))
    return row


def by_round(scope: Scope, f: Filters) -> list[dict[str, Any]]:
    qs = problems(scope, Filters(year=f.year, unit=f.unit))
    rows = qs.values("round_id", "round__name", "round__year", "round__number").annotate(
        **_counts(), done=Count("pk", filter=DONE_Q, distinct=True)
    )
    return list(rows.order_by("round__year", "round__number"))


def by_jurisdiction(scope: Scope, f: Filters, levels: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Per jurisdiction of the rounds in scope (an upper office's counties): rounds, problems, fed
    back, rectified, and the overdue open tasks taken from ``level_counts`` (no further query)."""
    j = "round__jurisdiction"
    rows = problems(scope, f).values(f"{j}_id", f"{j}__name", f"{j}__path")
    rows = rows.annotate(
        rounds=Count("round", distinct=True), **_counts(), done=Count("pk", filter=DONE_Q, distinct=True)
    )
    overdue: dict[int, int] = {}
    for r in levels:
        if r["level"] == RED:
            overdue[r[ROUND_JURISDICTION]] = overdue.get(r[ROUND_JURISDICTION], 0) + r["n"]
    out = []
    for r in rows.order_by(f"{j}__path"):
        rate = round(100 * r["done"] / r["fed"]) if r["fed"] else None
        out.append({**r, "rate": rate, "overdue": overdue.get(r[f"{j}_id"], 0)})
    return out


def by_unit(scope: Scope, f: Filters) -> list[dict[str, Any]]:
    """The units with most problems; within one round, one row per inspected unit (its target)."""
    keys = ["target__unit_id", "target__unit__name"]
    if f.round:
        keys += ["target_id", "target__feedback__plan__id"]
    rows = problems(scope, f).values(*keys).annotate(**_counts(), done=Count("pk", filter=DONE_Q, distinct=True))
    return list(rows.order_by("-problems", "target__unit__name")[:TOP_UNITS])


def by_focus(scope: Scope, f: Filters) -> list[dict[str, Any]]:
    """Problems per top-level focus item, each problem once, under the item
    ``xuncha.findings.grouping`` gives it (an item and its sub-item, or two items, count once):
    the bars add up to the problems classified. Rows: ``item_id``, ``item``, ``n``."""
    qs = with_focus_group(problems(scope, f)).filter(focus_root__isnull=False)
    rows = qs.values("focus_root", "focus_root_text").annotate(n=Count("pk", distinct=True))
    return [
        {"item_id": r["focus_root"], "item": r["focus_root_text"], "n": r["n"]}
        for r in rows.order_by("-n", "focus_root_text")
    ]


def by_tag(scope: Scope, f: Filters) -> list[dict[str, Any]]:
    qs = problems(scope, f).filter(tags__isnull=False)
    rows = qs.values("tags__id", "tags__name").annotate(n=Count("pk", distinct=True))
    return list(rows.order_by("-n", "tags__name"))


def by_month(scope: Scope, f: Filters) -> list[dict[str, Any]]:
    """Per month: problems fed back, problems whose last measure was done, and the running rate."""
    qs = problems(scope, f)
    fed = qs.filter(FED_Q).annotate(m=TruncMonth("target__feedback__sent_on")).values("m").annotate(n=Count("pk"))
    # The latest closing date known (NULLs last on every database, not first as PostgreSQL sorts them).
    last = Task.objects.filter(problem=OuterRef("pk")).order_by(F("closed_on").desc(nulls_last=True))
    last = last.values("closed_on")[:1]
    done = qs.filter(FED_Q & DONE_Q).annotate(m=TruncMonth(Subquery(last))).values("m").annotate(n=Count("pk"))
    months: dict[date, dict[str, int]] = {}
    for key, rows in (("fed", fed), ("done", done)):
        for r in rows:
            if r["m"] is not None:
                months.setdefault(_month(r["m"]), {"fed": 0, "done": 0})[key] = r["n"]
    out, total_fed, total_done = [], 0, 0
    for month in sorted(months):
        total_fed += months[month]["fed"]
        total_done += months[month]["done"]
        rate = round(100 * total_done / total_fed) if total_fed else None
        out.append({"month": month, **months[month], "rate": rate})
    return out


def _month(value: Any) -> date:
    value = value.date() if hasattr(value, "date") and callable(value.date) else value
    return date(value.year, value.month, 1)


def overdue(scope: Scope, f: Filters) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Open tasks with a warning: by level (all three) and by unit (most overdue first)."""
    qs = with_level(open_tasks(scope, f)).exclude(level="")
    counts = {r["level"]: r["n"] for r in qs.values("level").annotate(n=Count("pk"))}
    levels = [{"level": level, "n": counts.get(level, 0)} for level in LEVELS] if counts else []
    unit = "plan__feedback__target__unit"
    rows = qs.values(f"{unit}_id", f"{unit}__name").annotate(
        **{level: Count("pk", filter=Q(level=level)) for level in LEVELS}
    )
    units = [
        {"unit_id": r[f"{unit}_id"], "name": r[f"{unit}__name"], **{lv: r[lv] for lv in LEVELS}}
        for r in rows.order_by(f"-{RED}", f"-{YELLOW}", f"-{GREEN}", f"{unit}__name")[:TOP_UNITS]
    ]
    return units, levels


def transfers_by_receiver(scope: Scope, f: Filters) -> list[dict[str, Any]]:
    rows = (
        transfers(scope, f)
        .values("receiver_id", "receiver__name")
        .annotate(n=Count("pk"), persons=Sum("persons_count"))
    )
    return list(rows.order_by("-n", "receiver__name"))


def transfers_by_disposal(scope: Scope, f: Filters) -> list[dict[str, Any]]:
    """How the receivers disposed of what they got ("" while not yet disposed of)."""
    rows = transfers(scope, f).values("disposal").annotate(n=Count("pk"), persons=Sum("persons_count"))
    return list(rows.order_by("-n", "disposal"))


def coverage(scope: Scope, f: Filters) -> list[dict[str, Any]]:
    """Per term plan in scope: units in the jurisdiction, units the plan must cover, covered so far.

    Covered as on the term page (plans.selectors.term_coverage): a target in a round of the
    jurisdiction, past draft, in the term's years. The plan in force in the filter's year (or today's)."""
    year = f.year or (f.round.year if f.round else timezone.localdate().year)
    plans = TermPlan.objects.filter(_prefix(scope.jurisdiction_paths, "jurisdiction__path"))
    plans = plans.filter(start_year__lte=year, end_year__gte=year).select_related("jurisdiction")
    inspected = RoundTarget.objects.filter(
        unit=OuterRef("unit"),
        round__jurisdiction=OuterRef("plan__jurisdiction"),
        round__year__gte=OuterRef("plan__start_year"),
        round__year__lte=OuterRef("plan__end_year"),
    ).exclude(round__state=RoundState.DRAFT)
    planned = (
        TermPlanUnit.objects.filter(plan__in=plans)
        .values("plan_id")
        .annotate(planned=Count("pk"), covered=Count("pk", filter=Q(Exists(inspected))))
    )
    counts = {r["plan_id"]: r for r in planned}
    out = []
    for plan in plans.order_by("jurisdiction__path", "-start_year"):
        row = counts.get(plan.pk, {"planned": 0, "covered": 0})
        out.append({"plan": plan, "planned": row["planned"], "covered": row["covered"]})
    return _with_unit_counts(out)


def _with_unit_counts(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Units of each jurisdiction (itself and its committee excluded) in one aggregate query."""
    if not rows:
        return rows
    whens = [When(path__startswith=r["plan"].jurisdiction.path, then=Value(r["plan"].jurisdiction.path)) for r in rows]
    qs = OrgUnit.objects.filter(is_active=True).exclude(unit_type__in=[*JURISDICTION_TYPES, "committee"])
    qs = qs.filter(_prefix(tuple(r["plan"].jurisdiction.path for r in rows), "path"))
    per = qs.order_by().annotate(j=Case(*whens, output_field=CharField())).values("j").annotate(n=Count("pk"))
    totals = {r["j"]: r["n"] for r in per}
    for r in rows:
        r["units"] = totals.get(r["plan"].jurisdiction.path, 0)
        r["rate"] = round(100 * r["covered"] / r["planned"]) if r["planned"] else None
    return rows


def figures(scope: Scope, f: Filters) -> Figures:
    units, levels = overdue(scope, f)
    counts = level_counts(scope, f)
    figs = Figures(
        summary=summary(scope, f, counts),
        by_round=[] if f.round else by_round(scope, f),
        by_unit=by_unit(scope, f),
        by_focus=by_focus(scope, f),
        by_tag=by_tag(scope, f),
        by_month=by_month(scope, f),
        overdue_by_unit=units,
        overdue_by_level=levels,
    )
    if scope.wide and not f.round:
        figs.by_jurisdiction = by_jurisdiction(scope, f, counts)
    if scope.office_level:
        figs.transfers_by_receiver = transfers_by_receiver(scope, f)
        figs.transfers_by_disposal = transfers_by_disposal(scope, f)
        figs.coverage = coverage(scope, f) if not f.unit else []
    return figs
