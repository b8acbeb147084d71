"""Per-unit figures for the comprehensive report to the secretary's meeting (巡察综合报告).

Scope as in ``figures.py``: the round's statistics holder gets one row per inspected unit (its
team, its problems counted, whether feedback was sent), which is aggregate and safe for an
upper-level office; the problems' titles are case detail, listed only for readers holding
Perm.FINDING_VIEW over the round (like ``serious_problem_titles``).

A unit's problems are the problems filed against its own inspection (its ``RoundTarget``), not
those of units below it: a township and one of its villages inspected in the same round each have
their own subsection, and the rows add up to the round's total.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Exists, F, OuterRef
from django.utils.translation import gettext as _

from xuncha.accounts.models import OrgUnit
from xuncha.accounts.permissions import Perm, has_perm, scope_queryset
from xuncha.analytics.selectors.figures import scoped
from xuncha.findings.grouping import with_focus_group
from xuncha.findings.models import Feedback, FeedbackState, FocusItem, Problem
from xuncha.plans.models import Round, RoundTarget
from xuncha.plans.models.teams import Team


def _targets(user: Any, rnd: Round, unit: OrgUnit | None):
    return scoped(RoundTarget.objects.filter(round=rnd), user, rnd, unit, unit_field="unit__path")


def problems_by_unit(user: Any, rnd: Round, unit: OrgUnit | None = None) -> list[dict[str, Any]]:
    """Every inspected unit of the round (team order, units of no team last, then unit order): its
    team, the problems found in it and whether the feedback was sent (one query)."""
    sent = Feedback.objects.filter(target=OuterRef("pk"), state=FeedbackState.SENT)
    rows = (
        _targets(user, rnd, unit)
        .annotate(n=Count("problems", distinct=True), fed_back=Exists(sent))
        .order_by(F("team__number").asc(nulls_last=True), "unit__path")
        .values("pk", "unit__name", "team__number", "n", "fed_back")
    )
    return [
        {
            "target": row["pk"],
            "label": row["unit__name"],
            "team": str(Team(number=row["team__number"])) if row["team__number"] else "",
            "n": row["n"],
            "fed_back": row["fed_back"],
        }
        for row in rows
    ]


def problem_titles_by_unit(user: Any, rnd: Round, unit: OrgUnit | None = None) -> dict[str, list[dict[str, Any]]]:
    """Per inspected unit (keyed by the target's pk as text, JSON-ready), its problems' titles
    grouped by top-level focus item in the focus list's order, each problem once, under the item
    ``xuncha.findings.grouping`` gives it (problems filed under none last, as "其他问题"). Empty
    for anyone without FINDING_VIEW over the round (two queries otherwise)."""
    if not has_perm(user, Perm.FINDING_VIEW, rnd):
        return {}
    problems = scope_queryset(user, Perm.FINDING_VIEW, Problem.objects.filter(round=rnd))
    if unit is not None:
        problems = problems.filter(target__unit__path__startswith=unit.path)
    rows = list(
        with_focus_group(problems)
        .order_by("number", "pk")
        .values_list("target_id", "title", "focus_root", "focus_root_text")
    )
    positions = dict(FocusItem.objects.filter(pk__in={row[2] for row in rows if row[2]}).values_list("pk", "position"))

    def order(row: tuple) -> tuple:
        root = row[2]
        return (root is None, positions.get(root, 0), root or 0)

    grouped: dict[str, dict[str, list[str]]] = {}
    for target, title, _root, text in sorted(rows, key=order):  # stable: by number within an item
        grouped.setdefault(str(target), {}).setdefault(text or _("其他问题"), []).append(title)
    return {
        target: [{"item": item, "titles": rows} for item, rows in items.items()] for target, items in grouped.items()
    }
