"""After the concentrated period (domain.md §3.9–§3.10): return visits, the evaluation sheet and its
grade, accountability for failure to rectify."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from xuncha.common.models import TimeStampedModel

_PLAN = "rectification.RectificationPlan"
_PLAN_SCOPE = "plan__feedback__target__unit__path"


class ReturnVisit(TimeStampedModel):
    """回访督查: the office goes back and records what it found; a finding may reopen a closed task."""

    plan = models.ForeignKey(_PLAN, on_delete=models.PROTECT, related_name="visits")
    visited_on = models.DateField(_("回访日期"))
    visitors = models.CharField(_("回访人员"), max_length=200)
    summary = models.TextField(_("回访情况"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")

    SCOPE_PATH_FIELD = _PLAN_SCOPE

    class Meta:
        verbose_name = _("回访督查")
        verbose_name_plural = _("回访督查")
        ordering = ["-visited_on", "-id"]

    def __str__(self) -> str:
        return f"{self.plan} {self.visited_on.isoformat()}"

    def get_absolute_url(self) -> str:
        return reverse("rectification:visit_detail", args=[self.pk])


class VisitFinding(models.Model):
    visit = models.ForeignKey(ReturnVisit, on_delete=models.CASCADE, related_name="findings")
    task = models.ForeignKey(
        "rectification.Task",
        verbose_name=_("整改任务"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="visit_findings",
    )
    text = models.TextField(_("发现的问题"))
    reopened = models.BooleanField(_("重新整改"), default=False)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.text[:40]


class EvaluationSheet(TimeStampedModel):
    """The indicator sheet (整改评估指标): 100 points, each item with its maximum deduction; grades
    by total. ``jurisdiction`` empty: the default every county starts from; an office may version its own."""

    jurisdiction = models.ForeignKey(
        "accounts.OrgUnit",
        verbose_name=_("行政区域"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    name = models.CharField(_("名称"), max_length=100)
    version = models.PositiveSmallIntegerField(_("版本"), default=1)
    # [{"code": "A1", "label": "...", "points": 10, "guidance": "..."}]; the points add up to 100.
    items = models.JSONField(_("评估指标"))
    good_from = models.PositiveSmallIntegerField(_("“好”等次最低分"), default=90)
    fair_from = models.PositiveSmallIntegerField(_("“较好”等次最低分"), default=80)
    pass_from = models.PositiveSmallIntegerField(_("“一般”等次最低分"), default=60)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("整改评估指标表")
        verbose_name_plural = _("整改评估指标表")
        ordering = ["jurisdiction_id", "-version"]

    def __str__(self) -> str:
        return f"{self.name} v{self.version}"


class Grade(models.TextChoices):
    GOOD = "good", _("好")
    FAIR = "fair", _("较好")
    PASS = "pass", _("一般")
    POOR = "poor", _("差")


class Evaluation(TimeStampedModel):
    """One unit's rectification scored on a sheet. The total and the grade are read from the
    deductions and the sheet, never stored; "差" proposes a look-back round."""

    plan = models.OneToOneField(_PLAN, on_delete=models.PROTECT, related_name="evaluation")
    sheet = models.ForeignKey(EvaluationSheet, verbose_name=_("评估指标表"), on_delete=models.PROTECT, related_name="+")
    # {"A1": {"deduct": 2, "reason": "..."}}
    deductions = models.JSONField(_("扣分"), default=dict, blank=True)
    evaluated_on = models.DateField(_("评估日期"))
    comment = models.TextField(_("评估意见"), blank=True)
    evaluator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    lookback_round = models.ForeignKey(
        "plans.Round", verbose_name=_("回头看轮次"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    SCOPE_PATH_FIELD = _PLAN_SCOPE

    class Meta:
        verbose_name = _("整改评估")
        verbose_name_plural = _("整改评估")

    def __str__(self) -> str:
        return f"{self.plan} {self.evaluated_on.isoformat()}"

    @property
    def total(self) -> Decimal:
        deducted = sum((Decimal(str(v.get("deduct", 0))) for v in self.deductions.values()), Decimal(0))
        return Decimal(100) - deducted

    @property
    def grade(self) -> str:
        total, sheet = self.total, self.sheet
        if total >= sheet.good_from:
            return Grade.GOOD
        if total >= sheet.fair_from:
            return Grade.FAIR
        if total >= sheet.pass_from:
            return Grade.PASS
        return Grade.POOR

    def get_grade_display(self) -> str:
        return str(Grade(self.grade).label)


class SubjectKind(models.TextChoices):
    ORGANISATION = "org", _("党组织")
    CADRE = "cadre", _("党员干部")


class AccountabilityForm(models.TextChoices):
    # For organisations
    INSPECTION = "inspection", _("责令检查")
    ORG_CIRCULAR = "org_circular", _("通报（党组织）")
    REORGANISE = "reorganise", _("改组")
    # For cadres
    CRITICISM = "criticism", _("批评教育")
    TALK = "talk", _("约谈")
    CIRCULAR = "circular", _("通报批评")
    ADMONISH = "admonish", _("诫勉")
    ORG_ACTION = "org_action", _("组织调整或组织处理")
    DISCIPLINE = "discipline", _("纪律处分")


FORMS_BY_SUBJECT = {
    SubjectKind.ORGANISATION: (
        AccountabilityForm.INSPECTION,
        AccountabilityForm.ORG_CIRCULAR,
        AccountabilityForm.REORGANISE,
    ),
    SubjectKind.CADRE: (
        AccountabilityForm.CRITICISM,
        AccountabilityForm.TALK,
        AccountabilityForm.CIRCULAR,
        AccountabilityForm.ADMONISH,
        AccountabilityForm.ORG_ACTION,
        AccountabilityForm.DISCIPLINE,
    ),
}


class Accountability(TimeStampedModel):
    """问责: who (an organisation or a cadre), for which problems, in what form, by whom decided."""

    plan = models.ForeignKey(_PLAN, on_delete=models.PROTECT, related_name="accountabilities")
    subject_kind = models.CharField(_("问责对象类别"), max_length=5, choices=SubjectKind.choices)
    subject_name = models.CharField(_("问责对象"), max_length=100)
    position = models.CharField(_("职务"), max_length=100, blank=True)
    problems = models.ManyToManyField("findings.Problem", verbose_name=_("涉及问题"), related_name="accountabilities")
    form = models.CharField(_("问责方式"), max_length=12, choices=AccountabilityForm.choices)
    deciding_body = models.CharField(_("决定机关"), max_length=100)
    doc_no = models.CharField(_("决定文号"), max_length=50)
    decided_on = models.DateField(_("决定日期"))
    note = models.TextField(_("备注"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")

    SCOPE_PATH_FIELD = _PLAN_SCOPE

    class Meta:
        verbose_name = _("问责情况")
        verbose_name_plural = _("问责情况")
        ordering = ["-decided_on", "-id"]
        indexes = [models.Index(fields=["form", "decided_on"], name="accountability_form_date")]

    def __str__(self) -> str:
        return f"{self.subject_name} {self.get_form_display()}"
