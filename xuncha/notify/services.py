"""Sending messages: once per (recipient, key); a failure of one never stops the others."""

from __future__ import annotations

import logging
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from xuncha.notify.models import Notification

logger = logging.getLogger(__name__)


def notify(*, user: Any, key: str, title: str, body: str = "", url: str = "") -> bool:
    """Deliver to the user's inbox unless this key was delivered before; True when sent now."""
    try:
        with transaction.atomic():
            _row, created = Notification.objects.get_or_create(
                user=user, key=key[:120], defaults={"title": title[:200], "body": body, "url": url[:300]}
            )
    except IntegrityError:  # a parallel run delivered it first
        return False
    except Exception:
        logger.exception("Could not deliver notification %s to user %s", key, getattr(user, "pk", None))
        return False
    return created


def mark_read(*, user: Any, pks: list[int] | None = None) -> int:
    qs = Notification.objects.filter(user=user, read_at__isnull=True)
    if pks is not None:
        qs = qs.filter(pk__in=pks)
    return qs.update(read_at=timezone.now())
