from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    """Base for every domain model: when a row was created and last changed."""

    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        abstract = True


class TransitionEvent(models.Model):
    """One step of a state machine (written by ``Workflow.apply``): who moved the object from which
    state to which, when, and why. Each stateful model's event model inherits this and adds the
    foreign key to its object (and may redeclare the states with their choices)."""

    action = models.CharField(_("操作"), max_length=30)
    from_state = models.CharField(_("原状态"), max_length=20)
    to_state = models.CharField(_("新状态"), max_length=20)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("操作人"), on_delete=models.PROTECT, null=True, related_name="+"
    )
    comment = models.TextField(_("说明"), blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.action} {self.from_state}→{self.to_state}"


class CalendarDay(TimeStampedModel):
    """The office's word on one day, over the statutory calendar (chinese_calendar).

    Needed for years the library does not know yet (the State Council publishes the next year's
    holidays late in the year) and for local arrangements. One row per day; the row wins.
    """

    date = models.DateField(_("日期"), unique=True)
    is_workday = models.BooleanField(_("是否工作日"))
    note = models.CharField(_("说明"), max_length=100)

    class Meta:
        verbose_name = _("工作日历调整")
        verbose_name_plural = _("工作日历调整")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date.isoformat()} {self.note}"


class DeadlineKey(models.TextChoices):
    """The configurable deadlines of domain.md §3. Defaults live in ``xuncha.common.deadlines``."""

    ENTRY_NOTICE = "entry_notice", _("进驻前书面通知被巡察单位")
    RECTIFICATION_PLAN = "rectification_plan", _("反馈后报送整改方案")
    DEMOCRATIC_LIFE_MEETING = "democratic_life_meeting", _("召开巡察整改专题民主生活会")
    RECTIFICATION_REPORT = "rectification_report", _("报送整改情况报告和主要负责人组织落实情况报告")
    TRANSFER_REPORT_BACK = "transfer_report_back", _("移交事项反馈办理情况")
    CLUE_CLOSURE = "clue_closure", _("问题线索和专项治理办结")
    WARNING_GREEN = "warning_green", _("绿色提醒（到期前）")
    WARNING_YELLOW = "warning_yellow", _("黄色预警（到期前）")
    RECTIFICATION_EVALUATION = "rectification_evaluation", _("集中整改期结束后开展整改评估")
    POST_EVALUATION_INTERVIEWS = "post_evaluation_interviews", _("反馈后开展巡后评估谈话")
    RECUSAL_RECENT_YEARS = "recusal_recent_years", _("回避：曾在被巡察单位工作的年限范围")
    RECUSAL_LONG_SERVICE_YEARS = "recusal_long_service_years", _("回避：在被巡察单位连续工作的年限")
    REPORT_ACKNOWLEDGE = "report_acknowledge", _("信访举报告知是否受理（收到后）")
    REPORT_REPLY = "report_reply", _("信访举报办结答复（收到后）")


class DeadlineUnit(models.TextChoices):
    WORKDAYS = "workdays", _("工作日")
    DAYS = "days", _("自然日")
    MONTHS = "months", _("个月")
    YEARS = "years", _("年")


# Catches a typo (days for months, an extra zero) rather than encoding any practice: ten years.
DEADLINE_MAX_AMOUNT = 3650


class DeadlineRule(TimeStampedModel):
    """A jurisdiction's own value for one deadline; without a jurisdiction, the installation's."""

    jurisdiction = models.ForeignKey(
        "accounts.OrgUnit",
        verbose_name=_("适用行政区域"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="deadline_rules",
    )
    key = models.CharField(_("期限事项"), max_length=40, choices=DeadlineKey.choices)
    amount = models.PositiveIntegerField(_("期限数值"))
    unit = models.CharField(_("期限单位"), max_length=10, choices=DeadlineUnit.choices)
    note = models.CharField(_("说明"), max_length=200, blank=True)

    SCOPE_PATH_FIELD = "jurisdiction__path"

    class Meta:
        verbose_name = _("期限规则")
        verbose_name_plural = _("期限规则")
        constraints = [
            models.UniqueConstraint(fields=["jurisdiction", "key"], name="deadlinerule_one_per_jurisdiction"),
            # NULLs are distinct in a unique index, so the installation-wide row needs its own.
            models.UniqueConstraint(
                fields=["key"], condition=models.Q(jurisdiction__isnull=True), name="deadlinerule_one_installation"
            ),
            models.CheckConstraint(
                condition=models.Q(amount__gte=1, amount__lte=DEADLINE_MAX_AMOUNT), name="deadlinerule_amount_range"
            ),
        ]

    def __str__(self) -> str:
        # Outside the f-string: xgettext does not look inside f-strings for msgids.
        scope = self.jurisdiction or _("全系统")
        return f"{scope} · {self.get_key_display()}：{self.amount}{self.get_unit_display()}"
