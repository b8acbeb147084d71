"""Rounds (轮次) and their targets. A target is one unit inspected in one mode by one team."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from xuncha.common.models import TimeStampedModel, TransitionEvent


class RoundState(models.TextChoices):
    DRAFT = "draft", _("草拟")
    APPROVED = "approved", _("已批准")
    PREPARING = "preparing", _("准备中")
    ON_SITE = "on_site", _("进驻中")
    REPORTING = "reporting", _("报告阶段")
    FEEDBACK_DONE = "feedback_done", _("已反馈")
    RECTIFYING = "rectifying", _("整改中")
    EVALUATED = "evaluated", _("已评估")
    ARCHIVED = "archived", _("已归档")


class RoundMode(models.TextChoices):
    REGULAR = "regular", _("常规巡察")
    THEMATIC = "thematic", _("专项巡察")
    MOBILE = "mobile", _("机动巡察")
    LOOK_BACK = "look_back", _("巡察“回头看”")
    CROSS = "cross", _("交叉巡察")
    ESCALATED = "escalated", _("提级巡察")
    VILLAGE = "village", _("村(社区)巡察")


class Round(TimeStampedModel):
    jurisdiction = models.ForeignKey(
        "accounts.OrgUnit", verbose_name=_("行政区域"), on_delete=models.PROTECT, related_name="rounds"
    )
    term_plan = models.ForeignKey(
        "plans.TermPlan",
        verbose_name=_("届内规划"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="rounds",
    )
    year = models.PositiveIntegerField(_("年度"))
    number = models.PositiveIntegerField(_("轮次"))
    name = models.CharField(_("名称"), max_length=100)
    state = models.CharField(_("状态"), max_length=20, choices=RoundState.choices, default=RoundState.DRAFT)
    # The focus list (巡察重点) arrives with the problems issue; until then its name is recorded.
    # The version of the focus list problems are classified against (domain.md §4); kept for good.
    focus_list = models.ForeignKey(
        "findings.FocusList",
        verbose_name=_("巡察监督重点"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="rounds",
    )
    entry_date = models.DateField(_("进驻日期"))
    exit_date = models.DateField(_("撤离日期"))
    approved_on = models.DateField(_("批准日期"), null=True, blank=True)
    approval_meeting = models.CharField(_("批准会议"), max_length=100, blank=True)
    feedback_date = models.DateField(_("反馈日期"), null=True, blank=True)

    SCOPE_PATH_FIELD = "jurisdiction__path"

    class Meta:
        verbose_name = _("巡察轮次")
        verbose_name_plural = _("巡察轮次")
        ordering = ["-year", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["jurisdiction", "year", "number"], name="round_number_unique"),
            models.CheckConstraint(condition=Q(exit_date__gte=F("entry_date")), name="round_dates_in_order"),
        ]
        indexes = [models.Index(fields=["jurisdiction", "state"], name="round_jur_state")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("plans:round_detail", args=[self.pk])


class RoundTarget(TimeStampedModel):
    """One unit inspected in a round: its mode, the team covering it and the on-site dates (一托N)."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="targets")
    unit = models.ForeignKey(
        "accounts.OrgUnit", verbose_name=_("被巡察单位"), on_delete=models.PROTECT, related_name="+"
    )
    mode = models.CharField(_("巡察方式"), max_length=20, choices=RoundMode.choices, default=RoundMode.REGULAR)
    theme = models.CharField(_("专项主题"), max_length=100, blank=True)
    original_round = models.ForeignKey(
        Round,
        verbose_name=_("原巡察轮次"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="look_backs",
    )
    team = models.ForeignKey(
        "plans.Team", verbose_name=_("巡察组"), on_delete=models.PROTECT, null=True, blank=True, related_name="targets"
    )
    entry_date = models.DateField(_("进驻日期"), null=True, blank=True)
    exit_date = models.DateField(_("撤离日期"), null=True, blank=True)

    SCOPE_PATH_FIELD = "round__jurisdiction__path"

    class Meta:
        verbose_name = _("巡察对象")
        verbose_name_plural = _("巡察对象")
        constraints = [
            models.UniqueConstraint(fields=["round", "unit"], name="roundtarget_unique"),
            models.CheckConstraint(
                condition=Q(exit_date__isnull=True) | Q(entry_date__isnull=True) | Q(exit_date__gte=F("entry_date")),
                name="roundtarget_dates_in_order",
            ),
        ]
        indexes = [models.Index(fields=["unit", "entry_date"], name="roundtarget_unit_entry")]

    def __str__(self) -> str:
        return f"{self.round} · {self.unit}"

    @property
    def on_site_from(self):
        return self.entry_date or self.round.entry_date

    @property
    def on_site_to(self):
        return self.exit_date or self.round.exit_date


class RoundEvent(TransitionEvent):
    """One transition of a round: who moved it from which state to which, when, and why."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="events")
    from_state = models.CharField(_("原状态"), max_length=20, choices=RoundState.choices)
    to_state = models.CharField(_("新状态"), max_length=20, choices=RoundState.choices)

    class Meta(TransitionEvent.Meta):
        verbose_name = _("轮次流转记录")
        verbose_name_plural = _("轮次流转记录")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.round} {self.from_state}→{self.to_state}"


class BriefingSource(models.TextChoices):
    DISCIPLINE = "discipline", _("纪委监委")
    ORGANISATION = "organisation", _("组织部")
    AUDIT = "audit", _("审计机关")
    PETITION = "petition", _("信访部门")
    OTHER = "other", _("其他部门")


class Briefing(TimeStampedModel):
    """A pre-entry briefing (进驻前情况通报) filed with a round by a supervising body."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="briefings")
    source = models.CharField(_("通报部门"), max_length=20, choices=BriefingSource.choices)
    title = models.CharField(_("标题"), max_length=200)
    summary = models.TextField(_("主要内容"), blank=True)
    filed_on = models.DateField(_("通报日期"))
    attachments = models.ManyToManyField("files.StoredFile", verbose_name=_("附件"), blank=True, related_name="+")
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")

    SCOPE_PATH_FIELD = "round__jurisdiction__path"

    class Meta:
        verbose_name = _("进驻前情况通报")
        verbose_name_plural = _("进驻前情况通报")
        ordering = ["filed_on", "id"]

    def __str__(self) -> str:
        return self.title


def focus_lists() -> models.QuerySet:
    """The focus lists a round may be classified by (巡察重点清单). They are findings' rows, which
    come later in the lifecycle: reached through the round's own foreign key, not by importing
    findings, so plans stays below findings."""
    return Round._meta.get_field("focus_list").related_model._default_manager.all()
