"""The rollups against a live recount: the figures the pages show from the rollups
(``dashboard_rollups``, ``figures_rollups``) compared with the live selectors they replace
(``dashboard``, ``figures``, ``figures_rectification``, ``figures_units``), which stay as the
reference. Used by the tests after every kind of change and by ``manage.py analytics_rollup --check``.

Each function returns the differences as lines ("by_unit: live … ≠ rollups …"); none means equal.
Rows whose order the live query leaves to the database (ties) are compared sorted.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from xuncha.accounts.models import OrgUnit
from xuncha.analytics.rollups import rollups_current
from xuncha.analytics.selectors import dashboard as live_dashboard
from xuncha.analytics.selectors import dashboard_rollups as rollup_dashboard
from xuncha.analytics.selectors import figures as live_figures
from xuncha.analytics.selectors import figures_rectification as live_rectification
from xuncha.analytics.selectors import figures_units as live_units
from xuncha.analytics.selectors.figures_rollups import round_counts
from xuncha.plans.models import Round

# Figures of the round compared one by one: the live selector's module and name (the method of
# RoundCounts has the same name). The problems' titles are live in both and not compared.
ROUND_FIGURES: list[tuple[Any, str]] = [
    *((live_figures, name) for name in (
        "teams_and_targets", "interviews", "documents_requested", "site_visits", "special_checks", "questionnaires",
        "public_reports", "working_papers", "immediate_fixes", "problems_by_severity", "problems_by_focus_item",
        "problems_by_tag", "recurring_tags", "transfers_by_kind", "transfers_by_receiver", "transfers_by_state",
        "transfers_by_disposal", "transfers_overdue",
    )),
    *((live_rectification, name) for name in (
        "plans_progress", "plans_pending", "tasks_progress", "rectification_rate", "overdue_by_unit",
        "mechanisms_made", "money_recovered", "accountability_by_form", "campaigns_started",
    )),
    (live_units, "problems_by_unit"),
]  # fmt: skip


def _sorted(rows: list[dict[str, Any]], keys: tuple[str, ...] | None = None) -> list[Any]:
    """Rows as sorted tuples (only ``keys`` when given): ties in the live order compare alike."""
    return sorted(tuple(sorted((k, v) for k, v in row.items() if keys is None or k in keys)) for row in rows)


# Per list of the dashboard: how to compare it (the rollups' rows name the keys the charts read).
_UNIT_KEYS = ("target__unit_id", "target__unit__name", "target_id", "problems", "fed", "done")
DASHBOARD_LISTS: dict[str, Callable[[list[dict[str, Any]]], Any]] = {
    "by_round": _sorted,
    "by_unit": lambda rows: _sorted(rows, _UNIT_KEYS),
    "by_focus": _sorted,
    "by_tag": _sorted,
    "by_month": lambda rows: rows,
    "overdue_by_unit": _sorted,
    "overdue_by_level": lambda rows: rows,
    "by_jurisdiction": lambda rows: rows,
    "transfers_by_receiver": _sorted,
    "transfers_by_disposal": _sorted,
    "coverage": lambda rows: [(r["plan"].pk, r["planned"], r["covered"], r["units"], r["rate"]) for r in rows],
}


def dashboard_differences(scope: live_dashboard.Scope, f: live_dashboard.Filters) -> list[str]:
    rollups_current()  # as a page does (dashboard_rollups.statistics_scope)
    live = live_dashboard.figures(scope, f)
    ours = rollup_dashboard.figures(scope, f)
    out = [_line("summary", live.summary, ours.summary)] if live.summary != ours.summary else []
    for name, normal in DASHBOARD_LISTS.items():
        if name == "coverage" and f.round:  # not shown for one round, so not counted by the rollups
            continue
        a, b = normal(getattr(live, name)), normal(getattr(ours, name))
        if a != b:
            out.append(_line(name, a, b))
    return out


def round_differences(user: Any, rnd: Round, unit: OrgUnit | None = None) -> list[str]:
    counts = round_counts(user, rnd, unit)
    out = []
    for module, name in ROUND_FIGURES:
        live, ours = getattr(module, name)(user, rnd, unit), getattr(counts, name)()
        if live != ours:
            out.append(_line(name, live, ours))
    return out


def _line(name: str, live: Any, ours: Any) -> str:
    return f"{name}: live {live!r} ≠ rollups {ours!r}"
