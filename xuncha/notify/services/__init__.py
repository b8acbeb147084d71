"""Writes of the notify app.

* ``inbox``    — ``notify`` (the in-app message, once per recipient and key, and the queued copies
  for e-mail and webhooks) and ``mark_read``.
* ``delivery`` — ``deliver_pending``: send what is due, retry with back-off, give up after five.
* ``webhooks`` — the office's webhook endpoints (create, update, (de)activate, test message).
"""

from xuncha.notify.services.delivery import MAX_ATTEMPTS, RETRY_AFTER, DeliveryRun, deliver_pending
from xuncha.notify.services.inbox import mark_read, notify
from xuncha.notify.services.webhooks import (
    WEBHOOK_PERM,
    webhook_create,
    webhook_send_test,
    webhook_set_active,
    webhook_update,
)

__all__ = [
    "MAX_ATTEMPTS",
    "RETRY_AFTER",
    "WEBHOOK_PERM",
    "DeliveryRun",
    "deliver_pending",
    "mark_read",
    "notify",
    "webhook_create",
    "webhook_send_test",
    "webhook_set_active",
    "webhook_update",
]
