"""Problems (巡察发现的问题): assembled by the team from signed working papers.

A problem is what the report lists, the feedback hands over and the unit must rectify. Once fed
back its wording is frozen (the unit rectifies exactly what it was told).
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from xuncha.common.models import TimeStampedModel


class Severity(models.TextChoices):
    GENERAL = "general", _("一般")
    SERIOUS = "serious", _("较重")
    GRAVE = "grave", _("严重")


class Problem(TimeStampedModel):
    round = models.ForeignKey("plans.Round", on_delete=models.PROTECT, related_name="problems")
    target = models.ForeignKey(
        "plans.RoundTarget", verbose_name=_("被巡察单位"), on_delete=models.PROTECT, related_name="problems"
    )
    team = models.ForeignKey("plans.Team", on_delete=models.PROTECT, related_name="problems")
    number = models.PositiveSmallIntegerField(_("序号"))
    title = models.CharField(_("问题"), max_length=200)
    description = models.TextField(_("具体表现"), help_text=_("事实、时间、涉及金额，写法与反馈意见一致。"))
    focus_items = models.ManyToManyField("findings.FocusItem", verbose_name=_("监督重点"), related_name="problems")
    tags = models.ManyToManyField("findings.Tag", verbose_name=_("标签"), blank=True, related_name="problems")
    disciplines = models.JSONField(_("涉及纪律"), default=list, blank=True)
    responsibilities = models.JSONField(_("责任类型"), default=list, blank=True)
    severity = models.CharField(_("严重程度"), max_length=10, choices=Severity.choices, default=Severity.GENERAL)
    people = models.CharField(_("涉及人员"), max_length=500, blank=True)
    papers = models.ManyToManyField("fieldwork.WorkingPaper", verbose_name=_("问题底稿"), related_name="problems")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    SCOPE_PATH_FIELD = "round__jurisdiction__path"

    class Meta:
        verbose_name = _("巡察发现问题")
        verbose_name_plural = _("巡察发现问题")
        ordering = ["target", "number"]
        constraints = [models.UniqueConstraint(fields=["target", "number"], name="problem_number_unique")]
        indexes = [models.Index(fields=["round", "team"], name="problem_round_team")]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("findings:problem_detail", args=[self.pk])
