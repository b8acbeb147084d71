"""In-app messages and their other channels.

A message has a key per recipient: sending the same key twice sends nothing, which is what makes
`remind` idempotent (the ladder level and the deadline are in the key). The first time a key
reaches a recipient, copies are queued for e-mail (to that recipient) and for the webhooks
configured over the unit the message is about (one per webhook and key, whoever the recipients).
Queued copies are sent later by ``deliver_pending``, never inside the caller's transaction.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from xuncha.common.models import TimeStampedModel


def validate_http_url(value: str) -> None:
    """http(s) only, with a host. Any host: intranet gateways often have no dotted name."""
    try:
        parts = urlsplit(value)
        ok = parts.scheme in ("http", "https") and bool(parts.hostname)
    except ValueError:
        ok = False
    if not ok:
        raise ValidationError(
            _(
                "推送地址须以 http:// 或 https:// 开头并写明主机，例如 https://oapi.dingtalk.com/robot/send?access_token=…"
            )
        )
    if any(ch.isspace() or ord(ch) < 32 for ch in value):
        raise ValidationError(_("推送地址不能包含空格或换行。"))


class Notification(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    key = models.CharField(max_length=120)
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("消息")
        verbose_name_plural = _("消息")
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="notification_once_per_key")]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_unread")]

    def __str__(self) -> str:
        return self.title


class WebhookKind(models.TextChoices):
    GENERIC = "generic", _("通用JSON")
    DINGTALK = "dingtalk", _("钉钉机器人")
    WECOM = "wecom", _("企业微信机器人")


class Webhook(TimeStampedModel):
    """An endpoint an office configured for a unit subtree: messages about rows under ``scope`` go there."""

    name = models.CharField(_("名称"), max_length=60)
    scope = models.ForeignKey(
        "accounts.OrgUnit", verbose_name=_("推送范围（含下级单位）"), on_delete=models.PROTECT, related_name="webhooks"
    )
    kind = models.CharField(_("类型"), max_length=10, choices=WebhookKind.choices, default=WebhookKind.GENERIC)
    url = models.CharField(_("推送地址"), max_length=500, validators=[validate_http_url])
    # DingTalk "加签" secret. Shown to nobody once saved; the form keeps it when left blank.
    secret = models.CharField(_("签名密钥"), max_length=200, blank=True)
    active = models.BooleanField(_("启用"), default=True)

    SCOPE_PATH_FIELD = "scope__path"

    class Meta:
        verbose_name = _("推送地址")
        verbose_name_plural = _("推送地址")
        ordering = ["scope__path", "name", "id"]

    def __str__(self) -> str:
        return self.name


class Channel(models.TextChoices):
    EMAIL = "email", _("电子邮件")
    WEBHOOK = "webhook", _("Webhook")


class DeliveryState(models.TextChoices):
    PENDING = "pending", _("待发送")
    SENT = "sent", _("已发送")
    FAILED = "failed", _("发送失败")


class Delivery(models.Model):
    """One copy of a message on one channel to one destination, with its attempts."""

    channel = models.CharField(_("渠道"), max_length=10, choices=Channel.choices)
    # An e-mail address, or the webhook's name (the webhook itself is ``webhook``).
    destination = models.CharField(_("接收方"), max_length=254)
    # The inbox row an e-mail copies (webhook messages serve every recipient of a key: none).
    notification = models.ForeignKey(
        Notification, on_delete=models.SET_NULL, null=True, blank=True, related_name="deliveries"
    )
    webhook = models.ForeignKey(Webhook, on_delete=models.CASCADE, null=True, blank=True, related_name="deliveries")
    # The unit the message is about (for webhooks) or the recipient's unit (e-mail): scopes the log page.
    unit = models.ForeignKey("accounts.OrgUnit", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    key = models.CharField(max_length=120)
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    url = models.CharField(max_length=500, blank=True)  # absolute (XUNCHA_SITE_URL), ready to send
    state = models.CharField(_("状态"), max_length=10, choices=DeliveryState.choices, default=DeliveryState.PENDING)
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    last_error = models.CharField(_("最近错误"), max_length=500, blank=True)
    next_attempt_at = models.DateTimeField(_("下次尝试"), null=True, blank=True)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("生成时间"), auto_now_add=True)

    SCOPE_PATH_FIELD = "unit__path"

    class Meta:
        verbose_name = _("推送记录")
        verbose_name_plural = _("推送记录")
        ordering = ["-created_at", "-id"]
        constraints = [
            # One webhook message per (webhook, key), however many people received the key.
            models.UniqueConstraint(
                fields=["webhook", "key"], condition=Q(webhook__isnull=False), name="delivery_once_per_webhook_key"
            ),
        ]
        indexes = [
            models.Index(fields=["state", "next_attempt_at"], name="delivery_due"),
            models.Index(fields=["state", "-created_at"], name="delivery_log_state"),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} → {self.destination}: {self.title}"
