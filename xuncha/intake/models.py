"""Reports from the public (信访举报). Everything the reporter wrote is sealed (SM4-GCM) under a
per-report data key; the database holds ciphertext, the wrapped key and a slow hash of the
receipt code — nothing a thief could read."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from xuncha.common.models import TimeStampedModel


class Channel(models.TextChoices):
    ONLINE = "online", _("网上举报")
    LETTER = "letter", _("来信")
    PHONE = "phone", _("来电")
    VISIT = "visit", _("来访")
    MAILBOX = "mailbox", _("意见箱")


class ReportState(models.TextChoices):
    RECEIVED = "received", _("已收到")
    ACCEPTED = "accepted", _("已受理")
    FORWARDED = "forwarded", _("已转交有关部门")
    NOT_ACCEPTED = "not_accepted", _("不予受理")
    LINKED = "linked", _("已纳入问题底稿")
    CLOSED = "closed", _("已办结")


class Report(TimeStampedModel):
    round = models.ForeignKey("plans.Round", on_delete=models.PROTECT, related_name="reports")
    target = models.ForeignKey(
        "plans.RoundTarget", verbose_name=_("被反映单位"), on_delete=models.PROTECT, related_name="reports"
    )
    intake_no = models.CharField(_("受理编号"), max_length=30, unique=True)
    channel = models.CharField(_("来源"), max_length=10, choices=Channel.choices, default=Channel.ONLINE)
    state = models.CharField(_("状态"), max_length=20, choices=ReportState.choices, default=ReportState.RECEIVED)
    anonymous = models.BooleanField(_("匿名"), default=True)
    # The per-report data key, wrapped by the master key (which never enters the database).
    wrapped_key = models.CharField(max_length=200)
    content = models.BinaryField()  # sealed JSON: subject, people, what, when, where, amounts
    contact = models.BinaryField(null=True, blank=True)  # sealed JSON, only when the reporter gave it
    # Lookup by receipt: Argon2id of the 16-digit code with the installation's salt (slow on purpose).
    receipt_hash = models.CharField(max_length=128, unique=True, null=True, blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    SCOPE_PATH_FIELD = "round__jurisdiction__path"

    class Meta:
        verbose_name = _("信访举报")
        verbose_name_plural = _("信访举报")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["round", "state"], name="report_round_state")]

    def __str__(self) -> str:
        return self.intake_no

    def get_absolute_url(self) -> str:
        return reverse("intake:report_detail", args=[self.pk])


class ReportAttachment(models.Model):
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="attachments")
    storage_name = models.CharField(max_length=100)  # generated; the bytes on disk are sealed
    name = models.BinaryField()  # sealed original file name
    kind = models.CharField(max_length=10)
    size = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    SCOPE_PATH_FIELD = "report__round__jurisdiction__path"

    class Meta:
        verbose_name = _("举报附件")
        verbose_name_plural = _("举报附件")

    def __str__(self) -> str:
        return f"{self.report} #{self.pk}"


class ReportMessage(models.Model):
    """A message between the team and the reporter (both directions), sealed like the report."""

    class Side(models.TextChoices):
        REPORTER = "reporter", _("举报人")
        TEAM = "team", _("巡察组")

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="messages")
    side = models.CharField(max_length=10, choices=Side.choices)
    body = models.BinaryField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    SCOPE_PATH_FIELD = "report__round__jurisdiction__path"

    class Meta:
        verbose_name = _("举报往来消息")
        verbose_name_plural = _("举报往来消息")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.report} {self.side}"
