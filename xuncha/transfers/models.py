"""Transfers (移交): clues to the discipline commission, personnel matters to the organisation
department, sector problems to sector departments. The receiver acknowledges, records how it
disposes of the matter and reports back; the office closes it. Report-back is due (default) three
months after sending; lateness is derived, never stored."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from xuncha.common.models import TimeStampedModel, TransitionEvent


class TransferKind(models.TextChoices):
    CLUE = "clue", _("问题线索")
    PERSONNEL = "personnel", _("选人用人和干部管理问题")
    SECTOR = "sector", _("行业领域共性问题")
    OTHER = "other", _("其他事项")


class TransferState(models.TextChoices):
    SENT = "sent", _("已移交")
    ACKNOWLEDGED = "acknowledged", _("已签收")
    HANDLING = "handling", _("办理中")
    REPORTED = "reported", _("已反馈办理结果")
    CLOSED = "closed", _("已办结")


class Disposal(models.TextChoices):
    """How the receiver disposes of the matter (for clues, the five ways of 问题线索处置)."""

    TALK = "talk", _("谈话函询")
    VERIFY = "verify", _("初步核实")
    SHELVE = "shelve", _("暂存待查")
    DISMISS = "dismiss", _("予以了结")
    CASE = "case", _("立案审查")
    ORGANISATIONAL = "organisational", _("组织处理")
    RECTIFY = "rectify", _("督促整改")
    OTHER = "other", _("其他方式")


class Secrecy(models.TextChoices):
    CONFIDENTIAL = "机密", _("机密")
    SECRET = "秘密", _("秘密")
    INTERNAL = "内部", _("内部")


class Transfer(TimeStampedModel):
    round = models.ForeignKey("plans.Round", on_delete=models.PROTECT, related_name="transfers")
    team = models.ForeignKey("plans.Team", on_delete=models.PROTECT, null=True, blank=True, related_name="transfers")
    target = models.ForeignKey(
        "plans.RoundTarget",
        verbose_name=_("被巡察单位"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="transfers",
    )
    kind = models.CharField(_("移交类别"), max_length=12, choices=TransferKind.choices)
    receiver = models.ForeignKey(
        "accounts.OrgUnit", verbose_name=_("接收单位"), on_delete=models.PROTECT, related_name="transfers_received"
    )
    doc_no = models.CharField(_("文号"), max_length=50, blank=True)
    secrecy = models.CharField(_("密级"), max_length=4, choices=Secrecy.choices, default=Secrecy.CONFIDENTIAL)
    title = models.CharField(_("事由"), max_length=200)
    summary = models.TextField(_("主要内容"))
    persons = models.CharField(_("涉及人员"), max_length=500, blank=True)
    persons_count = models.PositiveSmallIntegerField(_("涉及人数"), default=0)
    problems = models.ManyToManyField(
        "findings.Problem", verbose_name=_("相关问题"), blank=True, related_name="transfers"
    )
    papers = models.ManyToManyField(
        "fieldwork.WorkingPaper", verbose_name=_("相关底稿"), blank=True, related_name="transfers"
    )
    state = models.CharField(_("状态"), max_length=15, choices=TransferState.choices, default=TransferState.SENT)
    sent_on = models.DateField(_("移交日期"))
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    letter = models.ForeignKey("files.StoredFile", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    acknowledged_on = models.DateField(_("签收日期"), null=True, blank=True)
    disposal = models.CharField(_("处置方式"), max_length=15, choices=Disposal.choices, blank=True)
    reported_on = models.DateField(_("反馈日期"), null=True, blank=True)
    result = models.TextField(_("办理结果"), blank=True)
    closed_on = models.DateField(_("办结日期"), null=True, blank=True)

    SCOPE_PATH_FIELD = "receiver__path"

    class Meta:
        verbose_name = _("移交事项")
        verbose_name_plural = _("移交事项")
        ordering = ["-sent_on", "-id"]
        indexes = [
            models.Index(fields=["round", "kind"], name="transfer_round_kind"),
            models.Index(fields=["state", "sent_on"], name="transfer_state_sent"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("transfers:transfer_detail", args=[self.pk])


class TransferAttachment(models.Model):
    """Material in the package (extracts, copies of evidence), stored like any evidence."""

    transfer = models.ForeignKey(Transfer, on_delete=models.CASCADE, related_name="attachments")
    file = models.ForeignKey("files.StoredFile", on_delete=models.PROTECT, related_name="+")
    description = models.CharField(_("说明"), max_length=200, blank=True)

    SCOPE_PATH_FIELD = "transfer__receiver__path"

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.transfer_id} {self.file_id}"


class TransferEvent(TransitionEvent):
    transfer = models.ForeignKey(Transfer, on_delete=models.CASCADE, related_name="events")
    from_state = models.CharField(_("原状态"), max_length=15, choices=TransferState.choices)
    to_state = models.CharField(_("新状态"), max_length=15, choices=TransferState.choices)

    class Meta(TransitionEvent.Meta):
        pass

    def __str__(self) -> str:
        return f"{self.transfer_id} {self.from_state}→{self.to_state}"
