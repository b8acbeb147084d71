"""Common problems (共性问题): the problems of the user's jurisdiction grouped by similarity
(``xuncha.analytics.similarity``), and what each viewer may see of a group.

Scope: STATS_VIEW over the problem's unit (an office sees its county, an upper office its lower
levels, an inspected unit only itself). Text, units and links need FINDING_VIEW over the problem's
jurisdiction as well; without it a group shows counts only (the upper office: no case detail).
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache
from django.db.models import QuerySet

from xuncha.accounts.models import OrgUnit
from xuncha.accounts.permissions import Perm, has_perm_over_path, scope_queryset
from xuncha.analytics import similarity
from xuncha.findings.models import FocusItem, Problem
from xuncha.plans.models import Round

CACHE_SECONDS = 600


@dataclass
class CommonGroup:
    keys: list[int]
    units: int
    central: int
    cohesion: float
    rounds: int = 0
    focus: str = ""  # the focus item most of the group's problems share
    problems: list[Any] = field(default_factory=list)  # filled for the page being shown
    detail: bool = False  # may the viewer see the problems themselves?


def candidate_problems(*, user: Any, rounds: Any = None, focus_item: Any = None) -> QuerySet[Problem]:
    """Problems of units inside the user's STATS_VIEW scope (one SQL subquery on the org path)."""
    units = scope_queryset(user, Perm.STATS_VIEW, OrgUnit.objects.all())
    qs = Problem.objects.filter(target__unit__in=units)
    if rounds:
        qs = qs.filter(round__in=rounds)
    if focus_item is not None:
        qs = qs.filter(focus_items=focus_item)
    return qs


def round_choices(*, user: Any) -> QuerySet[Round]:
    units = scope_queryset(user, Perm.STATS_VIEW, OrgUnit.objects.all())
    return Round.objects.filter(targets__unit__in=units).distinct().order_by("-year", "-number")


def focus_choices(*, user: Any) -> QuerySet[FocusItem]:
    used = candidate_problems(user=user).values("focus_items")
    return FocusItem.objects.filter(pk__in=used).order_by("focus_list_id", "parent_id", "position")


def _items(qs: QuerySet[Problem]) -> tuple[list[similarity.Item], dict[int, int], dict[int, list[int]]]:
    """(items, problem → round, problem → focus items) in three queries."""
    rows = list(
        qs.order_by("pk").values_list("pk", "title", "description", "target__unit_id", "target__unit__name", "round_id")
    )
    ids = [row[0] for row in rows]
    labels: dict[int, set[str]] = defaultdict(set)
    focus: dict[int, list[int]] = defaultdict(list)
    for pk, item in Problem.focus_items.through.objects.filter(problem_id__in=ids).values_list(
        "problem_id", "focusitem_id"
    ):
        labels[pk].add(f"f:{item}")
        focus[pk].append(item)
    for pk, tag in Problem.tags.through.objects.filter(problem_id__in=ids).values_list("problem_id", "tag_id"):
        labels[pk].add(f"t:{tag}")
    items = [
        similarity.Item(key=pk, unit=unit, unit_name=name, title=title, description=text, labels=frozenset(labels[pk]))
        for pk, title, text, unit, name, _round in rows
    ]
    return items, {row[0]: row[5] for row in rows}, focus


def _grouped(items: list[similarity.Item], threshold: float) -> list[similarity.Group]:
    """similarity.group, cached by a digest of its input: the same problems give the same groups."""
    digest = hashlib.sha256(
        json.dumps(
            [threshold, [[i.key, str(i.unit), i.title, i.description, sorted(i.labels)] for i in items]],
            ensure_ascii=False,
        ).encode()
    ).hexdigest()
    key = f"analytics:common:{digest}"
    groups = cache.get(key)
    if groups is None:
        groups = similarity.group(items, threshold=threshold, min_units=2)
        cache.set(key, groups, CACHE_SECONDS)
    return groups


def common_groups(*, user: Any, threshold: float, rounds: Any = None, focus_item: Any = None) -> list[CommonGroup]:
    """Every group of the user's scope (problems only as keys); fill a page with ``fill_groups``."""
    items, round_of, focus_of = _items(candidate_problems(user=user, rounds=rounds, focus_item=focus_item))
    names = dict(FocusItem.objects.filter(pk__in={f for fs in focus_of.values() for f in fs}).values_list("pk", "text"))
    out = []
    for g in _grouped(items, threshold):
        shared = Counter(f for key in g.keys for f in focus_of.get(key, ()))
        top = min(shared.items(), key=lambda kv: (-kv[1], kv[0]))[0] if shared else None
        out.append(
            CommonGroup(
                keys=g.keys,
                units=g.units,
                central=g.central,
                cohesion=g.cohesion,
                rounds=len({round_of[k] for k in g.keys}),
                focus=names.get(top, "") if top else "",
            )
        )
    return out


def fill_groups(*, user: Any, groups: list[CommonGroup]) -> list[CommonGroup]:
    """Load the problems of the groups on one page (one query) and decide what the viewer sees."""
    keys = {k for g in groups for k in g.keys}
    problems = Problem.objects.filter(pk__in=keys).select_related("target__unit", "round__jurisdiction", "team")
    by_pk = {p.pk: p for p in problems}
    for g in groups:
        members = [by_pk[k] for k in g.keys if k in by_pk]
        g.detail = all(has_perm_over_path(user, Perm.FINDING_VIEW, p.round.jurisdiction.path) for p in members)
        # The most central problem first: it names the group.
        g.problems = sorted(members, key=lambda p: (p.pk != g.central, p.target.unit.name, p.round_id, p.number))
    return groups


def campaign_problems(*, user: Any, keys: list[int]) -> tuple[list[Problem], list[Problem]]:
    """The group's problems the user may put into a clean-up: (with a plan, without a plan)."""
    qs = scope_queryset(user, Perm.CAMPAIGN_MANAGE, Problem.objects.filter(pk__in=keys))
    rows = list(qs.select_related("target__unit", "round__jurisdiction", "target__feedback__plan").order_by("pk"))
    with_plan, without = [], []
    for p in rows:
        feedback = getattr(p.target, "feedback", None)
        (with_plan if feedback is not None and hasattr(feedback, "plan") else without).append(p)
    return with_plan, without
