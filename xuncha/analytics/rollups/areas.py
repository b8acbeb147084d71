"""The dashboard's mix per area (``analytics.models.AreaRollup``), regrouped from the rollup rows.

A recount that replaced rows of the kinds the mix reads (problems, tags, rectified, transfers)
names the (jurisdiction, year) pairs of its rounds — those the rows had before and those they have
now, as a round's year may change — and ``regroup`` replaces the area rows of exactly those pairs,
from the rollup rows, in the same transaction. A full recount regroups everything.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from functools import reduce
from operator import or_
from typing import Any

from django.db.models import Q, Sum

from xuncha.accounts.models import OrgUnit
from xuncha.accounts.models.org import JURISDICTION_TYPES
from xuncha.analytics.models import AreaKind, AreaRollup, Kind, Rollup

K, A = Kind, AreaKind
MIX_KINDS = (K.PROBLEM, K.TAG, K.RECTIFIED, K.TRANSFER, K.TASK)
# The recount groups (rollups.build.GROUPS) whose rows these kinds are.
MIX_GROUPS = frozenset({"problems", "tags", "transfers", "tasks"})
BATCH = 2000

Pair = tuple[int, int]  # (jurisdiction id, year)


def pairs_of(using: str, round_ids: Iterable[int]) -> set[Pair]:
    """The (jurisdiction, year) of the rows the rounds have now: read before they are replaced."""
    ids = sorted(set(round_ids))
    if not ids:
        return set()
    rows = Rollup.objects.using(using).filter(round_id__in=ids, kind=K.ROUND).order_by()
    return set(rows.values_list("jurisdiction_id", "year").distinct())


def area_cutter(using: str) -> Callable[[str], str]:
    """A unit's path → the path of the deepest jurisdiction it lies in (itself, if it is one; the
    path itself if it lies in none: no jurisdiction's scope reaches it either way)."""
    known = set(OrgUnit.objects.using(using).filter(unit_type__in=JURISDICTION_TYPES).values_list("path", flat=True))
    step = OrgUnit.steplen
    cuts: dict[str, str] = {}

    def cut(path: str) -> str:
        if path not in cuts:
            cuts[path] = next((path[:end] for end in range(len(path), 0, -step) if path[:end] in known), path)
        return cuts[path]

    return cut


def regroup(using: str, pairs: set[Pair] | None) -> int:
    """Replace the area rows of these (jurisdiction, year) pairs (None: all); rows written."""
    # Measures: only those not done yet (a deadline kept), whose warning level the dashboard shows.
    source = Rollup.objects.using(using).filter(kind__in=MIX_KINDS).order_by()
    source = source.filter(~Q(kind=K.TASK) | Q(day__isnull=False))
    areas = AreaRollup.objects.using(using).order_by()
    if pairs is None:
        areas.all().delete()
    elif not pairs:
        return 0
    else:
        where = reduce(or_, (Q(jurisdiction_id=j, year=y) for j, y in sorted(pairs)))
        areas.filter(where).delete()
        source = source.filter(where)
    rows = source.values_list(
        "jurisdiction_id", "jurisdiction_path", "year", "round_id", "unit_id", "unit_path", "kind", "focus_id",
        "tag_id", "receiver_id", "fed_month", "day", "key",
    ).annotate(total=Sum("n"), done=Sum("part"), persons=Sum("amount"))  # fmt: skip
    cut = area_cutter(using)
    sums: dict[tuple[Any, ...], list[int]] = defaultdict(lambda: [0, 0, 0])

    def add(dims: tuple[Any, ...], n: int, part: int = 0, amount: int = 0) -> None:
        row = sums[dims]
        row[0] += n
        row[1] += part
        row[2] += amount

    for jid, jpath, year, rid, uid, upath, kind, focus, tag, receiver, fed, day, key, n, done, persons in rows.iterator(
        5000
    ):
        at = (jid, jpath, year, cut(upath))
        # (kind, round, unit, key, focus, tag, receiver, day)
        if kind == K.PROBLEM:
            fed_n = n if fed is not None else 0
            # The round's and the unit's totals: problems, rectified (part) and fed back (amount).
            add((*at, A.ROUND, rid, None, "", None, None, None, None), n, done, fed_n)
            add((*at, A.UNIT, None, uid, "", None, None, None, None), n, done, fed_n)
            add((*at, A.FOCUS, None, None, "", focus, None, None, None), n)
            if fed is not None:
                add((*at, A.FED, None, None, "", None, None, None, fed), n)
        elif kind == K.TAG:
            add((*at, A.TAG, None, None, "", None, tag, None, None), n)
        elif kind == K.RECTIFIED:
            add((*at, A.RECTIFIED, None, None, "", None, None, None, day), n)
        elif kind == K.TASK:
            add((*at, A.TASK, None, uid, "", None, None, None, day), n)
        else:
            add((*at, A.TRANSFER, None, None, key, None, None, receiver, None), n, 0, persons or 0)
    written = [
        AreaRollup(
            jurisdiction_id=jid, jurisdiction_path=jpath, year=year, area_path=area, kind=kind, round_id=rid,
            unit_id=uid, key=key, focus_id=focus, tag_id=tag, receiver_id=receiver, day=day, n=n, part=part,
            amount=amount,
        )
        for (jid, jpath, year, area, kind, rid, uid, key, focus, tag, receiver, day), (n, part, amount) in sums.items()
    ]  # fmt: skip
    areas.bulk_create(written, batch_size=BATCH)
    return len(written)
