"""The office's webhook endpoints: create, update, switch on or off, send a test message.

Permission: ``Perm.CALENDAR_MANAGE``. Messages pushed to a chat robot leave the platform (task
titles, unit names, deadlines), so choosing where they go is a setting the office head owns, like
the working-day calendar and the deadline rules the reminders are computed from; office staff
(who hold ORG_MANAGE) and unit users do not decide it. System administrators hold it too. A
webhook's scope must lie within the scope over which the actor holds that permission.
"""

from __future__ import annotations

import logging
import uuid
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xuncha.accounts.permissions import Perm, has_perm
from xuncha.audit.services import audit_record, changed, snapshot
from xuncha.common.actors import SYSTEM, Actor
from xuncha.common.exceptions import ServiceError
from xuncha.notify.models import Channel, Delivery, DeliveryState, Webhook, WebhookKind, validate_http_url
from xuncha.notify.services.delivery import attempt
from xuncha.notify.services.inbox import absolute_url

if TYPE_CHECKING:
    from xuncha.accounts.models import OrgUnit

logger = logging.getLogger(__name__)

WEBHOOK_PERM = Perm.CALENDAR_MANAGE
AUDITED = ["name", "scope", "kind", "url", "active"]


def _audit_view(hook: Webhook) -> dict[str, Any]:
    """What the audit log keeps: never the secret itself, only whether one is set."""
    data = snapshot(hook, AUDITED)
    data["url"] = _mask(hook.url)
    data["signed"] = bool(hook.secret)
    return data


def _mask(url: str) -> str:
    """The address without its query (robot URLs carry their access token there)."""
    return url.split("?", 1)[0] + ("?…" if "?" in url else "")


def _clean(*, actor: Actor, name: str, scope: OrgUnit | None, kind: str, url: str) -> tuple[str, str, OrgUnit]:
    """The trimmed name and URL and the scope, known to be given and within the actor's."""
    name, url = (name or "").strip(), (url or "").strip()
    if not name:
        raise ServiceError(_("请填写名称，例如“县巡察办钉钉工作群”。"))
    if kind not in WebhookKind.values:
        raise ServiceError(_("请选择推送类型。"))
    if scope is None or (actor is not SYSTEM and not has_perm(actor, WEBHOOK_PERM, scope)):
        raise ServiceError(_("推送范围须在您的管理范围之内。"))
    try:
        validate_http_url(url)
    except ValidationError as exc:
        raise ServiceError(exc.messages) from None
    return name, url, scope


def webhook_create(
    *, actor: Actor, name: str, scope: OrgUnit | None, kind: str, url: str, secret: str = "", active: bool = True
) -> Webhook:
    name, url, unit = _clean(actor=actor, name=name, scope=scope, kind=kind, url=url)
    secret = secret.strip() if kind == WebhookKind.DINGTALK else ""  # only DingTalk signs
    with transaction.atomic():
        hook = Webhook.objects.create(name=name, scope=unit, kind=kind, url=url, secret=secret, active=active)
        audit_record(actor=actor, action="notify.webhook.create", target=hook, after=_audit_view(hook))
    return hook


def webhook_update(
    *,
    actor: Actor,
    webhook: Webhook,
    name: str,
    scope: OrgUnit | None,
    kind: str,
    url: str,
    secret: str = "",
    clear_secret: bool = False,
    active: bool = True,
) -> Webhook:
    """Change the endpoint. A blank ``secret`` keeps the stored one unless ``clear_secret``."""
    name, url, unit = _clean(actor=actor, name=name, scope=scope, kind=kind, url=url)
    with transaction.atomic():
        hook = Webhook.objects.select_for_update(of=("self",)).get(pk=webhook.pk)
        before = _audit_view(hook)
        hook.name, hook.scope, hook.kind, hook.url, hook.active = name, unit, kind, url, active
        if clear_secret or kind != WebhookKind.DINGTALK:
            hook.secret = ""
        elif secret.strip():
            hook.secret = secret.strip()
        hook.save(update_fields=["name", "scope", "kind", "url", "secret", "active", "updated_at"])
        old, new = changed(before, _audit_view(hook))
        if secret.strip() and kind == WebhookKind.DINGTALK:
            new["secret_replaced"] = True
        if new:
            audit_record(actor=actor, action="notify.webhook.update", target=hook, before=old, after=new)
        if not active:
            _give_up_pending(hook)
    return hook


def webhook_set_active(*, actor: Actor, webhook: Webhook, active: bool) -> Webhook:
    """Switch the endpoint on or off. Off: its queued messages are given up (never sent later)."""
    with transaction.atomic():
        hook = Webhook.objects.select_for_update(of=("self",)).get(pk=webhook.pk)
        if hook.active == active:
            raise ServiceError(_("该推送地址已经启用。") if active else _("该推送地址已经停用。"))
        hook.active = active
        hook.save(update_fields=["active", "updated_at"])
        dropped = 0 if active else _give_up_pending(hook)
        action = "notify.webhook.activate" if active else "notify.webhook.deactivate"
        audit_record(
            actor=actor,
            action=action,
            target=hook,
            before={"active": not active},
            after={"active": active, "pending_dropped": dropped},
        )
    return hook


def _give_up_pending(hook: Webhook) -> int:
    return Delivery.objects.filter(webhook=hook, state=DeliveryState.PENDING).update(
        state=DeliveryState.FAILED, next_attempt_at=None, last_error=_("推送地址已停用，未再发送。")
    )


def webhook_send_test(*, actor: Actor, webhook: Webhook) -> Delivery:
    """Send a test message now (active or not) and log it; one attempt, no retry.

    The attempt happens before any transaction is opened (it may take the full timeout); the log
    row and the audit record are then written together.
    """
    now = timezone.now()
    delivery = Delivery(
        channel=Channel.WEBHOOK,
        destination=webhook.name,
        webhook=webhook,
        unit=webhook.scope,
        key=f"test:{uuid.uuid4().hex}",
        title=_("【测试】巡察工作平台消息推送"),
        body=_("这是一条测试消息，由%(name)s于%(time)s发送。收到即说明“%(hook)s”配置正确。")
        % {"name": actor, "time": timezone.localtime(now).strftime("%Y-%m-%d %H:%M"), "hook": webhook.name},
        url=absolute_url("/"),
    )
    # Test the endpoint as configured, even while switched off.
    probe = Webhook(pk=webhook.pk, kind=webhook.kind, url=webhook.url, secret=webhook.secret, active=True)
    delivery.webhook = probe
    error = attempt(delivery, now=now)
    delivery.webhook = webhook
    delivery.attempts = 1
    if error is None:
        delivery.state, delivery.sent_at = DeliveryState.SENT, now
    else:
        delivery.state, delivery.last_error = DeliveryState.FAILED, str(error)[:500]
        logger.warning("Test message to webhook %s failed: %s", webhook.pk, error)
    with transaction.atomic():
        delivery.save()
        audit_record(
            actor=actor,
            action="notify.webhook.test",
            target=webhook,
            after={"state": delivery.state, "error": delivery.last_error},
        )
    return delivery
