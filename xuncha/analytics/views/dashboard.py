"""统计分析: the jurisdiction overview (filters: year, round, unit), the round's dashboard, and the
two lists behind the charts (problems, open tasks with a warning)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from xuncha.accounts.decorators import perm_required
from xuncha.accounts.models import OrgUnit
from xuncha.accounts.permissions import Perm, has_perm_over_path
from xuncha.analytics.selectors import dashboard as stats
from xuncha.analytics.selectors import dashboard_rollups as rollups
from xuncha.analytics.selectors.dashboard_lists import (
    PROBLEM_STATUSES,
    ListFilters,
    problem_drill_list,
    task_drill_list,
)
from xuncha.analytics.views.dashboard_charts import charts
from xuncha.common.filters import FilterForm, IdField, clean_or_none
from xuncha.common.pagination import paginate
from xuncha.findings.models import FocusItem, Tag
from xuncha.plans.models import Round
from xuncha.rectification.selectors import LEVEL_LABELS


class DashboardFilterForm(FilterForm):
    """Year and round choices from the rounds in scope, read once (one query for both fields)."""

    year = forms.TypedChoiceField(label=_("年度"), required=False, coerce=int, empty_value=None)
    round = forms.TypedChoiceField(label=_("轮次"), required=False, coerce=int, empty_value=None)
    unit = IdField()

    def __init__(self, *args: Any, rounds: list[Round], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.rounds = {rnd.pk: rnd for rnd in rounds}
        self.fields["round"].choices = [("", _("全部轮次")), *((rnd.pk, str(rnd)) for rnd in rounds)]
        years = sorted({rnd.year for rnd in rounds}, reverse=True)
        self.fields["year"].choices = [("", _("全部年度")), *((y, f"{y}") for y in years)]


def _filters(request, scope: stats.Scope) -> tuple[DashboardFilterForm, stats.Filters]:
    form = DashboardFilterForm(request.GET or None, rounds=list(rollups.rounds_in_scope(scope)))
    data = form.valid_data
    unit = None
    if data.get("unit"):
        unit = stats.units_in_scope(scope).filter(pk=data["unit"]).first()
    rnd = form.rounds.get(data["round"]) if data.get("round") else None
    return form, stats.Filters(round=rnd, year=data.get("year"), unit=unit)


def _render(request, scope: stats.Scope, f: stats.Filters, extra: dict[str, Any]):
    figs = rollups.figures(scope, f)
    ctx = {
        "summary": figs.summary,
        "charts": charts(figs, request.user, f, scope.office_level),
        "office_level": scope.office_level,
        "filters": f,
        **extra,
    }
    return render(request, "analytics/dashboard.html", ctx)


@require_GET
@perm_required(Perm.STATS_VIEW)
def dashboard(request):
    scope = rollups.statistics_scope(request.user)
    form, f = _filters(request, scope)
    return _render(request, scope, f, {"form": form})


@require_GET
@perm_required(Perm.STATS_VIEW)
def round_dashboard(request, pk):
    scope = rollups.statistics_scope(request.user)
    rnd = rollups.rounds_in_scope(scope).filter(pk=pk).first()
    if rnd is None:
        raise Http404
    # The situation report is the office's (and the committee's): units reach only their own figures.
    can_situation = has_perm_over_path(request.user, Perm.SITUATION_VIEW, rnd.jurisdiction.path)
    return _render(request, scope, stats.Filters(round=rnd), {"rnd": rnd, "can_situation": can_situation})


# --- the lists behind the charts ----------------------------------------------------------------


_MONTH = forms.DateField(input_formats=["%Y-%m"])


def _int(value: Any) -> int | None:
    return clean_or_none(IdField(), value)


def _month(value: Any) -> date | None:
    return clean_or_none(_MONTH, value)


def _list_filters(request, code: Perm) -> ListFilters:
    g = request.GET
    unit = None
    if _int(g.get("unit")):
        unit = OrgUnit.objects.filter(pk=_int(g.get("unit"))).first()
    return ListFilters(
        round_id=_int(g.get("round")),
        year=_int(g.get("year")),
        unit=unit,
        focus_id=_int(g.get("focus")),
        tag_id=_int(g.get("tag")),
        month=_month(g.get("month")),
        status=g.get("status") if g.get("status") in PROBLEM_STATUSES else "",
        level=g.get("level") if g.get("level") in LEVEL_LABELS else "",
    )


STATUS_LABELS = {"fed": _("已反馈"), "done": _("已完成整改"), "open": _("尚未完成整改")}


@require_GET
@perm_required(Perm.FINDING_VIEW)
def problem_list(request):
    f = _list_filters(request, Perm.FINDING_VIEW)
    page = paginate(request, problem_drill_list(user=request.user, f=f))
    return render(
        request,
        "analytics/dashboard_problems.html",
        {"page": page, "f": f, "status_label": STATUS_LABELS.get(f.status), "conditions": _conditions(request)},
    )


@require_GET
@perm_required(Perm.RECTIFY_VIEW)
def task_list(request):
    f = _list_filters(request, Perm.RECTIFY_VIEW)
    page = paginate(request, task_drill_list(user=request.user, f=f))
    ctx = {
        "page": page,
        "f": f,
        "level_label": LEVEL_LABELS.get(f.level),
        "conditions": _conditions(request),
    }
    return render(request, "analytics/dashboard_tasks.html", ctx)


def _conditions(request) -> list[str]:
    """The filters in words, so the official knows what the list is a part of."""
    g, out = request.GET, []
    scope = rollups.statistics_scope(request.user)
    for key, qs, attr in (
        ("round", rollups.rounds_in_scope(scope), "name"),
        ("unit", stats.units_in_scope(scope), "name"),
        ("focus", FocusItem.objects.all(), "text"),
        ("tag", Tag.objects.all(), "name"),
    ):
        pk = _int(g.get(key))
        if pk:
            value = qs.filter(pk=pk).values_list(attr, flat=True).first()
            if value:
                out.append(str(value))
    if _int(g.get("year")):
        out.append(_("%(y)s年") % {"y": _int(g.get("year"))})
    if _month(g.get("month")):
        out.append(_("%(m)s反馈") % {"m": g.get("month")})
    return out
