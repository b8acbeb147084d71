"""Post-inspection evaluation (巡察后评估, domain.md §5): the inspected unit rates the team on an
anonymous questionnaire; the office combines that with the team's results into a team score.

Anonymity by construction: an ``Answer`` has no user, no address, no time of day and no link to
the token that opened it. An unused token is a ``SurveyToken`` row (kept so the sheet can be
printed again); answering deletes that row and records only the token's hash in ``UsedToken``,
a table with no survey-independent order and no reference to the answer.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from xuncha.common.models import TimeStampedModel


class Scale(models.TextChoices):
    FIVE = "five", _("五级评分（1—5分）")
    GRADE = "grade", _("四档评价（好/较好/一般/差）")


class Questionnaire(TimeStampedModel):
    """One version of the questionnaire of a jurisdiction (none: the system default). Versions are
    never edited once published: a survey keeps the version it was opened with."""

    jurisdiction = models.ForeignKey(
        "accounts.OrgUnit",
        verbose_name=_("行政区域"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    version = models.PositiveIntegerField(_("版本"))
    title = models.CharField(_("名称"), max_length=100)
    scale = models.CharField(_("评价方式"), max_length=10, choices=Scale.choices, default=Scale.GRADE)
    comment_prompt = models.CharField(_("意见建议提示语"), max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")

    SCOPE_PATH_FIELD = "jurisdiction__path"

    class Meta:
        verbose_name = _("评估问卷")
        verbose_name_plural = _("评估问卷")
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(fields=["jurisdiction", "version"], name="questionnaire_version_unique"),
            models.UniqueConstraint(
                fields=["version"], condition=Q(jurisdiction__isnull=True), name="questionnaire_default_version_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title}（第{self.version}版）"


class Aspect(models.Model):
    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE, related_name="aspects")
    order = models.PositiveSmallIntegerField(_("序号"))
    name = models.CharField(_("评价方面"), max_length=50)

    class Meta:
        verbose_name = _("评价方面")
        verbose_name_plural = _("评价方面")
        ordering = ["questionnaire", "order"]

    def __str__(self) -> str:
        return self.name


class Item(models.Model):
    aspect = models.ForeignKey(Aspect, on_delete=models.CASCADE, related_name="items")
    order = models.PositiveSmallIntegerField(_("序号"))
    text = models.CharField(_("评价内容"), max_length=200)

    class Meta:
        verbose_name = _("评价项目")
        verbose_name_plural = _("评价项目")
        ordering = ["aspect", "order"]

    def __str__(self) -> str:
        return self.text


class ScoringRule(TimeStampedModel):
    """How a team's score is made (weights out of 100, benchmarks, the flag threshold); one row per
    jurisdiction, the row without a jurisdiction is the default (data migration 0002)."""

    jurisdiction = models.OneToOneField(
        "accounts.OrgUnit",
        verbose_name=_("行政区域"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    w_survey = models.PositiveSmallIntegerField(_("问卷测评权重"), default=50)
    w_problems = models.PositiveSmallIntegerField(_("发现问题权重"), default=20)
    w_cases = models.PositiveSmallIntegerField(_("线索成案权重"), default=10)
    w_rectify = models.PositiveSmallIntegerField(_("整改完成率权重"), default=20)
    problems_per_unit = models.PositiveSmallIntegerField(_("每个单位发现问题基准数"), default=8)
    cases_target = models.PositiveSmallIntegerField(_("线索立案审查基准数"), default=2)
    threshold = models.PositiveSmallIntegerField(_("预警分数线"), default=70)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")

    SCOPE_PATH_FIELD = "jurisdiction__path"

    class Meta:
        verbose_name = _("巡察组评定规则")
        verbose_name_plural = _("巡察组评定规则")

    def __str__(self) -> str:
        return str(self.jurisdiction or _("默认规则"))


class SurveyState(models.TextChoices):
    OPEN = "open", _("测评中")
    CLOSED = "closed", _("已结束")


class Survey(TimeStampedModel):
    """The questionnaire handed out at one unit's feedback meeting about the team that inspected it."""

    target = models.OneToOneField(
        "plans.RoundTarget", verbose_name=_("被巡察单位"), on_delete=models.PROTECT, related_name="survey"
    )
    team = models.ForeignKey("plans.Team", verbose_name=_("巡察组"), on_delete=models.PROTECT, related_name="surveys")
    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.PROTECT, related_name="surveys")
    state = models.CharField(_("状态"), max_length=10, choices=SurveyState.choices, default=SurveyState.OPEN)
    issued = models.PositiveSmallIntegerField(_("发放份数"))
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    closed_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    SCOPE_PATH_FIELD = "target__round__jurisdiction__path"

    class Meta:
        verbose_name = _("巡后评估测评")
        verbose_name_plural = _("巡后评估测评")
        ordering = ["target__round", "team", "id"]

    def __str__(self) -> str:
        return f"{self.target.unit} · {self.team}"


class SurveyToken(models.Model):
    """An unused one-time link. Deleted when used; on closing, its token is blanked."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="tokens")
    serial = models.PositiveSmallIntegerField(_("编号"))
    token = models.CharField(max_length=64, blank=True)
    token_hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["survey", "serial"]
        constraints = [models.UniqueConstraint(fields=["survey", "serial"], name="surveytoken_serial_unique")]

    def __str__(self) -> str:
        return f"{self.survey_id}-{self.serial}"


class UsedToken(models.Model):
    """The hash of a used token, so a second use is refused; nothing links it to an answer."""

    token_hash = models.CharField(max_length=64, primary_key=True)
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="+")

    def __str__(self) -> str:
        return self.token_hash[:12]


class Answer(models.Model):
    """One anonymous filled-in questionnaire. Only the day is kept (for the record), not the time."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="answers")
    comment = models.TextField(_("意见建议"), blank=True)
    answered_on = models.DateField(_("填写日期"))

    class Meta:
        verbose_name = _("评估答卷")
        verbose_name_plural = _("评估答卷")

    def __str__(self) -> str:
        return f"{self.survey_id}:{self.pk}"


class AnswerItem(models.Model):
    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="items")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+")
    value = models.PositiveSmallIntegerField(_("选项"))
    score = models.PositiveSmallIntegerField(_("折合分"))  # out of 100, see scoring.SCALE_SCORES

    class Meta:
        constraints = [models.UniqueConstraint(fields=["answer", "item"], name="answeritem_unique")]

    def __str__(self) -> str:
        return f"{self.answer_id}:{self.item_id}={self.value}"


class TeamAppraisal(TimeStampedModel):
    """The office's evaluation of a team for its round: the figures as computed, the formula used,
    and what was done about a flag (a talk, 约谈/谈话提醒)."""

    team = models.OneToOneField(
        "plans.Team", verbose_name=_("巡察组"), on_delete=models.PROTECT, related_name="appraisal"
    )
    responses = models.PositiveIntegerField(_("答卷数"), default=0)
    survey_score = models.DecimalField(_("问卷测评得分"), max_digits=4, decimal_places=1, null=True, blank=True)
    units = models.PositiveSmallIntegerField(_("巡察单位数"), default=0)
    problems = models.PositiveIntegerField(_("反馈问题数"), default=0)
    cases = models.PositiveIntegerField(_("线索立案审查数"), default=0)
    rectified = models.PositiveIntegerField(_("已完成整改问题数"), default=0)
    total = models.DecimalField(_("综合得分"), max_digits=4, decimal_places=1, null=True, blank=True)
    rule = models.JSONField(_("评定规则"), default=dict)
    threshold = models.PositiveSmallIntegerField(_("预警分数线"))
    flagged = models.BooleanField(_("需关注"), default=False)
    flag_reasons = models.JSONField(_("关注原因"), default=list)
    computed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    handled_on = models.DateField(_("处理日期"), null=True, blank=True)
    handled_note = models.TextField(_("处理情况"), blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    SCOPE_PATH_FIELD = "team__round__jurisdiction__path"

    class Meta:
        verbose_name = _("巡察组评定")
        verbose_name_plural = _("巡察组评定")
        indexes = [models.Index(fields=["flagged", "handled_on"], name="teamappraisal_flag")]

    def __str__(self) -> str:
        return f"{self.team.round} · {self.team}"
