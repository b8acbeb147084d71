"""Counting: the rollup rows of some rounds, recounted from the other apps' rows.

The kinds of row come in groups, each counted by one or two aggregate queries over the rounds asked
for (``GROUPS``), whatever their number; every group also reads the rounds and their inspected units
(``Frame``: one query), which carry the paths and dates the rows copy. ``recount`` replaces the rows
of the groups and rounds asked for, in the caller's transaction.

What is counted is what the live selectors count (selectors/dashboard.py, selectors/figures*.py, the
reference that ``verify`` compares with): a problem is rectified when it has measures and all are
done; what depends on today (warning levels, overdue) is not stored but derived on read from the
deadlines kept in ``day``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import connections, models
from django.db.models import (
    BooleanField,
    Case,
    Count,
    DateField,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)

from xuncha.accounts.models import UnitType
from xuncha.analytics.models import AreaRollup, Kind, Rollup
from xuncha.analytics.rollups import areas
from xuncha.analytics.selectors.dashboard import DONE_Q
from xuncha.fieldwork.models import FieldRecord, FixNotice, PaperState, RecordKind, WorkingPaper
from xuncha.findings.grouping import with_focus_group
from xuncha.findings.models import FeedbackState, Problem
from xuncha.intake.models import Report
from xuncha.plans.models import Round
from xuncha.rectification.models import Accountability, Campaign, Mechanism, MoneyRecovery, Task
from xuncha.rectification.workflow import DONE_TASK_STATES
from xuncha.transfers.models import Transfer
from xuncha.transfers.workflow import OWED_STATES

K = Kind
# Groups of kinds counted together; a change recounts the groups it can move (changes.py).
GROUPS: dict[str, frozenset[str]] = {
    "round": frozenset({K.ROUND, K.TARGET, K.PLAN}),
    "problems": frozenset({K.PROBLEM, K.SEVERITY, K.RECTIFIED}),
    "tags": frozenset({K.TAG}),
    "campaigns": frozenset({K.CAMPAIGN}),
    "records": frozenset({K.RECORD}),
    "reports": frozenset({K.REPORT}),
    "papers": frozenset({K.PAPER}),
    "fixes": frozenset({K.FIX}),
    "tasks": frozenset({K.TASK}),
    "results": frozenset({K.MECHANISM, K.MONEY, K.ACCOUNTABILITY}),
    "transfers": frozenset({K.TRANSFER, K.TRANSFER_KIND, K.TRANSFER_STATE}),
}
ALL_GROUPS = frozenset(GROUPS)
BATCH = 2000
CHUNK = 200  # rounds per pass of a full recount


def month(day: date | None) -> date | None:
    return day.replace(day=1) if day else None


@dataclass(frozen=True)
class Unit:
    """An inspected unit of a round (a RoundTarget) as its rows copy it."""

    round_id: int
    unit_id: int
    unit_path: str
    fed_month: date | None  # None: feedback not sent
    village: bool
    team: int | None
    plan_state: str | None  # None: no plan filed


@dataclass
class Frame:
    """The rounds asked for (year, jurisdiction) and their inspected units, read once."""

    using: str
    round_ids: list[int] | None  # None: every round
    rounds: dict[int, tuple[int, int, str]] = field(default_factory=dict)  # id → (year, jurisdiction, path)
    units: dict[int, Unit] = field(default_factory=dict)  # RoundTarget id → Unit

    def filter(self, qs: Any, lookup: str) -> Any:
        qs = qs.using(self.using).order_by()
        return qs if self.round_ids is None else qs.filter(**{f"{lookup}__in": self.round_ids})


def read_frame(using: str, round_ids: Iterable[int] | None) -> Frame:
    frame = Frame(using, None if round_ids is None else sorted(round_ids))
    t = "targets__"
    rows = frame.filter(Round.objects, "pk").values_list(
        "pk", "year", "jurisdiction_id", "jurisdiction__path",
        f"{t}pk", f"{t}unit_id", f"{t}unit__path", f"{t}unit__unit_type", f"{t}team__number",
        f"{t}feedback__state", f"{t}feedback__sent_on", f"{t}feedback__plan__state",
    )  # fmt: skip
    for rid, year, jid, jpath, tid, uid, upath, utype, team, fb_state, sent_on, plan_state in rows:
        frame.rounds[rid] = (year, jid, jpath)
        if tid is not None:
            fed = month(sent_on) if fb_state == FeedbackState.SENT else None
            village = utype == UnitType.VILLAGE
            frame.units[tid] = Unit(rid, uid, upath, fed, village, team, plan_state)
    return frame


class Tally:
    """Rows being counted: the same row (kind, round, unit and the kind's dimensions) adds up."""

    FED_KINDS = frozenset({K.TARGET, K.PLAN, K.PROBLEM, K.SEVERITY, K.RECTIFIED, K.TAG})

    def __init__(self, frame: Frame) -> None:
        self.frame = frame
        self.sums: dict[tuple[Any, ...], list[int]] = defaultdict(lambda: [0, 0, 0])

    def add(
        self,
        kind: str,
        round_id: int,
        target: int | None = None,
        *,
        unit: tuple[int, str] | None = None,
        n: int = 1,
        part: int = 0,
        amount: int = 0,
        key: str = "",
        focus: int | None = None,
        focus_sub: int | None = None,
        tag: int | None = None,
        receiver: int | None = None,
        day: date | None = None,
    ) -> None:
        fed = None
        if target is not None and unit is None:
            u = self.frame.units.get(target)
            if u is None:  # a row of a unit removed since the frame was read: counted at its next change
                return
            unit, fed = (u.unit_id, u.unit_path), (u.fed_month if kind in self.FED_KINDS else None)
        dims = (kind, round_id, target, unit, fed, key, focus, focus_sub, tag, receiver, day)
        sums = self.sums[dims]
        sums[0] += n
        sums[1] += part
        sums[2] += amount

    def rows(self) -> Iterator[Rollup]:
        for (kind, rid, target, unit, fed, key, focus, sub, tag, receiver, day), (n, part, amount) in self.sums.items():
            year, jid, jpath = self.frame.rounds[rid]
            yield Rollup(
                round_id=rid, year=year, jurisdiction_id=jid, jurisdiction_path=jpath,
                target_id=target, unit_id=unit[0] if unit else None, unit_path=unit[1] if unit else "",
                fed_month=fed, kind=kind, key=key, focus_id=focus, focus_sub_id=sub, tag_id=tag,
                receiver_id=receiver, day=day, n=n, part=part, amount=amount,
            )  # fmt: skip


# --- the groups ---------------------------------------------------------------------------------


def count_round(frame: Frame, tally: Tally) -> None:
    """A row per round (it exists, even without units), per inspected unit and per unit fed back."""
    for rid in frame.rounds:
        tally.add(K.ROUND, rid)
    for tid, u in frame.units.items():
        tally.add(K.TARGET, u.round_id, tid, key="" if u.team is None else str(u.team), part=int(u.village))
        if u.fed_month is not None:
            tally.add(K.PLAN, u.round_id, tid, key=u.plan_state or "")


def _last_done() -> Subquery:
    # The month a problem was rectified: its last measure's closing date (the latest one known,
    # on every database: NULLs last).
    tasks = Task.objects.filter(problem=OuterRef("pk")).order_by(F("closed_on").desc(nulls_last=True))
    return Subquery(tasks.values("closed_on")[:1], output_field=DateField())


def count_problems(frame: Frame, tally: Tally) -> None:
    qs = with_focus_group(frame.filter(Problem.objects, "round_id")).annotate(
        done=ExpressionWrapper(DONE_Q, output_field=BooleanField()), last_done=_last_done()
    )
    rows = qs.values_list("round_id", "target_id", "severity", "focus_root", "focus_sub", "done", "last_done")
    for rid, tid, severity, root, sub, done, last_done in rows:
        tally.add(K.PROBLEM, rid, tid, focus=root, focus_sub=sub, part=int(bool(done)))
        tally.add(K.SEVERITY, rid, tid, key=severity)
        u = frame.units.get(tid)
        if done and last_done and u is not None and u.fed_month is not None:
            tally.add(K.RECTIFIED, rid, tid, day=month(last_done))


def count_tags(frame: Frame, tally: Tally) -> None:
    through = frame.filter(Problem.tags.through.objects, "problem__round_id")
    for rid, tid, tag, n in through.values_list("problem__round_id", "problem__target_id", "tag_id").annotate(
        n=Count("problem_id")
    ):
        tally.add(K.TAG, rid, tid, tag=tag, n=n)


def count_campaigns(frame: Frame, tally: Tally) -> None:
    through = frame.filter(Campaign.problems.through.objects, "problem__round_id")
    for rid, tid, campaign in through.values_list("problem__round_id", "problem__target_id", "campaign_id").distinct():
        tally.add(K.CAMPAIGN, rid, tid, key=str(campaign))


def count_records(frame: Frame, tally: Tally) -> None:
    """Work done on site (planned records are intentions, not work done)."""
    qs = frame.filter(FieldRecord.objects.filter(planned=False), "team__round_id")
    rows = qs.values_list("team__round_id", "target_id", "kind").annotate(
        n=Count("pk"),
        confirmed=Count("pk", filter=Q(confirmed_on__isnull=False)),
        returned=Count("pk", filter=Q(returned_on__isnull=False)),
    )
    for rid, tid, kind, n, confirmed, returned in rows:
        part = confirmed if kind == RecordKind.INTERVIEW else returned if kind == RecordKind.DOCUMENTS else 0
        tally.add(K.RECORD, rid, tid, key=kind, n=n, part=part)


def count_reports(frame: Frame, tally: Tally) -> None:
    rows = frame.filter(Report.objects, "round_id").values_list("round_id", "target_id", "state", "channel")
    for rid, tid, state, channel, n in rows.annotate(n=Count("pk")):
        tally.add(K.REPORT, rid, tid, key=f"{state}|{channel}", n=n)


def count_papers(frame: Frame, tally: Tally) -> None:
    rows = frame.filter(WorkingPaper.objects, "team__round_id").values_list("team__round_id", "target_id")
    for rid, tid, n, signed in rows.annotate(n=Count("pk"), signed=Count("pk", filter=Q(state=PaperState.SIGNED))):
        tally.add(K.PAPER, rid, tid, n=n, part=signed)


def count_fixes(frame: Frame, tally: Tally) -> None:
    """Immediate-fix notices, under the unit that must fix (which may lie below the inspected one)."""
    rows = frame.filter(FixNotice.objects, "paper__team__round_id").values_list(
        "paper__team__round_id", "unit_id", "unit__path", "state"
    )
    for rid, uid, upath, state, n in rows.annotate(n=Count("pk")):
        tally.add(K.FIX, rid, unit=(uid, upath), key=state, n=n)


def count_tasks(frame: Frame, tally: Tally) -> None:
    """Measures by state; those not done by their deadline too (their warning level is today's)."""
    open_due = Case(When(state__in=DONE_TASK_STATES, then=Value(None)), default=F("due_on"), output_field=DateField())
    qs = frame.filter(Task.objects, "plan__feedback__round_id").annotate(open_due=open_due)
    rows = qs.values_list("plan__feedback__round_id", "plan__feedback__target_id", "state", "open_due")
    for rid, tid, state, due, n in rows.annotate(n=Count("pk")):
        tally.add(K.TASK, rid, tid, key=state, day=due, n=n)


def count_results(frame: Frame, tally: Tally) -> None:
    """Rules made, money recovered (in fen) and accountability, under the plan's unit."""
    r, t = "plan__feedback__round_id", "plan__feedback__target_id"
    for rid, tid, kind, n in frame.filter(Mechanism.objects, r).values_list(r, t, "kind").annotate(n=Count("pk")):
        tally.add(K.MECHANISM, rid, tid, key=kind, n=n)
    money = frame.filter(MoneyRecovery.objects, r).values_list(r, t).annotate(n=Count("pk"), total=Sum("amount"))
    for rid, tid, n, total in money:
        tally.add(K.MONEY, rid, tid, n=n, amount=int(Decimal(total or 0) * 100))
    held = frame.filter(Accountability.objects, r).values_list(r, t, "subject_kind", "form").annotate(n=Count("pk"))
    for rid, tid, subject, form, n in held:
        tally.add(K.ACCOUNTABILITY, rid, tid, key=f"{subject}|{form}", n=n)


def count_transfers(frame: Frame, tally: Tally) -> None:
    owed = Case(When(state__in=OWED_STATES, then=F("sent_on")), default=Value(None), output_field=DateField())
    qs = frame.filter(Transfer.objects, "round_id").annotate(owed=owed)
    rows = qs.values_list("round_id", "target_id", "receiver_id", "kind", "state", "disposal", "owed").annotate(
        n=Count("pk"), persons=Sum("persons_count")
    )
    for rid, tid, receiver, kind, state, disposal, owed_since, n, persons in rows:
        tally.add(K.TRANSFER, rid, tid, receiver=receiver, key=disposal, day=owed_since, n=n, amount=persons or 0)
        tally.add(K.TRANSFER_KIND, rid, tid, key=kind, n=n, amount=persons or 0)
        tally.add(K.TRANSFER_STATE, rid, tid, key=state, n=n)


COUNTERS = {
    "round": count_round,
    "problems": count_problems,
    "tags": count_tags,
    "campaigns": count_campaigns,
    "records": count_records,
    "reports": count_reports,
    "papers": count_papers,
    "fixes": count_fixes,
    "tasks": count_tasks,
    "results": count_results,
    "transfers": count_transfers,
}


# --- replacing rows -----------------------------------------------------------------------------


def recount(using: str, dirty: dict[str, set[int]] | None) -> int:
    """Replace the rows of each group for its rounds (``dirty``: group → round ids; None: every
    group of every round). Runs in the caller's transaction; the number of rows written."""
    if dirty is None:
        Rollup.objects.using(using).all().delete()
        ids = list(Round.objects.using(using).order_by("pk").values_list("pk", flat=True))
        # A few hundred rounds at a time: a province's rows are never all in memory at once.
        written = sum(_write(read_frame(using, ids[i : i + CHUNK]), ALL_GROUPS) for i in range(0, len(ids), CHUNK))
        _analyze(using, Rollup)
        written += areas.regroup(using, None)
        _analyze(using, AreaRollup)
        return written
    dirty = {group: rounds for group, rounds in dirty.items() if rounds}
    if not dirty:
        return 0
    # The area rows to regroup afterwards: of the mix's rounds as they were, and as they are now.
    mixed = set().union(*(rounds for group, rounds in dirty.items() if group in areas.MIX_GROUPS))
    pairs = areas.pairs_of(using, mixed)
    stale = Q()
    for group, rounds in dirty.items():
        stale |= Q(round_id__in=sorted(rounds), kind__in=sorted(GROUPS[group]))
    Rollup.objects.using(using).filter(stale).delete()
    frame = read_frame(using, set().union(*dirty.values()))
    written = 0
    # Groups asked for different rounds count their own rounds only (the frame holds them all).
    for groups, rounds in _by_rounds(dirty).items():
        sub = Frame(using, sorted(rounds), {r: frame.rounds[r] for r in rounds if r in frame.rounds}, frame.units)
        written += _write(sub, groups)
    if mixed:
        pairs |= {(frame.rounds[r][1], frame.rounds[r][0]) for r in mixed if r in frame.rounds}
        written += areas.regroup(using, pairs)
    return written


def _by_rounds(dirty: dict[str, set[int]]) -> dict[frozenset[str], set[int]]:
    """Groups that share the same rounds, together: usually one set of rounds for every group."""
    out: dict[frozenset[int], set[str]] = defaultdict(set)
    for group, rounds in dirty.items():
        out[frozenset(rounds)].add(group)
    return {frozenset(groups): set(rounds) for rounds, groups in out.items()}


def _write(frame: Frame, groups: Iterable[str]) -> int:
    tally = Tally(frame)
    for group in sorted(groups):
        COUNTERS[group](frame, tally)
    rows = list(tally.rows())
    Rollup.objects.using(frame.using).bulk_create(rows, batch_size=BATCH)
    return len(rows)


def _analyze(using: str, model: type[models.Model]) -> None:
    """PostgreSQL: fresh planner statistics after every row was replaced. Measured: with the
    statistics of an empty table the planner expects one row and joins by nested loops (a city's
    overview 3× slower at scale 3, until autovacuum comes by)."""
    connection = connections[using]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
