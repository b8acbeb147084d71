"""The round's figures (situation and comprehensive reports) from the rollups: the numbers of
``figures.py``, ``figures_rectification.py`` and ``figures_units.py`` (the live count, kept as the
reference), each method of ``RoundCounts`` giving what the selector of the same name gives.

The round's rows are read once (one query by the round's index), and narrowed as the selectors
narrow theirs: whoever holds the statistics code over the round's jurisdiction counts everything;
an inspected unit counts only its own rectification, and nothing of what the teams did, found and
transferred (``figures.scoped``). What is case detail (the problems' titles) stays a live,
Perm.FINDING_VIEW-scoped query.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.utils import timezone

from xuncha.accounts.models import OrgUnit
from xuncha.accounts.permissions import Perm, perm_paths
from xuncha.analytics.models import Kind, Rollup
from xuncha.analytics.rollups import rollups_current
from xuncha.analytics.selectors import figures as live
from xuncha.analytics.selectors import figures_units as live_units
from xuncha.analytics.selectors.figures_rectification import accountability_summary
from xuncha.common.deadlines import overdue_cutoff
from xuncha.fieldwork.models import FixState, RecordKind
from xuncha.findings.models import Severity, Tag
from xuncha.intake.models import Channel, ReportState
from xuncha.plans.models import Round
from xuncha.plans.models.teams import Team
from xuncha.rectification.models import Mechanism, PlanState, TaskState
from xuncha.transfers.models import Disposal, TransferKind, TransferState
from xuncha.transfers.selectors import Clock

K = Kind
Row = dict[str, Any]
FIELDS = (
    "kind", "key", "target_id", "unit_id", "unit__name", "unit_path", "fed_month", "focus_id", "focus_sub_id",
    "tag__name", "tag__group", "tag__position", "receiver__name", "day", "n", "part", "amount",
)  # fmt: skip


@dataclass
class RoundCounts:
    """The round's rows ``user`` may count: ``case`` for the inspection's own figures (all of them
    or none), ``own`` for the rectification's (all of them, or the reader's own units')."""

    user: Any
    rnd: Round
    unit: OrgUnit | None
    case: list[Row]
    own: list[Row]
    today: date

    def _of(self, kind: str, rows: list[Row] | None = None) -> list[Row]:
        return [r for r in (self.case if rows is None else rows) if r["kind"] == kind]

    def _sum(self, kind: str, field: str = "n", *, rows: list[Row] | None = None, **match: Any) -> int:
        return sum(r[field] for r in self._of(kind, rows) if all(r[k] == v for k, v in match.items()))

    def _by(self, kind: str, choices: list[tuple[str, Any]], rows: list[Row] | None = None) -> list[Row]:
        counts: dict[str, int] = defaultdict(int)
        for r in self._of(kind, rows):
            counts[r["key"]] += r["n"]
        return [{"label": str(label), "n": counts.get(value, 0)} for value, label in choices]

    # --- what the teams did --------------------------------------------------------------------

    def teams_and_targets(self) -> dict[str, int]:
        targets = self._of(K.TARGET)
        teams = {r["key"] for r in targets if r["key"]}
        return {
            "teams": len(teams),
            "targets": sum(r["n"] for r in targets),
            "villages": sum(r["part"] for r in targets),
        }

    def interviews(self) -> dict[str, int]:
        kind = RecordKind.INTERVIEW
        return {"held": self._sum(K.RECORD, key=kind), "confirmed": self._sum(K.RECORD, "part", key=kind)}

    def documents_requested(self) -> dict[str, int]:
        kind = RecordKind.DOCUMENTS
        return {"requests": self._sum(K.RECORD, key=kind), "returned": self._sum(K.RECORD, "part", key=kind)}

    def site_visits(self) -> int:
        return self._sum(K.RECORD, key=RecordKind.VISIT)

    def special_checks(self) -> int:
        return self._sum(K.RECORD, key=RecordKind.SPECIAL_CHECK)

    def questionnaires(self) -> int:
        return self._sum(K.RECORD, key=RecordKind.QUESTIONNAIRE)

    def public_reports(self) -> dict[str, Any]:
        counts: dict[tuple[str, str], int] = defaultdict(int)
        for r in self._of(K.REPORT):
            state, channel = r["key"].split("|", 1)
            counts[(state, channel)] += r["n"]

        def total(states: tuple[str, ...] | None = None, channel: str | None = None) -> int:
            return sum(n for (s, c), n in counts.items() if (states is None or s in states) and channel in (None, c))

        return {
            "received": total(),
            "in_scope": total((ReportState.ACCEPTED, ReportState.LINKED, ReportState.CLOSED)),
            "linked": total((ReportState.LINKED,)),
            "forwarded": total((ReportState.FORWARDED,)),
            "not_accepted": total((ReportState.NOT_ACCEPTED,)),
            "merged": total((ReportState.MERGED,)),
            "pending": total((ReportState.RECEIVED,)),
            "by_channel": [{"label": str(label), "n": total(channel=value)} for value, label in Channel.choices],
        }

    def working_papers(self) -> dict[str, int]:
        return {"total": self._sum(K.PAPER), "signed": self._sum(K.PAPER, "part")}

    def immediate_fixes(self) -> dict[str, int]:
        return {
            "issued": self._sum(K.FIX),
            "done": self._sum(K.FIX, key=FixState.ACCEPTED),
            "answered": self._sum(K.FIX, key=FixState.ANSWERED),
        }

    # --- what they found -------------------------------------------------------------------------

    def problems_by_severity(self) -> dict[str, Any]:
        rows = self._by(K.SEVERITY, list(Severity.choices))
        return {"total": sum(r["n"] for r in rows), "rows": rows}

    def problems_by_focus_item(self) -> list[Row]:
        roots: dict[int | None, int] = defaultdict(int)
        subs: dict[int, int] = defaultdict(int)
        for r in self._of(K.PROBLEM):
            roots[r["focus_id"]] += r["n"]
            if r["focus_sub_id"] is not None:
                subs[r["focus_sub_id"]] += r["n"]
        return live.focus_item_rows(self.rnd, dict(roots), dict(subs))

    def problems_by_tag(self) -> list[Row]:
        counts: dict[tuple[str, int, str], int] = defaultdict(int)
        for r in self._of(K.TAG):
            counts[(r["tag__group"], r["tag__position"], r["tag__name"])] += r["n"]
        labels = dict(Tag._meta.get_field("group").choices or [])
        return [
            {"group": str(labels.get(group, group)), "label": name, "n": n}
            for (group, _position, name), n in sorted(counts.items())
        ]

    def recurring_tags(self, *, min_units: int = 2) -> list[Row]:
        units: dict[str, set[int]] = defaultdict(set)
        counts: dict[str, int] = defaultdict(int)
        for r in self._of(K.TAG):
            units[r["tag__name"]].add(r["unit_id"])
            counts[r["tag__name"]] += r["n"]
        rows = [{"label": name, "units": len(units[name]), "n": n} for name, n in counts.items()]
        rows = [r for r in rows if r["units"] >= min_units]
        return sorted(rows, key=lambda r: (-r["units"], -r["n"], r["label"]))

    def serious_problem_titles(self) -> list[str]:
        return live.serious_problem_titles(self.user, self.rnd, self.unit)  # case detail: live, scoped

    # --- what was transferred --------------------------------------------------------------------

    def transfers_by_kind(self) -> list[Row]:
        rows = self._of(K.TRANSFER_KIND)
        return [
            {
                "label": str(label),
                "n": sum(r["n"] for r in rows if r["key"] == kind),
                "persons": sum(r["amount"] for r in rows if r["key"] == kind),
            }
            for kind, label in TransferKind.choices
        ]

    def transfers_by_receiver(self) -> list[Row]:
        found: dict[str, dict[str, int]] = {}
        for r in self._of(K.TRANSFER):
            row = found.setdefault(r["receiver__name"], {"n": 0, "persons": 0})
            row["n"] += r["n"]
            row["persons"] += r["amount"]
        rows = [{"label": name, **v} for name, v in found.items()]
        return sorted(rows, key=lambda r: (-r["n"], r["label"]))

    def transfers_by_state(self) -> list[Row]:
        return self._by(K.TRANSFER_STATE, list(TransferState.choices))

    def transfers_by_disposal(self) -> list[Row]:
        return self._by(K.TRANSFER, list(Disposal.choices), rows=[r for r in self.case if r["key"]])

    def transfers_overdue(self) -> int:
        """Transfers still owing their report-back after the jurisdiction's deadline (the rule is
        read only when something is owed)."""
        owed = [r for r in self._of(K.TRANSFER) if r["day"] is not None]
        if not owed:
            return 0
        cutoff = overdue_cutoff(Clock(self.today).rule(self.rnd.jurisdiction), self.today)
        return sum(r["n"] for r in owed if r["day"] <= cutoff)

    # --- rectification ---------------------------------------------------------------------------

    def plans_progress(self) -> dict[str, int]:
        plans = self._of(K.PLAN, self.own)
        return {
            "fed_back": sum(r["n"] for r in plans),
            "plans": sum(r["n"] for r in plans if r["key"]),
            "approved": sum(r["n"] for r in plans if r["key"] == PlanState.APPROVED),
        }

    def plans_pending(self) -> list[str]:
        return sorted(r["unit__name"] for r in self._of(K.PLAN, self.own) if r["key"] != PlanState.APPROVED)

    def tasks_progress(self) -> dict[str, int]:
        tasks = self._of(K.TASK, self.own)

        def state(value: str) -> int:
            return sum(r["n"] for r in tasks if r["key"] == value)

        return {
            "total": sum(r["n"] for r in tasks),
            "closed": state(TaskState.CLOSED),
            "ongoing": state(TaskState.ONGOING),
            "requested": state(TaskState.CLOSURE_REQUESTED),
            "in_progress": state(TaskState.IN_PROGRESS),
            "overdue": sum(r["n"] for r in tasks if r["day"] is not None and r["day"] < self.today),
        }

    def rectification_rate(self) -> dict[str, Any]:
        fed = [r for r in self._of(K.PROBLEM, self.own) if r["fed_month"] is not None]
        total, done = sum(r["n"] for r in fed), sum(r["part"] for r in fed)
        return {"problems": total, "done": done, "rate": round(Decimal(done * 100) / total, 1) if total else None}

    def overdue_by_unit(self) -> list[Row]:
        late: dict[str, list[Any]] = {}
        for r in self._of(K.TASK, self.own):
            if r["day"] is not None and r["day"] < self.today:
                row = late.setdefault(r["unit__name"], [0, r["day"]])
                row[0] += r["n"]
                row[1] = min(row[1], r["day"])
        ordered = sorted(late.items(), key=lambda item: (-item[1][0], item[1][1], item[0]))
        return [{"label": name, "n": n, "days": (self.today - oldest).days} for name, (n, oldest) in ordered]

    def mechanisms_made(self) -> dict[str, int]:
        rows = self.own
        return {
            "total": self._sum(K.MECHANISM, rows=rows),
            "new": self._sum(K.MECHANISM, rows=rows, key=Mechanism.Kind.NEW),
            "revised": self._sum(K.MECHANISM, rows=rows, key=Mechanism.Kind.REVISED),
        }

    def money_recovered(self) -> dict[str, Any]:
        fen = self._sum(K.MONEY, "amount", rows=self.own)
        return {"total": (Decimal(fen) / 100).quantize(Decimal("0.01")), "n": self._sum(K.MONEY, rows=self.own)}

    def accountability_by_form(self) -> dict[str, Any]:
        counts: dict[tuple[str, str], int] = defaultdict(int)
        for r in self._of(K.ACCOUNTABILITY, self.own):
            subject, form = r["key"].split("|", 1)
            counts[(subject, form)] += r["n"]
        return accountability_summary(counts)

    def campaigns_started(self) -> int:
        return len({r["key"] for r in self._of(K.CAMPAIGN, self.own)})

    # --- per inspected unit (the comprehensive report) -------------------------------------------

    def problems_by_unit(self) -> list[Row]:
        problems: dict[int, int] = defaultdict(int)
        for r in self._of(K.PROBLEM):
            problems[r["target_id"]] += r["n"]

        def order(r: Row) -> tuple[Any, ...]:
            team = int(r["key"]) if r["key"] else None
            return (team is None, team or 0, r["unit_path"])

        return [
            {
                "target": r["target_id"],
                "label": r["unit__name"],
                "team": str(Team(number=int(r["key"]))) if r["key"] else "",
                "n": problems.get(r["target_id"], 0),
                "fed_back": r["fed_month"] is not None,
            }
            for r in sorted(self._of(K.TARGET), key=order)
        ]

    def problem_titles_by_unit(self) -> dict[str, list[Row]]:
        return live_units.problem_titles_by_unit(self.user, self.rnd, self.unit)  # case detail: live


def round_counts(user: Any, rnd: Round, unit: OrgUnit | None = None, *, today: date | None = None) -> RoundCounts:
    """The round's counts (or one unit's in it) that ``user`` may read, brought up to date first."""
    rollups_current()
    qs = Rollup.objects.filter(round=rnd).exclude(kind=K.ROUND)
    if unit is not None:
        qs = qs.filter(unit_path__startswith=unit.path)
    rows = list(qs.order_by().values(*FIELDS))
    today = today or timezone.localdate()
    if live.round_visible(user, rnd):
        return RoundCounts(user, rnd, unit, rows, rows, today)
    own = [p for p in perm_paths(user, Perm.STATS_VIEW) if p.startswith(rnd.jurisdiction.path)]
    mine = [r for r in rows if any(r["unit_path"].startswith(p) for p in own)]
    return RoundCounts(user, rnd, unit, [], mine, today)
