"""Which reporting windows are open: the published announcements whose period includes today."""

from __future__ import annotations

from datetime import date

from django.db.models import QuerySet
from django.utils import timezone

from xuncha.plans.models import Announcement, RoundState

OPEN_ROUND_STATES = (RoundState.ON_SITE, RoundState.PREPARING, RoundState.REPORTING)


def open_windows(today: date | None = None) -> QuerySet[Announcement]:
    today = today or timezone.localdate()
    return (
        Announcement.objects.filter(
            opens_on__lte=today,
            closes_on__gte=today,
            published_on__isnull=False,
            published_on__lte=today,
            target__round__state__in=OPEN_ROUND_STATES,
        )
        .select_related("target__unit", "target__team", "target__round")
        .order_by("target__round__id", "target__team__number", "target__unit__path")
    )


def is_open(announcement: Announcement, today: date | None = None) -> bool:
    return open_windows(today).filter(pk=announcement.pk).exists()
