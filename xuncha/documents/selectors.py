"""Reads for the documents app. Each takes the acting user and returns only what they may see."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from xuncha.accounts.models import OrgUnit
from xuncha.accounts.models.org import JURISDICTION_TYPES
from xuncha.accounts.permissions import Perm, scope_queryset
from xuncha.accounts.selectors import unit_choices
from xuncha.documents.kinds import DocumentKind
from xuncha.documents.models import DocumentTemplate, ExportTrace
from xuncha.documents.resolver import templates_in_force


@dataclass(frozen=True)
class TemplateRow:
    jurisdiction: OrgUnit
    kind: DocumentKind
    in_force: DocumentTemplate | None  # None: the built-in default

    @property
    def own(self) -> bool:
        """Is the template in force this jurisdiction's own (so it can revert it)?"""
        return self.in_force is not None and self.in_force.jurisdiction_id == self.jurisdiction.pk


def template_jurisdictions(*, user: Any) -> QuerySet[OrgUnit]:
    """The jurisdictions whose templates ``user`` may replace (those they arrange rounds for)."""
    return unit_choices(user=user, code=Perm.ROUND_MANAGE).filter(unit_type__in=JURISDICTION_TYPES)


def template_overview(*, user: Any) -> list[TemplateRow]:
    # Every jurisdiction × kind from one query (a query per pair grew with a city's counties).
    jurisdictions = list(template_jurisdictions(user=user))
    in_force = templates_in_force(list(DocumentKind), jurisdictions)
    return [
        TemplateRow(jurisdiction, kind, in_force[(kind, jurisdiction.pk)])
        for jurisdiction in jurisdictions
        for kind in DocumentKind
    ]


# Enough for any honest lookup (one code, or one file's few codes); a pasted text cannot make the
# page list the whole table.
TRACE_MATCHES_MAX = 50


def export_trace_find(*, user: Any, codes: list[str], sha256: str = "") -> list[ExportTrace]:
    """The downloads with one of ``codes`` (or whose file had ``sha256``) that ``user`` may trace:
    exports of their own subtree only."""
    condition = Q(code__in=codes[:TRACE_MATCHES_MAX])
    if sha256:
        condition |= Q(sha256=sha256)
    if not codes and not sha256:
        return []
    qs = ExportTrace.objects.filter(condition).select_related("recipient__unit", "scope_unit")
    return list(scope_queryset(user, Perm.TRACE_VIEW, qs).order_by("-created_at")[:TRACE_MATCHES_MAX])
