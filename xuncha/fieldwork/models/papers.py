"""Working papers (问题底稿): one proven problem each, with numbered evidence and a sign-off."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from xuncha.common.models import TimeStampedModel, TransitionEvent


class PaperState(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已提交组务会")
    TEAM_APPROVED = "team_approved", _("组务会已通过")
    SIGNED = "signed", _("组长已签发")


class WorkingPaper(TimeStampedModel):
    team = models.ForeignKey("plans.Team", on_delete=models.PROTECT, related_name="papers")
    target = models.ForeignKey(
        "plans.RoundTarget", verbose_name=_("巡察对象"), on_delete=models.PROTECT, related_name="papers"
    )
    number = models.PositiveIntegerField(_("编号"))
    title = models.CharField(_("问题标题"), max_length=200)
    state = models.CharField(_("状态"), max_length=20, choices=PaperState.choices, default=PaperState.DRAFT)
    # The facts: time, place, people, amounts.
    occurred = models.CharField(_("发生时间"), max_length=100, blank=True)
    place = models.CharField(_("地点"), max_length=100, blank=True)
    people_involved = models.CharField(_("涉及人员"), max_length=200, blank=True)
    amount = models.DecimalField(_("涉及金额（元）"), max_digits=14, decimal_places=2, null=True, blank=True)
    facts = models.TextField(_("问题事实"), blank=True)
    basis = models.TextField(_("定性依据"), blank=True)
    # Responsibility analysis (责任分析): which kinds apply, and the analysis in words.
    resp_principal = models.BooleanField(_("主体责任"), default=False)
    resp_first = models.BooleanField(_("第一责任人责任"), default=False)
    resp_leading = models.BooleanField(_("主要领导责任"), default=False)
    resp_supervisory = models.BooleanField(_("监督责任"), default=False)
    responsibility = models.TextField(_("责任分析"), blank=True)
    finder = models.ForeignKey(
        "accounts.Person", verbose_name=_("发现人"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    writer = models.ForeignKey(
        "accounts.Person", verbose_name=_("撰写人"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    sources = models.ManyToManyField(
        "fieldwork.FieldRecord", verbose_name=_("依据的谈话、资料等记录"), blank=True, related_name="papers"
    )
    meeting_opinion = models.TextField(_("组务会意见"), blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    signed_on = models.DateField(_("签发日期"), null=True, blank=True)

    SCOPE_PATH_FIELD = "team__round__jurisdiction__path"

    class Meta:
        verbose_name = _("问题底稿")
        verbose_name_plural = _("问题底稿")
        ordering = ["team", "number"]
        constraints = [models.UniqueConstraint(fields=["team", "number"], name="paper_number_unique")]
        indexes = [models.Index(fields=["team", "state"], name="paper_team_state")]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    @property
    def code(self) -> str:
        return f"{self.team.number}-{self.number:03d}"

    def get_absolute_url(self) -> str:
        return reverse("fieldwork:paper_detail", args=[self.pk])


class PaperEvidence(models.Model):
    """Evidence item N of a paper: a stored file, what it shows, the date it refers to."""

    paper = models.ForeignKey(WorkingPaper, on_delete=models.CASCADE, related_name="evidence")
    number = models.PositiveIntegerField(_("证据编号"))
    file = models.ForeignKey("files.StoredFile", on_delete=models.PROTECT, related_name="+")
    description = models.CharField(_("证明内容"), max_length=200)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)

    SCOPE_PATH_FIELD = "paper__team__round__jurisdiction__path"

    class Meta:
        verbose_name = _("证据材料")
        verbose_name_plural = _("证据材料")
        ordering = ["paper", "number"]
        constraints = [models.UniqueConstraint(fields=["paper", "number"], name="evidence_number_unique")]

    def __str__(self) -> str:
        return f"{self.paper.code} 证据{self.number}"


class PaperEvent(TransitionEvent):
    paper = models.ForeignKey(WorkingPaper, on_delete=models.CASCADE, related_name="events")
    from_state = models.CharField(_("原状态"), max_length=20, choices=PaperState.choices)
    to_state = models.CharField(_("新状态"), max_length=20, choices=PaperState.choices)

    class Meta(TransitionEvent.Meta):
        pass

    def __str__(self) -> str:
        return f"{self.paper_id} {self.from_state}→{self.to_state}"
