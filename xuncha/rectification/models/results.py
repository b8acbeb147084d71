"""What rectification produced and how it is told (domain.md §3.7): rules made or revised, money
recovered, the special democratic life meeting, the reports to the committee and the disclosures."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from xuncha.common.models import TimeStampedModel

_PLAN = "rectification.RectificationPlan"
_PLAN_SCOPE = "plan__feedback__target__unit__path"


class Mechanism(TimeStampedModel):
    """建章立制: a rule made or revised because of a problem."""

    class Kind(models.TextChoices):
        NEW = "new", _("新建")
        REVISED = "revised", _("修订")

    plan = models.ForeignKey(_PLAN, on_delete=models.PROTECT, related_name="mechanisms")
    task = models.ForeignKey(
        "rectification.Task",
        verbose_name=_("整改任务"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    title = models.CharField(_("制度名称"), max_length=150)
    kind = models.CharField(_("类别"), max_length=8, choices=Kind.choices, default=Kind.NEW)
    doc_no = models.CharField(_("文号"), max_length=50, blank=True)
    issued_on = models.DateField(_("印发日期"))

    SCOPE_PATH_FIELD = _PLAN_SCOPE

    class Meta:
        verbose_name = _("建章立制")
        verbose_name_plural = _("建章立制")
        ordering = ["-issued_on", "-id"]

    def __str__(self) -> str:
        return self.title


class MoneyRecovery(TimeStampedModel):
    """挽回（追缴）经济损失, in yuan."""

    plan = models.ForeignKey(_PLAN, on_delete=models.PROTECT, related_name="recoveries")
    task = models.ForeignKey(
        "rectification.Task",
        verbose_name=_("整改任务"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    amount = models.DecimalField(_("金额（元）"), max_digits=14, decimal_places=2)
    description = models.CharField(_("事项"), max_length=200)
    recovered_on = models.DateField(_("日期"))

    SCOPE_PATH_FIELD = _PLAN_SCOPE

    class Meta:
        verbose_name = _("挽回经济损失")
        verbose_name_plural = _("挽回经济损失")
        ordering = ["-recovered_on", "-id"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="recovery_amount_positive")]

    def __str__(self) -> str:
        return f"{self.description} {self.amount}"


class LifeMeeting(TimeStampedModel):
    """巡察整改专题民主生活会 (within one month of feedback by default)."""

    plan = models.OneToOneField(_PLAN, on_delete=models.PROTECT, related_name="life_meeting")
    held_on = models.DateField(_("召开日期"))
    place = models.CharField(_("地点"), max_length=100)
    chaired_by = models.CharField(_("主持人"), max_length=50)
    attendees = models.CharField(_("参会人员"), max_length=300)
    supervisors = models.CharField(_("督导人员"), max_length=200, blank=True)
    summary = models.TextField(_("会议情况"))

    SCOPE_PATH_FIELD = _PLAN_SCOPE

    class Meta:
        verbose_name = _("整改专题民主生活会")
        verbose_name_plural = _("整改专题民主生活会")

    def __str__(self) -> str:
        return f"{self.plan} {self.held_on.isoformat()}"


class ReportKind(models.TextChoices):
    UNIT = "unit", _("整改情况报告")
    LEADER = "leader", _("主要负责人组织落实整改情况报告")


class PlanReport(TimeStampedModel):
    """The two reports due within two months of feedback, as submitted (the docx is generated from the
    data and kept as it was sent)."""

    plan = models.ForeignKey(_PLAN, on_delete=models.PROTECT, related_name="reports")
    kind = models.CharField(_("报告类别"), max_length=8, choices=ReportKind.choices)
    submitted_on = models.DateField(_("报送日期"))
    file = models.ForeignKey("files.StoredFile", on_delete=models.PROTECT, related_name="+")
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")

    SCOPE_PATH_FIELD = _PLAN_SCOPE

    class Meta:
        verbose_name = _("整改报告")
        verbose_name_plural = _("整改报告")
        ordering = ["submitted_on", "id"]
        constraints = [models.UniqueConstraint(fields=["plan", "kind"], name="plan_report_once")]

    def __str__(self) -> str:
        return f"{self.plan} {self.get_kind_display()}"


class Exemption(models.TextChoices):
    """The five exemptions from disclosure (domain.md §3.7)."""

    SECRET = "secret", _("涉及国家秘密")
    CASE = "case", _("涉及正在审查调查、尚未公开的案件")
    HYPE = "hype", _("可能引发重大负面炒作")
    PETITION = "petition", _("可能引发群体性上访")
    SENSITIVE = "sensitive", _("其他重大敏感事项")


class DisclosureChannel(models.TextChoices):
    IN_PARTY = "in_party", _("党内通报")
    PUBLIC = "public", _("向社会公开")


class DisclosureState(models.TextChoices):
    DRAFT = "draft", _("待审核")
    APPROVED = "approved", _("已审核公开")
    WITHDRAWN = "withdrawn", _("已撤回")


class Disclosure(TimeStampedModel):
    """A disclosure of rectification progress: the unit drafts, the office approves; public texts
    then appear on the public page. Items held back name their exemption."""

    plan = models.ForeignKey(_PLAN, on_delete=models.PROTECT, related_name="disclosures")
    channel = models.CharField(_("公开范围"), max_length=10, choices=DisclosureChannel.choices)
    title = models.CharField(_("标题"), max_length=150)
    text = models.TextField(_("公开内容"))
    exemptions = models.JSONField(_("不予公开事项的理由"), default=list, blank=True)  # [Exemption values]
    exemption_note = models.CharField(_("不予公开说明"), max_length=300, blank=True)
    state = models.CharField(_("状态"), max_length=10, choices=DisclosureState.choices, default=DisclosureState.DRAFT)
    published_on = models.DateField(_("公开日期"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")

    SCOPE_PATH_FIELD = _PLAN_SCOPE

    class Meta:
        verbose_name = _("整改公开")
        verbose_name_plural = _("整改公开")
        ordering = ["-published_on", "-id"]
        indexes = [models.Index(fields=["channel", "state", "published_on"], name="disclosure_public")]

    def __str__(self) -> str:
        return self.title
