"""The in-app message, once per (recipient, key), and its queued copies on the other channels.

Queuing only inserts ``Delivery`` rows inside the caller's transaction, and a delivery task for the
worker (xuncha/notify/tasks.py); nothing is sent here (``deliver_pending`` sends, after the caller
committed). A failure never reaches the caller.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from xuncha.common.tasks import enqueue_once
from xuncha.notify.models import Channel, Delivery, Notification, Webhook
from xuncha.notify.services.delivery import deliver_task

if TYPE_CHECKING:
    from xuncha.accounts.models import OrgUnit, User

logger = logging.getLogger(__name__)


def notify(*, user: User, key: str, title: str, body: str = "", url: str = "", unit: OrgUnit | None = None) -> bool:
    """Deliver to the user's inbox unless this key was delivered before; True when sent now.

    The first time, also queue an e-mail (when e-mail is on and the user has an address) and one
    message per active webhook whose scope contains ``unit`` (the unit the message is about) —
    once per webhook and key, however many recipients the key has.
    """
    try:
        with transaction.atomic():
            row, created = Notification.objects.get_or_create(
                user=user, key=key[:120], defaults={"title": title[:200], "body": body, "url": url[:300]}
            )
            if created:
                _queue_copies(row, user=user, unit=unit)
    except IntegrityError:  # a parallel run delivered it first
        return False
    except Exception:
        logger.exception("Could not deliver notification %s to user %s", key, getattr(user, "pk", None))
        return False
    return created


def absolute_url(url: str) -> str:
    """Links leave the site in e-mails and robot messages: make them absolute (XUNCHA_SITE_URL)."""
    if not url or "://" in url:
        return url
    site: str = settings.XUNCHA_SITE_URL
    return site.rstrip("/") + "/" + url.lstrip("/")


def _ancestor_paths(unit: OrgUnit) -> list[str]:
    return [unit.path[:end] for end in range(unit.steplen, len(unit.path) + 1, unit.steplen)]


def _queue_copies(row: Notification, *, user: User, unit: OrgUnit | None) -> None:
    now = timezone.now()
    common = {
        "key": row.key,
        "title": row.title,
        "body": row.body,
        "url": absolute_url(row.url)[:500],
        "next_attempt_at": now,
    }
    copies = []
    if settings.XUNCHA_EMAIL_ENABLED and user.email and user.is_active:
        unit_id = unit.pk if unit is not None else user.unit_id
        copies.append(
            Delivery(channel=Channel.EMAIL, destination=user.email, notification=row, unit_id=unit_id, **common)
        )
    if unit is not None:
        hooks = Webhook.objects.filter(active=True, scope__path__in=_ancestor_paths(unit)).only("pk", "name")
        copies += [
            Delivery(channel=Channel.WEBHOOK, destination=hook.name, webhook=hook, unit=unit, **common)
            for hook in hooks
        ]
    # The (webhook, key) constraint drops the copies an earlier recipient of this key queued.
    Delivery.objects.bulk_create(copies, ignore_conflicts=True)
    if copies:
        _deliver_soon()


def _deliver_soon() -> None:
    """Queue a delivery run for the worker, so the copies leave now rather than at the next timer
    run. A failure to queue loses nothing: the timer (notify_deliver) sends them."""
    try:
        with transaction.atomic():
            enqueue_once(deliver_task)
    except Exception:
        logger.exception("Could not queue the delivery task; the timer will send the copies")


def mark_read(*, user: User, pks: list[int] | None = None) -> int:
    qs = Notification.objects.filter(user=user, read_at__isnull=True)
    if pks is not None:
        qs = qs.filter(pk__in=pks)
    return qs.update(read_at=timezone.now())
