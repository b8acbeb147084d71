"""What changed since the rollups were last brought up to date: read from the audit log.

Every service writes its audit row in the transaction of its change (architecture rule 4), naming
the object it changed. The rows after the mark therefore name every change the rollups have not
counted yet; each object leads to its round and to the groups of counts it can move (``SOURCES``).
An object deleted since (a problem, a measure, an inspected unit) is found no more: its rounds are
those whose rows name its audit row's unit, as jurisdiction or as unit.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.apps import apps
from django.db.models import Q

from xuncha.analytics.models import Rollup
from xuncha.analytics.rollups.build import ALL_GROUPS
from xuncha.audit.models import AuditEntry


@dataclass(frozen=True)
class Source:
    rounds: tuple[str, ...]  # lookups from the object to its round(s)
    groups: frozenset[str]  # the groups of counts a change of it can move


def _source(*rounds: str, groups: set[str] | frozenset[str]) -> Source:
    return Source(rounds, frozenset(groups))


_PLAN = "plan__feedback__round_id"
# Keyed by the audit row's target type (the model's label).
SOURCES: dict[str, Source] = {
    "plans.round": _source("pk", groups=ALL_GROUPS),
    "plans.roundtarget": _source("round_id", groups=ALL_GROUPS),
    "plans.team": _source("round_id", groups={"round"}),
    "fieldwork.fieldrecord": _source("team__round_id", groups={"records"}),
    "fieldwork.workingpaper": _source("team__round_id", groups={"papers"}),
    "fieldwork.fixnotice": _source("paper__team__round_id", groups={"fixes"}),
    "intake.report": _source("round_id", groups={"reports"}),
    "findings.problem": _source("round_id", groups={"problems", "tags", "campaigns"}),
    # Sending the feedback dates the unit's rows (fed_month) and opens its plan's row.
    "findings.feedback": _source("round_id", groups={"round", "problems", "tags"}),
    # A plan's import or a campaign adds measures: they rectify problems.
    "rectification.rectificationplan": _source("feedback__round_id", groups={"round", "tasks", "problems"}),
    "rectification.task": _source(_PLAN, groups={"tasks", "problems"}),
    "rectification.mechanism": _source(_PLAN, groups={"results"}),
    "rectification.moneyrecovery": _source(_PLAN, groups={"results"}),
    "rectification.accountability": _source(_PLAN, groups={"results"}),
    "rectification.campaign": _source(
        "problems__round_id", "tasks__" + _PLAN, groups={"campaigns", "tasks", "problems"}
    ),
    "transfers.transfer": _source("round_id", groups={"transfers"}),
    # A unit renamed needs nothing (names are joined on read); its type (village) or its place does.
    "accounts.orgunit": _source(groups=ALL_GROUPS),
}
# The areas whose audit rows record changes to what is counted; the others (documents, analytics,
# files, sign-in, accounts …) record reads, exports and settings, which move no count.
COUNTED_AREAS = frozenset({"plans", "fieldwork", "intake", "findings", "transfers", "rectification", "org"})
# Audit rows of reading, exporting and downloading within those areas.
READ_VERBS = frozenset({"view", "export", "export_docx", "download", "lookup", "compare", "unlock"})
MOVED = "org.unit.move"  # every path below the unit changes: every round is recounted


class Everything(Exception):
    """A change that moves rows of every round (a unit moved in the org tree)."""


Dirty = dict[str, set[int]]


def changes_since(using: str, after: int, upto: int) -> Dirty:
    """Group → rounds to recount for the audit rows ``after`` < seq ≤ ``upto``.
    Raises ``Everything`` when a change moves every round's rows."""
    wanted: dict[str, dict[int, int | None]] = defaultdict(dict)  # target type → {id: its scope unit}
    entries = AuditEntry.objects.using(using).filter(seq__gt=after, seq__lte=upto, target_type__in=list(SOURCES))
    for action, target_type, target_id, scope_unit in entries.values_list(
        "action", "target_type", "target_id", "scope_unit_id"
    ).order_by():
        if action == MOVED:
            raise Everything
        area, verb = action.split(".", 1)[0], action.rsplit(".", 1)[-1]
        if area not in COUNTED_AREAS or verb in READ_VERBS or not target_id.isdigit():
            continue
        wanted[target_type].setdefault(int(target_id), scope_unit)
    dirty: Dirty = defaultdict(set)
    orphans: dict[str, set[int]] = {}  # target type → the scope units of its deleted objects
    for target_type, ids in wanted.items():
        rounds, gone = _rounds_of(using, target_type, set(ids))
        for group in SOURCES[target_type].groups:
            dirty[group] |= rounds
        if gone:
            orphans[target_type] = {unit for pk, unit in ids.items() if pk in gone and unit is not None}
    _orphans(using, orphans, dirty)
    return dirty


def _rounds_of(using: str, target_type: str, ids: set[int]) -> tuple[set[int], set[int]]:
    """The rounds of these objects, and those of them that no longer exist."""
    source = SOURCES[target_type]
    if not source.rounds:  # an org unit: the rounds whose rows name it
        return _rounds_naming(using, ids), set()
    model = apps.get_model(target_type)
    rounds: set[int] = set()
    seen: set[int] = set()
    for lookup in source.rounds:
        for pk, rid in model._default_manager.using(using).filter(pk__in=ids).values_list("pk", lookup):
            seen.add(pk)
            if rid is not None:
                rounds.add(rid)
    return rounds, ids - seen


def _rounds_naming(using: str, units: set[int]) -> set[int]:
    rows = Rollup.objects.using(using).filter(Q(unit_id__in=units) | Q(jurisdiction_id__in=units))
    return set(rows.order_by().values_list("round_id", flat=True).distinct())


def _orphans(using: str, orphans: dict[str, set[int]], dirty: Dirty) -> None:
    """Deleted objects: the rounds whose rows name the unit their audit rows were filed under."""
    units = set().union(*orphans.values()) if orphans else set()
    if not units:
        return
    rounds = _rounds_naming(using, units)
    for target_type in orphans:
        for group in SOURCES[target_type].groups:
            dirty[group] |= rounds
