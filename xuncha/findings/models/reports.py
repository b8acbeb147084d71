"""The team's reports and their review chain (domain.md §3.4).

Kinds: the inspection report (巡察报告, one per inspected unit), a thematic report (专题报告) and
the clue report (问题线索报告). Each is a series of Word versions; the chain team meeting → leader
→ office-and-team joint review (组办会商) → leading group → secretary's special meeting records a
decision at every step, and a return sends it back for a new version.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from xuncha.common.models import TimeStampedModel, TransitionEvent


class DraftKind(models.TextChoices):
    INSPECTION = "inspection", _("巡察报告")
    THEMATIC = "thematic", _("专题报告")
    CLUE = "clue", _("问题线索报告")


class DraftState(models.TextChoices):
    DRAFT = "draft", _("起草中")
    TEAM_MEETING = "team_meeting", _("待组务会审议")
    LEADER = "leader", _("待组长审定")
    JOINT_REVIEW = "joint_review", _("待组办会商")
    LEADING_GROUP = "leading_group", _("待领导小组会议审议")
    SECRETARY = "secretary", _("待书记专题会审议")
    APPROVED = "approved", _("已审定")
    RETURNED = "returned", _("退回修改")


class InspectionReport(TimeStampedModel):
    round = models.ForeignKey("plans.Round", on_delete=models.PROTECT, related_name="inspection_reports")
    team = models.ForeignKey("plans.Team", on_delete=models.PROTECT, related_name="inspection_reports")
    # The unit it reports on (inspection and clue reports); a thematic report may span the team's units.
    target = models.ForeignKey(
        "plans.RoundTarget",
        verbose_name=_("被巡察单位"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="inspection_reports",
    )
    kind = models.CharField(_("类别"), max_length=12, choices=DraftKind.choices)
    title = models.CharField(_("标题"), max_length=200)
    theme = models.CharField(_("专题"), max_length=100, blank=True)
    state = models.CharField(_("状态"), max_length=20, choices=DraftState.choices, default=DraftState.DRAFT)
    approved_on = models.DateField(_("审定日期"), null=True, blank=True)

    SCOPE_PATH_FIELD = "round__jurisdiction__path"

    class Meta:
        verbose_name = _("巡察报告")
        verbose_name_plural = _("巡察报告")
        ordering = ["round", "team", "kind", "id"]
        indexes = [models.Index(fields=["round", "state"], name="draft_round_state")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("findings:draft_detail", args=[self.pk])


class ReportVersion(models.Model):
    class Source(models.TextChoices):
        GENERATED = "generated", _("系统生成")
        UPLOADED = "uploaded", _("上传修改稿")

    report = models.ForeignKey(InspectionReport, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField(_("版本"))
    source = models.CharField(_("来源"), max_length=10, choices=Source.choices)
    file = models.ForeignKey("files.StoredFile", on_delete=models.PROTECT, related_name="+")
    note = models.CharField(_("修改说明"), max_length=500, blank=True)
    # What the version says, kept when it is made: the written parts and the problems (generated
    # versions), or what could be read from the team's Word file (uploaded), and its paragraphs;
    # see xuncha/findings/documents/content.py. Empty on versions made before it was kept.
    snapshot = models.JSONField(_("内容快照"), default=dict, blank=True)
    # sha256 of the paragraphs (dates of signing left out): a new version must say something else.
    content_hash = models.CharField(_("内容摘要"), max_length=64, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)

    SCOPE_PATH_FIELD = "report__round__jurisdiction__path"

    class Meta:
        verbose_name = _("报告版本")
        verbose_name_plural = _("报告版本")
        ordering = ["report", "-number"]
        constraints = [models.UniqueConstraint(fields=["report", "number"], name="report_version_unique")]

    def __str__(self) -> str:
        return f"{self.report} 第{self.number}稿"


class ReviewDecision(models.Model):
    """One step of the chain: who decided what on which version, at which meeting, with minutes."""

    report = models.ForeignKey(InspectionReport, on_delete=models.CASCADE, related_name="decisions")
    version = models.ForeignKey(ReportVersion, on_delete=models.PROTECT, related_name="decisions")
    action = models.CharField(_("操作"), max_length=20)
    from_state = models.CharField(_("原状态"), max_length=20, choices=DraftState.choices)
    to_state = models.CharField(_("新状态"), max_length=20, choices=DraftState.choices)
    decided_on = models.DateField(_("会议日期"))
    meeting = models.CharField(_("会议"), max_length=100)
    decision = models.TextField(_("审议意见"))
    minutes = models.ForeignKey(
        "files.StoredFile",
        verbose_name=_("会议纪要"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    created_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("审议记录")
        verbose_name_plural = _("审议记录")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.report} {self.from_state}→{self.to_state}"


class DraftEvent(TransitionEvent):
    """Every step of the chain, submission included (the meeting's decision is the ReviewDecision)."""

    report = models.ForeignKey(InspectionReport, on_delete=models.CASCADE, related_name="events")
    from_state = models.CharField(_("原状态"), max_length=20, choices=DraftState.choices)
    to_state = models.CharField(_("新状态"), max_length=20, choices=DraftState.choices)

    class Meta(TransitionEvent.Meta):
        verbose_name = _("报告流转记录")
        verbose_name_plural = _("报告流转记录")

    def __str__(self) -> str:
        return f"{self.report_id} {self.from_state}→{self.to_state}"
