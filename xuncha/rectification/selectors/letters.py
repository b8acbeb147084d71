"""Reads of the escalation letters: the office's register and one plan's ladder (五书制)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from xuncha.accounts.models import OrgUnit
from xuncha.accounts.permissions import Perm, scope_queryset
from xuncha.common.queries import count_of
from xuncha.rectification.models import LETTER_ORDER, EscalationLetter, LetterKind, RectificationPlan


def letter_list(*, user: Any, kind: str | None = None, unit: Any = None) -> QuerySet[EscalationLetter]:
    """The letters ``user`` may read (the office: its county's; a unit: those addressed to it)."""
    qs = scope_queryset(user, Perm.RECTIFY_VIEW, EscalationLetter.objects.all())
    if kind:
        qs = qs.filter(kind=kind)
    if unit:
        qs = qs.filter(plan__feedback__target__unit=unit)
    return (
        qs.select_related("plan__feedback__target__unit", "plan__feedback__target__round", "issued_by")
        .annotate(n_tasks=count_of(EscalationLetter.tasks.through.objects.all(), "escalationletter"))
        .order_by("-issued_on", "-id")
    )


def letter_units(*, user: Any) -> QuerySet[OrgUnit]:
    """The units that received letters ``user`` may read (the register's unit filter)."""
    letters = scope_queryset(user, Perm.RECTIFY_VIEW, EscalationLetter.objects.all())
    return OrgUnit.objects.filter(pk__in=letters.values("plan__feedback__target__unit")).order_by("path")


def plan_letters(plan: RectificationPlan) -> list[EscalationLetter]:
    return list(plan.letters.select_related("issued_by").prefetch_related("tasks").order_by("issued_on", "id"))


def ladder_steps(letters: list[EscalationLetter]) -> list[dict[str, Any]]:
    """The five steps in order, each with the letters of that kind (issued or not yet)."""
    by_kind: dict[str, list[EscalationLetter]] = {}
    for letter in letters:
        by_kind.setdefault(letter.kind, []).append(letter)
    return [
        {"number": n, "kind": kind, "label": LetterKind(kind).label, "letters": by_kind.get(kind, [])}
        for n, kind in enumerate(LETTER_ORDER, start=1)
    ]
