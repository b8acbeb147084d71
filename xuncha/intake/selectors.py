"""Reads for the register of reports, scoped to what the user may see, and their deadlines.

Deadlines are derived on read (architecture rule 5): a report still being triaged owes the
reporter a decision (告知是否受理), an accepted one owes a result (办结答复); both count from the
day it was received, by the jurisdiction's rules, so changing a rule moves every open deadline.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import reduce
from operator import or_
from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xuncha.accounts.models import OrgUnit
from xuncha.accounts.permissions import Perm, scope_queryset
from xuncha.common.calendar import WorkCalendar
from xuncha.common.deadlines import Due, Rule, RulesCache, overdue_cutoff, rule_regions, shift
from xuncha.common.models import DeadlineKey
from xuncha.common.textsim import names_in, similarity
from xuncha.intake.models import Report, ReportState
from xuncha.intake.services.filing import open_json

S = ReportState
DUE_KEYS = {
    S.RECEIVED: (DeadlineKey.REPORT_ACKNOWLEDGE, _("告知是否受理")),
    S.ACCEPTED: (DeadlineKey.REPORT_REPLY, _("办结答复")),
    S.LINKED: (DeadlineKey.REPORT_REPLY, _("办结答复")),
}


class Clock:
    """Deadlines of many reports on one page: one rules query per jurisdiction, one calendar."""

    def __init__(self, today: date | None = None) -> None:
        self.today = today or timezone.localdate()
        self.rules = RulesCache()
        self._calendar: WorkCalendar | None = None

    def preload(self, jurisdictions: list[OrgUnit]) -> None:
        self.rules.preload(jurisdictions)

    def _rule(self, jurisdiction: OrgUnit, key: DeadlineKey) -> Rule:
        return self.rules.rule(jurisdiction, key)

    def _shift(self, start: date, rule: Rule, direction: int = 1) -> date:
        if self._calendar is None:
            self._calendar = WorkCalendar(self.today - timedelta(days=120), self.today + timedelta(days=120))
        return shift(start, rule.amount, rule.unit, direction, calendar=self._calendar)

    def due(self, report: Report) -> Due | None:
        if report.state not in DUE_KEYS or report.purged_at:
            return None
        key, label = DUE_KEYS[report.state]
        on = self._shift(report.received_on, self._rule(report.round.jurisdiction, key))
        return Due(on, label, (on - self.today).days)

    def cutoff(self, rule: Rule) -> date:
        """The latest start date already overdue today under ``rule``."""
        self._shift(self.today, rule)  # builds the shared calendar
        return overdue_cutoff(rule, self.today, calendar=self._calendar)


def report_list(
    *, user: Any, state: str = "", channel: str = "", overdue: bool = False, q: str = "", clock: Clock | None = None
) -> QuerySet[Report]:
    qs = scope_queryset(user, Perm.REPORT_VIEW, Report.objects.all())
    if state:
        qs = qs.filter(state=state)
    if channel:
        qs = qs.filter(channel=channel)
    if q:
        qs = qs.filter(intake_no__icontains=q.strip())
    if overdue:
        qs = report_overdue(qs, clock=clock)
    return qs.select_related("target__unit", "target__team", "round__jurisdiction").order_by("-received_on", "-id")


def report_overdue(qs: QuerySet[Report], *, clock: Clock | None = None) -> QuerySet[Report]:
    """The reports of ``qs`` past their deadline today (derived on read, by the rules in force in
    each region of jurisdictions: one condition per unit that sets its own rule)."""
    clock = clock or Clock()
    ack, reply = DeadlineKey.REPORT_ACKNOWLEDGE, DeadlineKey.REPORT_REPLY
    late = [
        region.where
        & (
            Q(state=S.RECEIVED, received_on__lte=clock.cutoff(region.rules[ack]))
            | Q(state__in=[S.ACCEPTED, S.LINKED], received_on__lte=clock.cutoff(region.rules[reply]))
        )
        for region in rule_regions("round__jurisdiction__path", [ack, reply])
    ]
    return qs.filter(reduce(or_, late), purged_at__isnull=True)


@dataclass(frozen=True)
class Candidate:
    report: Report
    score: float
    shared_names: frozenset[str]

    @property
    def percent(self) -> int:
        return round(self.score * 100)


def merge_targets(*, user: Any, report: Report) -> QuerySet[Report]:
    """The reports ``report`` may be merged into: same round, same unit, not merged themselves."""
    qs = Report.objects.filter(round=report.round_id, target=report.target_id, purged_at__isnull=True)
    qs = scope_queryset(user, Perm.REPORT_VIEW, qs).exclude(pk=report.pk).exclude(state=S.MERGED)
    return qs.order_by("-received_on", "-id")


def duplicate_candidates(*, user: Any, report: Report, limit: int = 200) -> list[Candidate]:
    """Reports of the same unit in the same round that name the same people or read alike.

    The texts are sealed, so the comparison opens them here, for a user who may read them all.
    """
    if report.purged_at:
        return []
    others = merge_targets(user=user, report=report)[:limit]
    mine = open_json(report, "content")
    my_names = names_in(mine.get("people", ""))
    threshold = settings.XUNCHA_REPORT_SIMILARITY
    found = []
    for other in others:
        content = open_json(other, "content")
        shared = frozenset(my_names & names_in(content.get("people", "")))
        score = similarity(mine.get("what", ""), content.get("what", ""))
        if shared or score >= threshold:
            found.append(Candidate(other, score, shared))
    return sorted(found, key=lambda c: (-len(c.shared_names), -c.score))
