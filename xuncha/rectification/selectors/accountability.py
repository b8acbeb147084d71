"""Reads for accountability: the records in the office's scope, filtered by round and unit, and
their statistics (by form, by subject kind) counted in the database."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, QuerySet

from xuncha.accounts.models import OrgUnit
from xuncha.accounts.permissions import Perm, scope_queryset
from xuncha.plans.models import Round
from xuncha.rectification.models import FORMS_BY_SUBJECT, Accountability, AccountabilityForm, SubjectKind


def accountability_list(*, user: Any, round_id: Any = None, unit_id: Any = None) -> QuerySet[Accountability]:
    qs = scope_queryset(user, Perm.RECTIFY_SUPERVISE, Accountability.objects.all())
    if round_id:
        qs = qs.filter(plan__feedback__target__round_id=round_id)
    if unit_id:
        qs = qs.filter(plan__feedback__target__unit_id=unit_id)
    return qs.select_related("plan__feedback__target__unit", "plan__feedback__target__round").order_by(
        "-decided_on", "-pk"
    )


def filter_choices(qs: QuerySet[Accountability]) -> tuple[QuerySet[Any], QuerySet[Any]]:
    """The rounds and units that have records among ``qs`` (for the filter's choices)."""
    rounds = Round.objects.filter(pk__in=qs.values("plan__feedback__target__round")).order_by("-year", "-number")
    units = OrgUnit.objects.filter(pk__in=qs.values("plan__feedback__target__unit")).order_by("path")
    return rounds, units


def accountability_stats(qs: QuerySet[Accountability]) -> dict[str, Any]:
    """Counts by form (every form listed, zeros included) and by subject kind, in one query."""
    counts = {
        (row["subject_kind"], row["form"]): row["n"]
        for row in qs.order_by().values("subject_kind", "form").annotate(n=Count("pk"))
    }
    kinds = []
    for kind in SubjectKind:
        forms = [(AccountabilityForm(f).label, counts.get((kind.value, f.value), 0)) for f in FORMS_BY_SUBJECT[kind]]
        kinds.append({"kind": kind.label, "total": sum(n for _label, n in forms), "forms": forms})
    by_kind = {k.value: row["total"] for k, row in zip(SubjectKind, kinds, strict=True)}
    return {
        "total": sum(counts.values()),
        "organisations": by_kind[SubjectKind.ORGANISATION.value],
        "persons": by_kind[SubjectKind.CADRE.value],
        "kinds": kinds,
    }
