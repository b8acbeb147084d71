"""The audit log's pages (审计日志): the entries in the reader's scope, newest first, filtered.

Here rather than in the audit app because reading needs the access package, and the access package's
own writes are audited: the record (xuncha/audit) sits below accounts, its pages above.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from xuncha.accounts.decorators import perm_required
from xuncha.accounts.permissions import Perm, scope_queryset
from xuncha.audit.filters import AuditFilter
from xuncha.audit.models import AuditEntry
from xuncha.common.pagination import paginate


def audit_entry_list(*, user: Any) -> QuerySet[AuditEntry]:
    """The entries in scope, newest first (the log page narrows it with audit.filters.AuditFilter)."""
    return scope_queryset(user, Perm.AUDIT_VIEW, AuditEntry.objects.all()).order_by("-seq")


@require_GET
@perm_required(Perm.AUDIT_VIEW)
def entry_list(request: HttpRequest) -> HttpResponse:
    filterset = AuditFilter(request.GET, audit_entry_list(user=request.user).select_related(None))
    page = paginate(request, filterset.qs)
    return render(request, "audit/entry_list.html", {"form": filterset.form, "page": page})


@require_GET
def entry_detail(request: HttpRequest, seq: int) -> HttpResponse:
    entry = scope_queryset(request.user, Perm.AUDIT_VIEW, AuditEntry.objects.all()).filter(seq=seq).first()
    if entry is None:
        raise Http404
    return render(request, "audit/entry_detail.html", {"entry": entry})
