"""What a team does on site, in one shape: interviews, document requests, site visits, special
checks and questionnaires. Kind-specific fields are optional and checked by the service."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from xuncha.common.models import TimeStampedModel


class RecordKind(models.TextChoices):
    INTERVIEW = "interview", _("个别谈话")
    DOCUMENTS = "documents", _("调阅资料")
    VISIT = "visit", _("实地走访")
    SPECIAL_CHECK = "special_check", _("专项检查")
    QUESTIONNAIRE = "questionnaire", _("问卷调查与民主测评")


class InterviewCategory(models.TextChoices):
    """Whom a team talks to (the planned interview list is kept by these categories)."""

    MAIN_LEADER = "main_leader", _("党组织主要负责人")
    LEADERSHIP = "leadership", _("领导班子成员")
    DISCIPLINE = "discipline", _("纪检监察负责人")
    ORGANISATION = "organisation", _("组织人事负责人")
    MIDDLE = "middle", _("中层干部")
    SUBORDINATE = "subordinate", _("下一级党组织主要负责人")
    CADRE = "cadre", _("一般干部职工")
    RETIRED = "retired", _("离退休干部")
    PUBLIC = "public", _("群众")


class FieldRecord(TimeStampedModel):
    team = models.ForeignKey("plans.Team", on_delete=models.PROTECT, related_name="field_records")
    target = models.ForeignKey(
        "plans.RoundTarget", verbose_name=_("巡察对象"), on_delete=models.PROTECT, related_name="field_records"
    )
    kind = models.CharField(_("类别"), max_length=20, choices=RecordKind.choices)
    title = models.CharField(_("事项"), max_length=200)
    planned = models.BooleanField(_("计划中"), default=False, help_text=_("勾选表示尚未进行，列入工作计划"))
    occurred_on = models.DateField(_("日期"), null=True, blank=True)
    place = models.CharField(_("地点"), max_length=100, blank=True)
    content = models.TextField(_("记录内容"), blank=True)
    # interviews
    interviewee = models.ForeignKey(
        "accounts.Person", verbose_name=_("谈话对象"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    interviewee_name = models.CharField(_("谈话对象（未登记人员）"), max_length=50, blank=True)
    category = models.CharField(_("谈话对象类别"), max_length=20, choices=InterviewCategory.choices, blank=True)
    interviewers = models.ManyToManyField(
        "accounts.Person", verbose_name=_("谈话人"), blank=True, related_name="interviews_held"
    )
    confirmed_on = models.DateField(_("谈话对象签字确认日期"), null=True, blank=True)
    # document requests
    provider = models.CharField(_("提供部门或人员"), max_length=100, blank=True)
    handed_over_on = models.DateField(_("调取日期"), null=True, blank=True)
    returned_on = models.DateField(_("归还日期"), null=True, blank=True)
    attachments = models.ManyToManyField("files.StoredFile", verbose_name=_("附件"), blank=True, related_name="+")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")

    SCOPE_PATH_FIELD = "team__round__jurisdiction__path"

    class Meta:
        verbose_name = _("现场工作记录")
        verbose_name_plural = _("现场工作记录")
        ordering = ["planned", "-occurred_on", "-id"]
        indexes = [models.Index(fields=["team", "kind"], name="fieldrecord_team_kind")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.title}"

    def get_absolute_url(self) -> str:
        return reverse("fieldwork:record_detail", args=[self.pk])
