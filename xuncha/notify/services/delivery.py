"""Sending the queued copies: ``deliver_pending`` (called at the end of ``remind`` and by the
``notify_deliver`` command for cron), and ``deliver_task``, the same run as a background task for
the worker: queued by ``notify`` when it queues copies (so they leave within seconds, not at the
next timer run) and by the timer (``notify_deliver --enqueue``) for the retries.

Each due row is claimed first (a compare-and-set on ``next_attempt_at``, so two overlapping runs
never send the same row), then sent outside any transaction with a timeout. A failure counts an
attempt and waits 1 min, 5 min, 30 min, 2 h, then 6 h; the fifth failed attempt gives up
(state failed). One failing endpoint never stops the others, and nothing raises out of a run.
"""

from __future__ import annotations

import logging
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from xuncha.common.tasks import task
from xuncha.notify import channels
from xuncha.notify.models import Channel, Delivery, DeliveryState

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
# The wait after the n-th failed attempt (RETRY_AFTER[n - 1]). With MAX_ATTEMPTS = 5 the fifth
# failure gives up, so the 6 h step is only reached if MAX_ATTEMPTS is raised.
RETRY_AFTER = (
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
    timedelta(hours=6),
)
# A claimed row is hidden from other runs this long; a run that dies mid-send retries it after.
CLAIM_LEASE = timedelta(minutes=10)
DEFAULT_LIMIT = 200


@dataclass
class DeliveryRun:
    sent: int = 0
    retrying: int = 0
    gave_up: int = 0
    deferred: int = 0  # not tried: their endpoint was unreachable earlier in this run

    def __str__(self) -> str:
        return _("推送：发送成功 %(sent)s 条，待重试 %(retrying)s 条，放弃 %(gave_up)s 条，顺延 %(deferred)s 条。") % {
            "sent": self.sent,
            "retrying": self.retrying,
            "gave_up": self.gave_up,
            "deferred": self.deferred,
        }


def deliver_pending(*, now: datetime | None = None, limit: int = DEFAULT_LIMIT) -> DeliveryRun:
    """Send up to ``limit`` due copies. Never raises: failures are recorded and logged."""
    now = now or timezone.now()
    run = DeliveryRun()
    try:
        due = list(
            Delivery.objects.filter(state=DeliveryState.PENDING, next_attempt_at__lte=now)
            .select_related("webhook")
            .order_by("next_attempt_at", "pk")[:limit]
        )
    except Exception:
        logger.exception("Could not read the pending deliveries")
        return run
    unreachable: set[tuple[str, int | None]] = set()
    for delivery in due:
        endpoint = (delivery.channel, delivery.webhook_id)
        if endpoint in unreachable:
            run.deferred += 1
            continue
        try:
            if not _claim(delivery, now):
                continue
            error = attempt(delivery, now=now)
            _record(delivery, now=now, error=error, run=run)
        except Exception:  # a bug or a lost database must not stop the loop either
            logger.exception("Delivery %s: could not be processed", delivery.pk)
            continue
        if error is not None and error.endpoint_down:
            unreachable.add(endpoint)
    if due:
        logger.info("%s", run)
    return run


@task()
def deliver_task(limit: int = DEFAULT_LIMIT) -> dict[str, int]:
    """``deliver_pending`` in the worker; the run's counts (the queue keeps them as its result)."""
    return asdict(deliver_pending(limit=limit))


def _claim(delivery: Delivery, now: datetime) -> bool:
    claimed = Delivery.objects.filter(
        pk=delivery.pk, state=DeliveryState.PENDING, next_attempt_at=delivery.next_attempt_at
    ).update(next_attempt_at=now + CLAIM_LEASE)
    return claimed == 1


def message_of(delivery: Delivery, now: datetime) -> channels.Message:
    return channels.Message(title=delivery.title, body=delivery.body, url=delivery.url, key=delivery.key, sent_at=now)


def attempt(delivery: Delivery, *, now: datetime) -> channels.ChannelError | None:
    """Send one copy once; the error, or None when it was accepted."""
    msg = message_of(delivery, now)
    try:
        if delivery.channel == Channel.EMAIL:
            channels.send_email(address=delivery.destination, msg=msg)
            return None
        hook = delivery.webhook
        if hook is None or not hook.active:
            return channels.ChannelError(_("推送地址已停用或已删除。"))
        channels.post_webhook(kind=hook.kind, url=hook.url, secret=hook.secret, msg=msg)
    except channels.ChannelError as exc:
        return exc
    except Exception as exc:  # an unexpected failure is still just this one delivery's
        logger.exception("Delivery %s: unexpected error", delivery.pk)
        return channels.ChannelError(f"{type(exc).__name__}: {exc}")
    return None


def _record(delivery: Delivery, *, now: datetime, error: channels.ChannelError | None, run: DeliveryRun) -> None:
    delivery.attempts += 1
    if error is None:
        delivery.state, delivery.sent_at, delivery.next_attempt_at, delivery.last_error = (
            DeliveryState.SENT,
            now,
            None,
            "",
        )
        run.sent += 1
    else:
        delivery.last_error = str(error)[:500]
        gave_up = delivery.attempts >= MAX_ATTEMPTS or (delivery.webhook is not None and not delivery.webhook.active)
        if gave_up:
            delivery.state, delivery.next_attempt_at = DeliveryState.FAILED, None
            run.gave_up += 1
        else:
            delivery.next_attempt_at = now + RETRY_AFTER[min(delivery.attempts, len(RETRY_AFTER)) - 1]
            run.retrying += 1
        logger.warning(
            "Delivery %s (%s to %s) failed, attempt %s of %s%s: %s",
            delivery.pk,
            delivery.channel,
            delivery.destination,
            delivery.attempts,
            MAX_ATTEMPTS,
            ", giving up" if gave_up else "",
            error,
        )
    delivery.save(update_fields=["attempts", "state", "sent_at", "next_attempt_at", "last_error"])
