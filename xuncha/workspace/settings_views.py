"""Office pages for the working-day calendar and the deadline rules (domain.md §3).

Office staff (ROUND_MANAGE) may look, since their deadlines come from here; only holders of
CALENDAR_MANAGE change anything, and every change goes through ``xuncha.workspace.services``.
"""

from __future__ import annotations

import calendar as stdlib_calendar
from dataclasses import dataclass
from datetime import date
from functools import wraps
from typing import Any

import chinese_calendar
from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from xuncha.accounts.decorators import perm_required
from xuncha.accounts.models import OrgUnit
from xuncha.accounts.permissions import Perm, has_perm, perm_paths, scope_queryset
from xuncha.common.calendar import statutory_workday
from xuncha.common.deadlines import DEFAULTS, Rule, RuleSource, deadline_rule, deadline_rules
from xuncha.common.forms import DateInput, StyledFormMixin
from xuncha.common.models import DEADLINE_MAX_AMOUNT, CalendarDay, DeadlineKey, DeadlineRule, DeadlineUnit
from xuncha.common.views_helpers import form_action, post_action
from xuncha.workspace import services

# Years the calendar page shows; anything else in ?year= falls back to the current year.
MIN_YEAR, MAX_YEAR = 2000, 2099
NOTE_EXAMPLE_ERROR = gettext_lazy("请说明调整原因，例如“2027年春节调休上班”。")
DATE_ERROR = gettext_lazy("请填写有效的日期。")


def viewer_required(view):
    """Office staff and heads see both pages. The nav item shows for ROUND_MANAGE; every role
    holding CALENDAR_MANAGE also holds ROUND_MANAGE (pinned in the tests), so the two agree."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not (has_perm(request.user, Perm.ROUND_MANAGE) or has_perm(request.user, Perm.CALENDAR_MANAGE)):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


# --- forms ----------------------------------------------------------------------------------


class CalendarDayForm(StyledFormMixin, forms.Form):
    date = forms.DateField(
        label=gettext_lazy("日期"), widget=DateInput(), error_messages={"required": DATE_ERROR, "invalid": DATE_ERROR}
    )
    is_workday = forms.TypedChoiceField(
        label=gettext_lazy("安排"),
        choices=[("1", gettext_lazy("上班")), ("0", gettext_lazy("休息"))],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("请选择上班或休息。")},
    )
    note = forms.CharField(
        label=gettext_lazy("说明"),
        max_length=100,
        help_text=gettext_lazy("写明依据，例如国务院办公厅通知或本地安排。"),
        error_messages={"required": NOTE_EXAMPLE_ERROR},
    )


class DeadlineRuleForm(StyledFormMixin, forms.Form):
    amount = forms.IntegerField(label=gettext_lazy("期限数值"), min_value=1, max_value=DEADLINE_MAX_AMOUNT)
    unit = forms.ChoiceField(label=gettext_lazy("期限单位"), choices=DeadlineUnit.choices)
    note = forms.CharField(label=gettext_lazy("说明"), max_length=200, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The service's wording for every way the number can be wrong (formatted per request).
        message = _("期限数值须为1至%(max)d之间的整数。") % {"max": DEADLINE_MAX_AMOUNT}
        for code in ("required", "invalid", "min_value", "max_value"):
            self.fields["amount"].error_messages[code] = message


# --- reads ----------------------------------------------------------------------------------


def _year(text: str | None) -> int:
    try:
        year = int(text or "")
    except ValueError:
        return timezone.localdate().year
    return year if MIN_YEAR <= year <= MAX_YEAR else timezone.localdate().year


def _parse_day(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text or "")
    except ValueError:
        return None


def statutory_known(year: int) -> bool:
    """Has chinese_calendar the State Council's arrangements for ``year``?"""
    try:
        chinese_calendar.is_workday(date(year, 1, 1))
    except NotImplementedError:
        return False
    return True


def _holiday_name(day: date) -> str:
    """The statutory holiday a day belongs to (or makes up for), in the page's language."""
    name = chinese_calendar.holidays.get(day) or chinese_calendar.workdays.get(day)
    if not name:
        return ""
    return chinese_calendar.Holiday(name).chinese if (get_language() or "").startswith("zh") else name


def _month(year: int, month: int, by_date: dict[date, CalendarDay]) -> dict[str, Any]:
    """One month as weeks of seven cells (None outside the month), Monday first."""
    weeks = []
    for week in stdlib_calendar.Calendar().monthdatescalendar(year, month):
        cells: list[dict[str, Any] | None] = []
        for day in week:
            if day.month != month:
                cells.append(None)
                continue
            row = by_date.get(day)
            working = row.is_workday if row else statutory_workday(day)
            cells.append(
                {
                    "date": day,
                    "workday": working,
                    "make_up": working and day.weekday() >= 5,
                    "override": row is not None,
                    "title": row.note if row else _holiday_name(day),
                }
            )
        weeks.append(cells)
    return {"first": date(year, month, 1), "weeks": weeks}


def calendar_year(year: int) -> dict[str, Any]:
    """The year's overrides (one query) and its months, each day marked working or not."""
    overrides = list(CalendarDay.objects.filter(date__year=year))
    by_date = {row.date: row for row in overrides}
    months = [_month(year, month, by_date) for month in range(1, 13)]
    workdays = sum(cell["workday"] for m in months for week in m["weeks"] for cell in week if cell)
    days = 366 if stdlib_calendar.isleap(year) else 365
    return {"overrides": overrides, "months": months, "workdays": workdays, "restdays": days - workdays}


def jurisdiction_of(user: Any) -> OrgUnit | None:
    """The unit whose deadlines the pages show: the top of the user's CALENDAR_MANAGE scope
    (where they can edit), else of their ROUND_MANAGE scope (where they only look)."""
    for code in (Perm.CALENDAR_MANAGE, Perm.ROUND_MANAGE):
        paths = perm_paths(user, code)
        if paths:
            top = min(paths, key=lambda path: (len(path), path))
            return scope_queryset(user, code, OrgUnit.objects.filter(path=top)).first()
    return None


@dataclass(frozen=True)
class DeadlineRow:
    key: DeadlineKey
    rule: Rule
    default: tuple[int, DeadlineUnit]
    note: str  # the jurisdiction's own note, if it set its own value

    @property
    def own(self) -> bool:
        return self.rule.source == RuleSource.JURISDICTION


def deadline_rows(unit: OrgUnit | None) -> list[DeadlineRow]:
    # Twelve keys, one small indexed query each: cheaper than a second resolution algorithm.
    notes = dict(DeadlineRule.objects.filter(jurisdiction=unit).values_list("key", "note")) if unit else {}
    rules = deadline_rules(unit)  # one query for every key
    return [DeadlineRow(key, rules[key], DEFAULTS[key], notes.get(key.value, "")) for key in DeadlineKey]


def _editable_jurisdiction(user: Any) -> OrgUnit:
    # Never None for a CALENDAR_MANAGE holder; the guard keeps these pages off the
    # installation-wide rows (jurisdiction None), which are the system administrator's.
    unit = jurisdiction_of(user)
    if unit is None:
        raise PermissionDenied
    return unit


def _own_note(unit: OrgUnit, key: DeadlineKey) -> str:
    return DeadlineRule.objects.filter(jurisdiction=unit, key=key).values_list("note", flat=True).first() or ""


def _deadline_key(text: str) -> DeadlineKey:
    if text not in DeadlineKey.values:
        raise Http404
    return DeadlineKey(text)


def _calendar_url(year: int) -> str:
    return f"{reverse('workspace:calendar')}?year={year}"


# --- calendar pages -------------------------------------------------------------------------


@require_GET
@viewer_required
def calendar_page(request: HttpRequest) -> HttpResponse:
    year = _year(request.GET.get("year"))
    ctx = calendar_year(year) | {
        "year": year,
        "previous_year": year - 1 if year > MIN_YEAR else None,
        "next_year": year + 1 if year < MAX_YEAR else None,
        "statutory_known": statutory_known(year),
        "can_edit": has_perm(request.user, Perm.CALENDAR_MANAGE),
    }
    return render(request, "common/calendar.html", ctx)


@require_http_methods(["GET", "POST"])
@perm_required(Perm.CALENDAR_MANAGE)
def calendar_day_edit(request: HttpRequest) -> HttpResponse:
    initial: dict[str, Any] = {}
    day = _parse_day(request.GET.get("date"))
    if day is not None and request.method == "GET":
        row = CalendarDay.objects.filter(date=day).first()
        # Offer the opposite of what the day is now: that is why one opens the form.
        working = row.is_workday if row else not statutory_workday(day)
        initial = {"date": day, "is_workday": "1" if working else "0", "note": row.note if row else ""}
    form = CalendarDayForm(request.POST or None, initial=initial)
    ok, row = form_action(
        request,
        form,
        lambda d: services.calendar_day_set(
            actor=request.user, day=d["date"], is_workday=d["is_workday"], note=d["note"]
        ),
    )
    if ok:
        kind = _("上班") if row.is_workday else _("休息")
        messages.success(request, _("已将%(date)s设为%(kind)s。") % {"date": row.date.isoformat(), "kind": kind})
        return redirect(_calendar_url(row.date.year))
    return render(
        request, "common/calendar_day_form.html", {"form": form, "back_year": (day or timezone.localdate()).year}
    )


@require_POST
@perm_required(Perm.CALENDAR_MANAGE)
def calendar_day_remove(request: HttpRequest, day: str) -> HttpResponse:
    parsed = _parse_day(day)
    if parsed is None:
        raise Http404
    return post_action(
        request,
        lambda: services.calendar_day_remove(actor=request.user, day=parsed),
        _("已删除%(date)s的调整，该日恢复按法定安排。") % {"date": parsed.isoformat()},
        _calendar_url(parsed.year),
    )


# --- deadline pages -------------------------------------------------------------------------


@require_GET
@viewer_required
def deadline_list(request: HttpRequest) -> HttpResponse:
    unit = jurisdiction_of(request.user)
    can_edit = unit is not None and unit.is_jurisdiction and has_perm(request.user, Perm.CALENDAR_MANAGE, unit)
    ctx = {"jurisdiction": unit, "rows": deadline_rows(unit), "can_edit": can_edit}
    return render(request, "common/deadlines.html", ctx)


@require_http_methods(["GET", "POST"])
@perm_required(Perm.CALENDAR_MANAGE)
def deadline_edit(request: HttpRequest, key: str) -> HttpResponse:
    key_ = _deadline_key(key)
    unit = _editable_jurisdiction(request.user)
    rule = deadline_rule(key_, unit)
    initial = {"amount": rule.amount, "unit": rule.unit.value, "note": _own_note(unit, key_)}
    form = DeadlineRuleForm(request.POST or None, initial=initial)
    ok, _row = form_action(
        request, form, lambda d: services.deadline_rule_set(actor=request.user, jurisdiction=unit, key=key_, **d)
    )
    if ok:
        messages.success(request, _("已保存“%(label)s”的本级设定。") % {"label": key_.label})
        return redirect("workspace:deadlines")
    ctx = {"form": form, "key": key_, "rule": rule, "default": DEFAULTS[key_], "jurisdiction": unit}
    return render(request, "common/deadline_form.html", ctx)


@require_POST
@perm_required(Perm.CALENDAR_MANAGE)
def deadline_reset(request: HttpRequest, key: str) -> HttpResponse:
    key_ = _deadline_key(key)
    unit = _editable_jurisdiction(request.user)
    return post_action(
        request,
        lambda: services.deadline_rule_remove(actor=request.user, jurisdiction=unit, key=key_),
        _("“%(label)s”已恢复默认，不再使用本级设定。") % {"label": key_.label},
        "workspace:deadlines",
    )
