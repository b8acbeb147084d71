"""Deadline rules: how long each step of the inspection loop may take, as data.

Each deadline (``DeadlineKey``) has a default declared here (domain.md §3, "Configurable
defaults"). An installation, and any jurisdiction in it, may set its own value
(``DeadlineRule``). The most specific value wins: the unit's own row, else its nearest ancestor's,
else the installation-wide row, else the code default. So a county inherits its city's practice
until it sets its own, and a township follows its county.

Deadlines are computed on read from the rule and the start date, never stored as truth
(architecture.md, rule 5): changing a rule moves every open deadline with it.
"""

from __future__ import annotations

from calendar import monthrange  # the standard library's, not xuncha.common.calendar
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from xuncha.common.calendar import WorkCalendar, add_workdays
from xuncha.common.models import DeadlineKey, DeadlineRule, DeadlineUnit

if TYPE_CHECKING:
    from xuncha.accounts.models import OrgUnit

W, D, M, Y = DeadlineUnit.WORKDAYS, DeadlineUnit.DAYS, DeadlineUnit.MONTHS, DeadlineUnit.YEARS

# domain.md §3. Directions are the caller's: the notice and the warnings count back from a date.
DEFAULTS: dict[DeadlineKey, tuple[int, DeadlineUnit]] = {
    DeadlineKey.ENTRY_NOTICE: (10, W),  # before entry
    DeadlineKey.RECTIFICATION_PLAN: (15, W),  # after feedback; some places 1 month
    DeadlineKey.DEMOCRATIC_LIFE_MEETING: (1, M),
    DeadlineKey.RECTIFICATION_REPORT: (2, M),  # national rule; some places 3 months
    DeadlineKey.TRANSFER_REPORT_BACK: (3, M),
    DeadlineKey.CLUE_CLOSURE: (6, M),  # at most 1 year
    DeadlineKey.WARNING_GREEN: (20, D),  # before the deadline
    DeadlineKey.WARNING_YELLOW: (10, D),  # before the deadline
    DeadlineKey.RECTIFICATION_EVALUATION: (1, M),  # after the concentrated period
    DeadlineKey.POST_EVALUATION_INTERVIEWS: (10, W),  # after feedback
    DeadlineKey.RECUSAL_RECENT_YEARS: (3, Y),  # worked in the unit within the last 3 years
    DeadlineKey.RECUSAL_LONG_SERVICE_YEARS: (3, Y),  # or for 3 years or more
    DeadlineKey.REPORT_ACKNOWLEDGE: (15, D),  # 信访工作条例: whether it is accepted, within 15 days
    DeadlineKey.REPORT_REPLY: (60, D),  # and the result within 60 days
}


class RuleSource(models.TextChoices):
    """Where the value in force comes from (shown next to it, so nobody wonders why)."""

    JURISDICTION = "jurisdiction", _("本级设定")
    ANCESTOR = "ancestor", _("上级设定")
    INSTALLATION = "installation", _("全系统设定")
    DEFAULT = "default", _("系统默认")


@dataclass(frozen=True)
class Rule:
    amount: int
    unit: DeadlineUnit
    source: RuleSource
    # The unit whose row is in force (JURISDICTION, ANCESTOR); None for the other two sources.
    origin: OrgUnit | None = None


def _ancestor_paths(unit: OrgUnit) -> list[str]:
    """Paths of the unit and all its ancestors: the prefixes of its path, one per level."""
    step = unit.steplen
    return [unit.path[:end] for end in range(step, len(unit.path) + 1, step)]


def _rule_rows(jurisdiction: OrgUnit | None, keys: list[DeadlineKey]) -> list[DeadlineRule]:
    where = Q(jurisdiction__isnull=True)
    if jurisdiction is not None:
        where |= Q(jurisdiction__path__in=_ancestor_paths(jurisdiction))
    return list(DeadlineRule.objects.filter(where, key__in=keys).select_related("jurisdiction"))


def _resolve(key: DeadlineKey, rows: list[DeadlineRule], jurisdiction: OrgUnit | None) -> Rule:
    rows = [row for row in rows if row.key == key]
    if not rows:
        amount, unit = DEFAULTS[key]
        return Rule(amount, unit, RuleSource.DEFAULT)
    # One row per level at most (unique per jurisdiction), so the longest path is the nearest.
    best = max(rows, key=lambda row: len(row.jurisdiction.path) if row.jurisdiction else -1)
    if best.jurisdiction is None:
        source = RuleSource.INSTALLATION
    elif jurisdiction is not None and best.jurisdiction_id == jurisdiction.pk:
        source = RuleSource.JURISDICTION
    else:
        source = RuleSource.ANCESTOR
    return Rule(best.amount, DeadlineUnit(best.unit), source, best.jurisdiction)


def deadline_rule(key: DeadlineKey | str, jurisdiction: OrgUnit | None) -> Rule:
    """The rule in force for ``key`` in ``jurisdiction`` (any unit; None: the installation)."""
    key = DeadlineKey(key)  # ValueError for an unknown key: a programming error, not input
    return _resolve(key, _rule_rows(jurisdiction, [key]), jurisdiction)


def deadline_rules_many(jurisdictions: list[OrgUnit]) -> dict[int, dict[DeadlineKey, Rule]]:
    """``deadline_rules`` for several jurisdictions in one query (a city's page spans counties)."""
    keys = list(DeadlineKey)
    where = Q(jurisdiction__isnull=True)
    paths = {path for j in jurisdictions for path in _ancestor_paths(j)}
    if paths:
        where |= Q(jurisdiction__path__in=paths)
    rows = list(DeadlineRule.objects.filter(where, key__in=keys).select_related("jurisdiction"))
    result = {}
    for j in jurisdictions:
        mine = [r for r in rows if r.jurisdiction is None or j.path.startswith(r.jurisdiction.path)]
        result[j.pk] = {key: _resolve(key, mine, j) for key in keys}
    return result


def deadline_rules(jurisdiction: OrgUnit | None) -> dict[DeadlineKey, Rule]:
    """Every rule in force for ``jurisdiction``, in one query (for pages that list them all)."""
    keys = list(DeadlineKey)
    rows = _rule_rows(jurisdiction, keys)
    return {key: _resolve(key, rows, jurisdiction) for key in keys}


def add_months(day: date, months: int) -> date:
    """Calendar months, clamped to the month's end: Jan 31 + 1 month is Feb 28 (29 in leap years)."""
    year, month_index = divmod(day.year * 12 + day.month - 1 + months, 12)
    month = month_index + 1
    return date(year, month, min(day.day, monthrange(year, month)[1]))


def shift(
    start: date, amount: int, unit: DeadlineUnit | str, direction: int = 1, *, calendar: WorkCalendar | None = None
) -> date:
    """``start`` moved by ``amount`` ``unit`` forwards (direction +1) or backwards (-1).

    Calendar units land where they land, weekend or not: the rules name working days where
    they mean them. ``calendar`` (a WorkCalendar) lets a page share one override lookup.
    """
    if direction not in (1, -1):
        raise ValueError("direction must be +1 or -1")
    unit = DeadlineUnit(unit)
    signed = amount * direction
    if unit == DeadlineUnit.WORKDAYS:
        return calendar.add_workdays(start, signed) if calendar else add_workdays(start, signed)
    if unit == DeadlineUnit.DAYS:
        return start + timedelta(days=signed)
    return add_months(start, signed * (12 if unit == DeadlineUnit.YEARS else 1))


def deadline_from(
    key: DeadlineKey | str,
    start: date,
    jurisdiction: OrgUnit | None,
    direction: int = 1,
    *,
    calendar: WorkCalendar | None = None,
) -> date:
    """The date ``key``'s rule puts ``direction`` (+1 after, -1 before) of ``start``.

    E.g. ``deadline_from("rectification_plan", feedback_date, county)`` or
    ``deadline_from("entry_notice", entry_date, county, -1)`` (latest date to send the notice).
    """
    rule = deadline_rule(key, jurisdiction)
    return shift(start, rule.amount, rule.unit, direction, calendar=calendar)


# --- deadlines on a page: due dates, lateness, and the database filter for "overdue" ----------

SOON_DAYS = 3  # "due soon" highlighting


@dataclass(frozen=True)
class Due:
    """A deadline as a list shows it: the date, what is due, and how it stands today."""

    on: date
    label: Any
    days_left: int

    @property
    def overdue(self) -> bool:
        return self.days_left < 0

    @property
    def days_overdue(self) -> int:
        return max(0, -self.days_left)

    @property
    def soon(self) -> bool:
        return 0 <= self.days_left <= SOON_DAYS


def overdue_cutoff(rule: Rule, today: date, *, calendar: WorkCalendar | None = None) -> date:
    """The latest start date whose deadline under ``rule`` is already past on ``today``.

    Deadlines never move backwards as the start moves forwards, so "overdue" is ``start <= cutoff``:
    a database filter, whatever the unit (working days, days, months).
    """
    day = shift(today, rule.amount, rule.unit, -1, calendar=calendar)
    while shift(day, rule.amount, rule.unit, calendar=calendar) >= today:
        day -= timedelta(days=1)
    while shift(day + timedelta(days=1), rule.amount, rule.unit, calendar=calendar) < today:
        day += timedelta(days=1)
    return day


class RulesCache:
    """The rules of the jurisdictions a page touches: ``preload`` them in one query, then ``rule``
    reads from memory (a jurisdiction not preloaded costs one query, once)."""

    def __init__(self) -> None:
        self._rules: dict[int, dict[DeadlineKey, Rule]] = {}

    def preload(self, jurisdictions: list[OrgUnit]) -> None:
        missing = [j for j in jurisdictions if j.pk not in self._rules]
        if missing:
            self._rules.update(deadline_rules_many(missing))

    def rule(self, jurisdiction: OrgUnit, key: DeadlineKey) -> Rule:
        if jurisdiction.pk not in self._rules:
            self._rules[jurisdiction.pk] = deadline_rules(jurisdiction)
        return self._rules[jurisdiction.pk][key]


@dataclass(frozen=True)
class RuleRegion:
    """The jurisdictions under one set of rules: ``where`` selects them by ``path_lookup``."""

    where: Q
    rules: dict[DeadlineKey, Rule]


def rule_regions(path_lookup: str, keys: list[DeadlineKey]) -> list[RuleRegion]:
    """Every jurisdiction exactly once, grouped by the rules in force for ``keys``: one region per
    unit where a rule is set (its subtree less the subtrees that set their own), and one for the
    rest of the installation. ``path_lookup``: the jurisdiction's path from the filtered model
    (``"round__jurisdiction__path"``). One query, over the rule rows only.

    An "overdue" filter built per jurisdiction first had to find the jurisdictions of the rows
    (a DISTINCT over every transfer or report in scope: 20 ms for a city office at 100 counties)
    and then ORed one condition per jurisdiction; rules are set at a handful of units, so the
    filter is as long as the list of rules, whatever the scope."""
    rows = list(DeadlineRule.objects.filter(key__in=keys).select_related("jurisdiction"))
    origins = sorted({row.jurisdiction.path: row.jurisdiction for row in rows if row.jurisdiction}.items())
    regions = []
    for path, unit in [("", None), *origins]:
        inside = [p for p, _u in origins if p != path and p.startswith(path)]
        where = Q(**{f"{path_lookup}__startswith": path}) if path else Q()
        for deeper in inside:
            where &= ~Q(**{f"{path_lookup}__startswith": deeper})
        mine = [r for r in rows if r.jurisdiction is None or path.startswith(r.jurisdiction.path)]
        regions.append(RuleRegion(where, {key: _resolve(key, mine, unit) for key in keys}))
    return regions
