"""The committee term's inspection plan (届内巡察规划) and the units it must cover (全覆盖)."""

from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from xuncha.common.models import TimeStampedModel


class TermPlan(TimeStampedModel):
    jurisdiction = models.ForeignKey(
        "accounts.OrgUnit", verbose_name=_("行政区域"), on_delete=models.PROTECT, related_name="term_plans"
    )
    name = models.CharField(_("规划名称"), max_length=100)
    start_year = models.PositiveIntegerField(_("起始年度"))
    end_year = models.PositiveIntegerField(_("截止年度"))
    # The leading group's approval (巡察工作领导小组审议通过).
    approved_on = models.DateField(_("审议通过日期"), null=True, blank=True)
    approval_meeting = models.CharField(_("审议会议"), max_length=100, blank=True)
    minutes = models.ForeignKey(
        "files.StoredFile",
        verbose_name=_("会议纪要"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    SCOPE_PATH_FIELD = "jurisdiction__path"

    class Meta:
        verbose_name = _("届内巡察规划")
        verbose_name_plural = _("届内巡察规划")
        ordering = ["-start_year"]
        constraints = [
            models.CheckConstraint(condition=Q(end_year__gte=F("start_year")), name="termplan_years_in_order"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("plans:term_detail", args=[self.pk])


class TermPlanUnit(models.Model):
    """A unit the term must inspect at least once, optionally with the year planned for it."""

    plan = models.ForeignKey(TermPlan, on_delete=models.CASCADE, related_name="plan_units")
    unit = models.ForeignKey("accounts.OrgUnit", verbose_name=_("单位"), on_delete=models.PROTECT, related_name="+")
    planned_year = models.PositiveIntegerField(_("计划年度"), null=True, blank=True)

    SCOPE_PATH_FIELD = "plan__jurisdiction__path"

    class Meta:
        verbose_name = _("规划覆盖单位")
        verbose_name_plural = _("规划覆盖单位")
        constraints = [models.UniqueConstraint(fields=["plan", "unit"], name="termplanunit_unique")]

    def __str__(self) -> str:
        return f"{self.plan} · {self.unit}"
