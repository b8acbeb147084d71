"""Reports from the public (信访举报). Everything the reporter wrote is sealed (SM4-GCM) under a
per-report data key; the database holds ciphertext, the wrapped key and a slow hash of the
receipt code — nothing a thief could read."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xuncha.common.classification import Discipline  # noqa: F401  (re-exported: intake's forms use it)
from xuncha.common.models import TimeStampedModel, TransitionEvent


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
    MERGED = "merged", _("已合并办理")


class Subject(models.TextChoices):
    """Whom the report is about: inspection takes in its unit's leaders and key-post cadres."""

    LEADERSHIP = "leadership", _("领导班子及其成员")
    KEY_POST = "key_post", _("重点岗位干部")
    OTHER = "other", _("其他人员或事项")


class Report(TimeStampedModel):
    round = models.ForeignKey("plans.Round", on_delete=models.PROTECT, related_name="reports")
    target = models.ForeignKey(
        "plans.RoundTarget", verbose_name=_("被反映单位"), on_delete=models.PROTECT, related_name="reports"
    )
    # Numbered per round ("2026-02-0007"): two counties may both run round 2 of 2026.
    intake_no = models.CharField(_("受理编号"), max_length=30)
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
    # The day it reached the team (a letter may be registered days later); deadlines count from it.
    received_on = models.DateField(_("收到日期"), default=timezone.localdate)
    # Triage: classification, where it went, what it fed, what it was merged into.
    subject = models.CharField(_("反映对象"), max_length=20, choices=Subject.choices, blank=True)
    disciplines = models.JSONField(_("涉及纪律"), default=list, blank=True)
    forwarded_to = models.CharField(_("转交单位"), max_length=100, blank=True)
    papers = models.ManyToManyField(
        "fieldwork.WorkingPaper", verbose_name=_("问题底稿"), blank=True, related_name="reports"
    )
    merged_into = models.ForeignKey(
        "self", verbose_name=_("并入"), on_delete=models.PROTECT, null=True, blank=True, related_name="duplicates"
    )
    # Set when the retention period ran out: content, files, messages and key are gone; counts stay.
    purged_at = models.DateTimeField(null=True, blank=True)

    SCOPE_PATH_FIELD = "round__jurisdiction__path"

    class Meta:
        verbose_name = _("信访举报")
        verbose_name_plural = _("信访举报")
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["round", "intake_no"], name="report_intake_no_per_round")]
        indexes = [
            models.Index(fields=["round", "state"], name="report_round_state"),
            models.Index(fields=["state", "received_on"], name="report_state_received"),
        ]

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


class ReportEvent(TransitionEvent):
    """One triage step: who moved the report from which state to which, when, and the reply sent.

    No free text here (``comment`` stays empty): what the reporter was told is the sealed message
    the event points to.
    """

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="events")
    from_state = models.CharField(_("原状态"), max_length=20, choices=ReportState.choices)
    to_state = models.CharField(_("新状态"), max_length=20, choices=ReportState.choices)
    message = models.ForeignKey(ReportMessage, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    detail = models.CharField(_("说明"), max_length=200, blank=True)  # e.g. the body forwarded to

    SCOPE_PATH_FIELD = "report__round__jurisdiction__path"

    class Meta(TransitionEvent.Meta):
        verbose_name = _("举报办理记录")
        verbose_name_plural = _("举报办理记录")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.report} {self.from_state}→{self.to_state}"


class IdentityUnlock(models.Model):
    """A custodian looked at a named reporter's identity, and why. Each look is one row."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="unlocks")
    custodian = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(_("解锁理由"), max_length=500)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)

    SCOPE_PATH_FIELD = "report__round__jurisdiction__path"

    class Meta:
        verbose_name = _("举报人身份解锁记录")
        verbose_name_plural = _("举报人身份解锁记录")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.report} {self.custodian_id}"
