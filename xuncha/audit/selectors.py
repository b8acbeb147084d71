"""Reading the audit log: scoped to the reader's jurisdiction, filtered, newest first."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from xuncha.accounts.permissions import Perm, scope_queryset
from xuncha.audit.models import AuditEntry
from xuncha.audit.verify import VerifyReport, audit_verify_full


def audit_entry_list(*, user: Any, filters: dict[str, Any] | None = None) -> QuerySet[AuditEntry]:
    filters = filters or {}
    qs = scope_queryset(user, Perm.AUDIT_VIEW, AuditEntry.objects.all())
    if filters.get("action"):
        qs = qs.filter(action__startswith=filters["action"])
    if filters.get("actor"):
        qs = qs.filter(actor_name__contains=filters["actor"])
    if filters.get("target"):
        qs = qs.filter(target_repr__contains=filters["target"])
    if filters.get("date_from"):
        qs = qs.filter(created_at__date__gte=filters["date_from"])
    if filters.get("date_to"):
        qs = qs.filter(created_at__date__lte=filters["date_to"])
    return qs.order_by("-seq")


def audit_chain_verify() -> VerifyReport:
    """The full check (chain, MACs, checkpoints) with the configured keys and anchor file."""
    return audit_verify_full()
