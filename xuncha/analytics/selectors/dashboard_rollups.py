"""The dashboards' figures from the rollups (analytics.models.Rollup): the same ``Figures``, row for
row, as the live count in ``dashboard.py`` (the reference the tests and ``manage.py analytics_rollup
--check`` compare with), in a fixed handful of queries whatever the size of the database.

Each family of figures is one aggregate over the rollup table, scoped by a prefix filter on the
paths the rows carry (the round's jurisdiction, the inspected unit), which an index serves; the
warning levels are computed in the query from the deadlines the rows keep and today's date, with
every jurisdiction's rules in one CASE. Scope and filters mean what they mean in ``dashboard.py``.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from functools import reduce
from operator import or_
from typing import Any

from django.db.models import (
    BooleanField,
    Case,
    CharField,
    DateField,
    Exists,
    ExpressionWrapper,
    F,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from xuncha.accounts.models import OrgUnit
from xuncha.accounts.models.org import JURISDICTION_TYPES, UnitType
from xuncha.accounts.permissions import Perm, perm_paths
from xuncha.analytics.models import AreaKind, AreaRollup, Kind, Rollup
from xuncha.analytics.rollups import rollups_current
from xuncha.analytics.selectors.dashboard import (
    GREEN,
    LEVELS,
    RED,
    TOP_UNITS,
    YELLOW,
    Figures,
    Filters,
    Scope,
    _prefix,
    _with_unit_counts,
)
from xuncha.common.deadlines import DEFAULTS, shift
from xuncha.common.models import DeadlineKey, DeadlineRule
from xuncha.common.queries import count_of
from xuncha.plans.models import Round, RoundState, RoundTarget, TermPlan, TermPlanUnit

K, A = Kind, AreaKind
FED = Q(fed_month__isnull=False)


Rules = tuple[tuple[str | None, str, int, str], ...]


@dataclass(frozen=True)
class StatsScope(Scope):
    """A statistics scope and the warning rules in force (yellow, green): (jurisdiction path or
    None for the installation, key, amount, unit), read with it."""

    rules: Rules = ()


WARNINGS = (DeadlineKey.WARNING_YELLOW, DeadlineKey.WARNING_GREEN)
_RULE = "#rule"  # marks the rule rows in the scope's query (no unit type starts with "#")


def warning_rules() -> Rules:
    """The warning rules on their own (a scope built without ``statistics_scope``)."""
    rules = DeadlineRule.objects.filter(key__in=WARNINGS).order_by()
    return tuple(rules.values_list("jurisdiction__path", "key", "amount", "unit"))


def statistics_scope(user: Any) -> StatsScope:
    """Where ``user`` may read statistics (``dashboard.scope_for``), with the rollups first brought
    up to the last change. Which of the user's paths are jurisdictions and the warning rules come
    in one round trip (a union, as the access package reads grants and memberships together)."""
    rollups_current()
    paths = tuple(perm_paths(user, Perm.STATS_VIEW))
    if not paths:
        return StatsScope((), ())
    units = OrgUnit.objects.filter(path__in=paths, unit_type__in=JURISDICTION_TYPES).order_by()
    units = units.values_list("path", "unit_type", Value(""), Value(0), Value(""))
    rules = DeadlineRule.objects.filter(key__in=WARNINGS).order_by()
    rules = rules.values_list("jurisdiction__path", Value(_RULE), "key", "amount", "unit")
    jurisdictions, found = [], []
    for path, kind, key, amount, unit in units.union(rules, all=True):
        if kind == _RULE:
            found.append((path, key, amount, unit))
        else:
            jurisdictions.append((path, kind))
    wide = len(jurisdictions) > 1 or any(kind != UnitType.COUNTY for _path, kind in jurisdictions)
    return StatsScope(paths, tuple(path for path, _kind in jurisdictions), wide, tuple(found))


def rounds_in_scope(scope: Scope) -> QuerySet[Round]:
    """Rounds of the jurisdictions in scope and rounds that inspected a unit in scope (as the live
    ``dashboard.rounds_in_scope``), found by the rollups' round and unit rows."""
    rows = Rollup.objects.filter(
        under([K.ROUND], scope.jurisdiction_paths, "jurisdiction_path") | under([K.TARGET], scope.paths, "unit_path")
    )
    qs = Round.objects.filter(pk__in=rows.values("round_id"))
    return qs.select_related("jurisdiction").order_by("-year", "-number", "pk")


def under(kinds: list[str], paths: tuple[str, ...], *fields: str) -> Q:
    """Rows of these kinds under any of the paths, on any of the fields: an OR of plain conditions,
    each one range of an index (kind, path) that PostgreSQL combines; an OR nested in an AND it
    would not split, and would read every row of the kinds."""
    conditions = [Q(kind__in=kinds, **{f"{field}__startswith": path}) for path in paths for field in fields]
    return reduce(or_, conditions) if conditions else Q(pk__in=[])


def rows(scope: Scope, f: Filters, *kinds: str, where: Q | None = None) -> QuerySet[Rollup]:
    """The rows of these kinds in scope (its paths, on the round's jurisdiction or the unit; or
    ``where``) and in the page's filters. A unit-level reader counts only what was fed back to it."""
    where = under(list(kinds), scope.paths, "jurisdiction_path", "unit_path") if where is None else where
    qs = Rollup.objects.filter(where)
    if not scope.office_level:
        qs = qs.filter(FED | Q(kind=K.TASK))
    if f.round:
        qs = qs.filter(round_id=f.round.pk)
    if f.year:
        qs = qs.filter(year=f.year)
    if f.unit:
        qs = qs.filter(unit_path__startswith=f.unit.path)
    return qs.order_by()


def _sum(field: str, condition: Q | None = None) -> Coalesce:
    return Coalesce(Sum(field, filter=condition), 0)


def _rate(done: int, fed: int) -> int | None:
    return round(100 * done / fed) if fed else None


# --- warning levels -----------------------------------------------------------------------------


def _within(key: str, rules: Rules, today: date) -> Case:
    """Is a deadline (``day``) within the warning period ``key`` of its round's jurisdiction? The
    most specific rule wins (common.deadlines): the jurisdiction's own, an ancestor's, the
    installation's, the default; as a CASE on the rows' jurisdiction path, longest path first."""
    mine = sorted((r for r in rules if r[1] == key and r[0]), key=lambda r: -len(r[0] or ""))
    general = next((r for r in rules if r[1] == key and not r[0]), None)
    amount, unit = (general[2], general[3]) if general else DEFAULTS[DeadlineKey(key)]

    def cut(amount: int, unit: str) -> ExpressionWrapper:
        return ExpressionWrapper(Q(day__lte=shift(today, amount, unit)), output_field=BooleanField())

    whens = [When(jurisdiction_path__startswith=path, then=cut(n, u)) for path, _key, n, u in mine]
    return Case(*whens, default=cut(amount, unit), output_field=BooleanField())


def with_level(qs: QuerySet[Rollup], rules: Rules, today: date | None = None) -> QuerySet[Rollup]:
    """``level`` (red / yellow / green / "") of the measures not done (TASK rows with a deadline),
    as rectification's ladder and ``dashboard.with_level`` give it; other rows get ""."""
    today = today or timezone.localdate()
    open_task = Q(kind=K.TASK, day__isnull=False)
    level = Case(
        When(open_task & Q(day__lt=today), then=Value(RED)),
        When(open_task & Q(_within(DeadlineKey.WARNING_YELLOW, rules, today)), then=Value(YELLOW)),
        When(open_task & Q(_within(DeadlineKey.WARNING_GREEN, rules, today)), then=Value(GREEN)),
        default=Value(""),
        output_field=CharField(),
    )
    return qs.annotate(level=level)


# --- the figures --------------------------------------------------------------------------------


def _rounds(scope: Scope, f: Filters) -> list[dict[str, Any]]:
    """Problems, fed back and rectified per round (with its jurisdiction): the summary's counts,
    the rounds chart and the counties' chart come from these rows."""
    names = {name: Max(name) for name in ("round__name", "round__year", "round__number", "jurisdiction__name")}
    if _areas_serve(scope, f):  # the rounds' totals per area (fed back: ``amount``)
        where = under([A.ROUND], scope.paths, "jurisdiction_path", "area_path")
        qs = AreaRollup.objects.filter(where).order_by()
        qs = qs.filter(year=f.year) if f.year else qs
        qs = qs.values("round_id", "jurisdiction_id").annotate(
            problems=_sum("n"), fed=_sum("amount"), done=_sum("part"), **names,
            jurisdiction_path=Max("jurisdiction_path"),
        )  # fmt: skip
    else:
        qs = (
            rows(scope, f, K.PROBLEM)
            .values("round_id", "jurisdiction_id")
            .annotate(
                problems=_sum("n"),
                fed=_sum("n", FED),
                done=_sum("part"),
                **names,
                jurisdiction_path=Max("jurisdiction_path"),
            )
        )
    return sorted(qs, key=lambda r: (r["round__year"], r["round__number"], r["jurisdiction_path"], r["round_id"]))


def _units(scope: Scope, f: Filters) -> list[dict[str, Any]]:
    """Per unit (and round's jurisdiction; per inspected unit within one round): its problems and
    its measures not done by warning level, in one query."""
    keys = ["unit_id", "jurisdiction_id"] + (["target_id"] if f.round else [])
    rules = scope.rules if isinstance(scope, StatsScope) else warning_rules()
    task = Q(kind=K.TASK)
    if _areas_serve(scope, f):  # each unit's totals (fed back: ``amount``) and open measures per area
        where = under([A.UNIT, A.TASK], scope.paths, "jurisdiction_path", "area_path")
        qs = AreaRollup.objects.filter(where).order_by()
        qs = with_level(qs.filter(year=f.year) if f.year else qs, rules)
        problem = Q(kind=A.UNIT)
        totals = {"problems": _sum("n", problem), "fed": _sum("amount", problem), "done": _sum("part", problem)}
    else:
        qs = with_level(rows(scope, f, K.PROBLEM, K.TASK).filter(Q(kind=K.PROBLEM) | Q(day__isnull=False)), rules)
        problem = Q(kind=K.PROBLEM)
        totals = {"problems": _sum("n", problem), "fed": _sum("n", problem & FED), "done": _sum("part", problem)}
    counts = {level or "none": _sum("n", task & Q(level=level)) for level in (*LEVELS, "")}
    qs = qs.values(*keys).annotate(**totals, unit__name=Max("unit__name"), **counts)
    return list(qs)


def _by_unit(units: list[dict[str, Any]], f: Filters) -> list[dict[str, Any]]:
    merged: dict[tuple[Any, ...], dict[str, Any]] = {}
    for r in units:
        if not r["problems"]:
            continue
        key = (r["unit_id"], r.get("target_id"))
        row = merged.setdefault(
            key,
            {
                "target__unit_id": r["unit_id"],
                "target__unit__name": r["unit__name"],
                "problems": 0,
                "fed": 0,
                "done": 0,
            },
        )
        if f.round:
            row["target_id"] = r["target_id"]
        for k in ("problems", "fed", "done"):
            row[k] += r[k]
    return sorted(merged.values(), key=lambda r: (-r["problems"], r["target__unit__name"]))


def _overdue(units: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[dict[str, Any]], dict[str, int]]:
    """Measures with a warning by unit (worst first) and by level; every level's total."""
    per_unit: dict[int, dict[str, Any]] = {}
    totals: dict[str, int] = defaultdict(int)
    for r in units:
        for level in (*LEVELS, "none"):
            totals[level] += r[level]
        if any(r[level] for level in LEVELS):
            row = per_unit.setdefault(
                r["unit_id"], {"unit_id": r["unit_id"], "name": r["unit__name"], RED: 0, YELLOW: 0, GREEN: 0}
            )
            for level in LEVELS:
                row[level] += r[level]
    ordered = sorted(per_unit.values(), key=lambda r: (-r[RED], -r[YELLOW], -r[GREEN], r["name"]))
    warned = any(totals[level] for level in LEVELS)
    levels = [{"level": level, "n": totals[level]} for level in LEVELS] if warned else []
    return ordered[:TOP_UNITS], levels, totals


def _by_jurisdiction(rounds: list[dict[str, Any]], units: list[dict[str, Any]]) -> list[dict[str, Any]]:
    j = "round__jurisdiction"
    out: dict[int, dict[str, Any]] = {}
    for r in rounds:
        names = {
            f"{j}_id": r["jurisdiction_id"],
            f"{j}__name": r["jurisdiction__name"],
            f"{j}__path": r["jurisdiction_path"],
        }
        row = out.setdefault(r["jurisdiction_id"], {**names, "rounds": 0, "problems": 0, "fed": 0, "done": 0})
        row["rounds"] += 1
        for k in ("problems", "fed", "done"):
            row[k] += r[k]
    overdue: dict[int, int] = defaultdict(int)
    for r in units:
        overdue[r["jurisdiction_id"]] += r[RED]
    ordered = sorted(out.values(), key=lambda r: r[f"{j}__path"])
    return [{**r, "rate": _rate(r["done"], r["fed"]), "overdue": overdue.get(r[f"{j}_id"], 0)} for r in ordered]


# Names carried as aggregates of groups made by ids: the sort (or hash) keys stay narrow.
NAMES = {"focus__text": Max("focus__text"), "tag__name": Max("tag__name"), "receiver__name": Max("receiver__name")}


def _problem_mix(scope: Scope, f: Filters) -> dict[str, Any]:
    """Problems by focus item, by tag and by month (fed back, rectified) and, for an office, the
    transfers by receiver and disposal: one grouped read, each kind grouped by its own columns."""
    by: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in _mix_by_area(scope, f) if _areas_serve(scope, f) else _mix_by_unit(scope, f):
        by[r["kind"]].append(r)
    return {
        "focus": _focus(by[K.PROBLEM]),
        "tags": _tags(by[K.TAG]),
        "months": _months(by),
        "transfers": by[K.TRANSFER],
    }


def _areas_serve(scope: Scope, f: Filters) -> bool:
    """The area rows answer an office whose scope is made of jurisdictions only, over whole
    jurisdictions (no round or unit chosen): the rows of the same areas, fewer by far."""
    return scope.office_level and not (f.round or f.unit) and set(scope.paths) <= set(scope.jurisdiction_paths)


# The area rows' kinds as the rollups' (both kinds of problem row are problems).
_AREA_KINDS = {A.FOCUS: K.PROBLEM, A.FED: K.PROBLEM, A.TAG: K.TAG, A.RECTIFIED: K.RECTIFIED, A.TRANSFER: K.TRANSFER}


def _mix_by_area(scope: Scope, f: Filters) -> list[dict[str, Any]]:
    """The mix from the area rows (analytics.models.AreaRollup), shaped as ``_mix_by_unit``'s."""
    where = under([A.FOCUS, A.FED, A.TAG, A.RECTIFIED], scope.paths, "jurisdiction_path", "area_path")
    where |= under([A.TRANSFER], scope.jurisdiction_paths, "jurisdiction_path")
    qs = AreaRollup.objects.filter(where).order_by()
    if f.year:
        qs = qs.filter(year=f.year)
    grouped = qs.values("kind", "focus_id", "tag_id", "receiver_id", "day", "key").annotate(
        total=_sum("n"), persons=_sum("amount"), **NAMES
    )
    return [
        {
            **r,
            "kind": _AREA_KINDS[r["kind"]],
            "m": r["day"] if r["kind"] == A.FED else None,
            "d": r["day"] if r["kind"] == A.RECTIFIED else None,
            "k": r["key"],
        }
        for r in grouped
    ]


def _mix_by_unit(scope: Scope, f: Filters) -> QuerySet[Rollup, dict[str, Any]]:
    """The mix from the rows per round and unit (a round or unit chosen, or a scope below a
    jurisdiction, as a unit's own)."""
    kinds = [K.PROBLEM, K.TAG, K.RECTIFIED]
    where = under(kinds, scope.paths, "jurisdiction_path", "unit_path")
    if scope.office_level:  # transfers belong to the rounds of the jurisdictions in scope
        where |= under([K.TRANSFER], scope.jurisdiction_paths, "jurisdiction_path")
    qs = rows(scope, f, where=where).annotate(
        m=Case(When(kind=K.PROBLEM, then=F("fed_month")), default=Value(None), output_field=DateField()),
        d=Case(When(kind=K.RECTIFIED, then=F("day")), default=Value(None), output_field=DateField()),
        k=Case(When(kind=K.TRANSFER, then=F("key")), default=Value(""), output_field=CharField()),
    )
    return qs.values("kind", "focus_id", "tag_id", "receiver_id", "m", "d", "k").annotate(
        total=_sum("n"), persons=_sum("amount"), **NAMES
    )


def _focus(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    focus: dict[tuple[int, str], int] = defaultdict(int)
    for r in rows:
        if r["focus_id"] is not None:
            focus[(r["focus_id"], r["focus__text"])] += r["total"]
    ordered = sorted(focus.items(), key=lambda x: (-x[1], x[0][1]))
    return [{"item_id": i, "item": text, "n": n} for (i, text), n in ordered]


def _tags(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    tags: dict[tuple[int, str], int] = defaultdict(int)
    for r in rows:
        tags[(r["tag_id"], r["tag__name"])] += r["total"]
    ordered = sorted(tags.items(), key=lambda x: (-x[1], x[0][1]))
    return [{"tags__id": i, "tags__name": name, "n": n} for (i, name), n in ordered]


def _months(by: dict[str, list[dict[str, Any]]]) -> list[dict[str, Any]]:
    """Per month: problems fed back, problems rectified, and the running rate."""
    months: dict[date, dict[str, int]] = {}
    for key, kind, month in (("fed", K.PROBLEM, "m"), ("done", K.RECTIFIED, "d")):
        for r in by[kind]:
            if r[month] is not None:
                months.setdefault(r[month], {"fed": 0, "done": 0})[key] += r["total"]
    out, total_fed, total_done = [], 0, 0
    for month in sorted(months):
        total_fed += months[month]["fed"]
        total_done += months[month]["done"]
        out.append({"month": month, **months[month], "rate": _rate(total_done, total_fed)})
    return out


def _transfers(grouped: list[dict[str, Any]]) -> tuple[dict[str, Any], list[dict[str, Any]], list[dict[str, Any]]]:
    """Transfers in total, by receiver and by disposal, from the grouped rows."""
    receivers: dict[tuple[int, str], dict[str, int]] = {}
    disposals: dict[str, dict[str, int]] = {}
    for r in grouped:
        for row in (receivers.setdefault((r["receiver_id"], r["receiver__name"]), {"n": 0, "persons": 0}),
                    disposals.setdefault(r["k"], {"n": 0, "persons": 0})):  # fmt: skip
            row["n"] += r["total"]
            row["persons"] += r["persons"]
    persons = sum(r["persons"] for r in grouped) if grouped else None  # as SUM over no rows: NULL
    summary = {"transfers": sum(r["total"] for r in grouped), "persons": persons}
    by_receiver = [{"receiver_id": pk, "receiver__name": name, **v} for (pk, name), v in receivers.items()]
    by_disposal = [{"disposal": key, **v} for key, v in disposals.items()]
    by_receiver.sort(key=lambda r: (-r["n"], r["receiver__name"]))
    by_disposal.sort(key=lambda r: (-r["n"], r["disposal"]))
    return summary, by_receiver, by_disposal


def figures(scope: Scope, f: Filters) -> Figures:
    """Every figure of the dashboard for ``scope`` and the page's filters (``dashboard.figures``)."""
    rounds, units, mix = _rounds(scope, f), _units(scope, f), _problem_mix(scope, f)
    overdue_units, levels, totals = _overdue(units)
    problems, fed, done = (sum(r[k] for r in rounds) for k in ("problems", "fed", "done"))
    by_unit = _by_unit(units, f)
    summary: dict[str, Any] = {
        "problems": problems,
        "fed": fed,
        "done": done,
        "units": len({r["target__unit_id"] for r in by_unit}),
        "rounds": len(rounds),
        "rate": _rate(done, fed),
        "overdue": totals[RED],
        "open_tasks": sum(totals.values()),
    }
    figs = Figures(
        summary=summary,
        by_round=[] if f.round else [_round_row(r) for r in rounds],
        by_unit=by_unit[:TOP_UNITS],
        by_focus=mix["focus"],
        by_tag=mix["tags"],
        by_month=mix["months"],
        overdue_by_unit=overdue_units,
        overdue_by_level=levels,
    )
    if scope.wide and not f.round:
        figs.by_jurisdiction = _by_jurisdiction(rounds, units)
    if scope.office_level:
        counts, figs.transfers_by_receiver, figs.transfers_by_disposal = _transfers(mix["transfers"])
        summary.update(counts)
        # Shown for the whole jurisdiction only (the chart is left out for one round or one unit).
        figs.coverage = coverage(scope, f) if not (f.unit or f.round) else []
    return figs


def coverage(scope: Scope, f: Filters) -> list[dict[str, Any]]:
    """``dashboard.coverage`` in two queries: the plans in force with their units planned and
    covered (counted per plan by subqueries), then the units of their jurisdictions."""
    year = f.year or (f.round.year if f.round else timezone.localdate().year)
    inspected = RoundTarget.objects.filter(
        unit=OuterRef("unit"),
        round__jurisdiction=OuterRef("plan__jurisdiction"),
        round__year__gte=OuterRef("plan__start_year"),
        round__year__lte=OuterRef("plan__end_year"),
    ).exclude(round__state=RoundState.DRAFT)
    plans = TermPlan.objects.filter(_prefix(scope.jurisdiction_paths, "jurisdiction__path"))
    plans = (
        plans.filter(start_year__lte=year, end_year__gte=year)
        .select_related("jurisdiction")
        .annotate(
            planned=count_of(TermPlanUnit.objects.all(), "plan"),
            covered=count_of(TermPlanUnit.objects.filter(Exists(inspected)), "plan"),
        )
    )
    found = [
        {"plan": plan, "planned": plan.planned, "covered": plan.covered}
        for plan in plans.order_by("jurisdiction__path", "-start_year")
    ]
    return _with_unit_counts(found)


def _round_row(r: dict[str, Any]) -> dict[str, Any]:
    keys = ("round_id", "round__name", "round__year", "round__number", "problems", "fed", "done")
    return {k: r[k] for k in keys}
