"""Reads for the channel pages: webhooks and the delivery log, within the user's scope."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet

from xuncha.accounts.permissions import access_scoped, scope_queryset
from xuncha.common.actors import Principal
from xuncha.notify.models import Delivery, DeliveryState, Webhook
from xuncha.notify.services import WEBHOOK_PERM


def webhook_list(*, user: Principal) -> QuerySet[Webhook]:
    """Webhooks over units in the user's scope, with their pending and given-up counts."""
    return (
        scope_queryset(user, WEBHOOK_PERM, Webhook.objects.all())
        .select_related("scope")
        .annotate(
            pending=Count("deliveries", filter=Q(deliveries__state=DeliveryState.PENDING)),
            failed=Count("deliveries", filter=Q(deliveries__state=DeliveryState.FAILED)),
        )
        .order_by("-active", "scope__path", "name", "pk")
    )


def webhook_get(*, user: Principal, pk: Any) -> Webhook:
    """Fetch-and-authorise (404 for missing and forbidden alike)."""
    return access_scoped(user, WEBHOOK_PERM, Webhook.objects.select_related("scope"), pk)


def delivery_list(*, user: Principal, state: str = "", channel: str = "", webhook: Any = None) -> QuerySet[Delivery]:
    """Recent deliveries about units in the user's scope, newest first."""
    qs = scope_queryset(user, WEBHOOK_PERM, Delivery.objects.all())
    if state:
        qs = qs.filter(state=state)
    if channel:
        qs = qs.filter(channel=channel)
    if webhook is not None:
        qs = qs.filter(webhook=webhook)
    return qs.select_related("unit").defer("body").order_by("-created_at", "-pk")
