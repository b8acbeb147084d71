"""Feedback (反馈): the team hands the full problem list to the unit's leadership body and, in
person, to its main leader; copies go to the supervising leader and departments. The day it is
sent starts the unit's rectification clock (deadlines derived from it, never stored)."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from xuncha.common.models import TimeStampedModel


class FeedbackState(models.TextChoices):
    DRAFT = "draft", _("待反馈")
    SENT = "sent", _("已反馈")


class Feedback(TimeStampedModel):
    target = models.OneToOneField(
        "plans.RoundTarget", verbose_name=_("被巡察单位"), on_delete=models.PROTECT, related_name="feedback"
    )
    round = models.ForeignKey("plans.Round", on_delete=models.PROTECT, related_name="feedbacks")
    team = models.ForeignKey("plans.Team", on_delete=models.PROTECT, related_name="feedbacks")
    state = models.CharField(_("状态"), max_length=10, choices=FeedbackState.choices, default=FeedbackState.DRAFT)
    doc_no = models.CharField(_("文号"), max_length=50, blank=True)
    meeting_on = models.DateField(_("反馈会议日期"), null=True, blank=True)
    meeting_place = models.CharField(_("会议地点"), max_length=100, blank=True)
    attendees = models.TextField(_("参会人员"), blank=True)
    main_leader = models.ForeignKey(
        "accounts.Person",
        verbose_name=_("主要负责人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    main_leader_on = models.DateField(_("向主要负责人反馈日期"), null=True, blank=True)
    sent_on = models.DateField(_("反馈日期"), null=True, blank=True)
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    # The opinion as handed over: generated once at sending and kept, so what the unit received is fixed.
    document = models.ForeignKey("files.StoredFile", on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    SCOPE_PATH_FIELD = "target__unit__path"

    class Meta:
        verbose_name = _("巡察反馈")
        verbose_name_plural = _("巡察反馈")
        ordering = ["-sent_on", "round", "team", "id"]
        indexes = [models.Index(fields=["state", "sent_on"], name="feedback_state_sent")]

    def __str__(self) -> str:
        return f"{self.target}"

    def get_absolute_url(self) -> str:
        return reverse("findings:feedback_detail", args=[self.pk])


class CopyKind(models.TextChoices):
    SUPERVISING_LEADER = "supervising_leader", _("分管（联系）县领导")
    SECTOR = "sector", _("行业主管部门")
    DISCIPLINE = "discipline", _("纪委监委")
    ORGANISATION = "organisation", _("组织部")
    OTHER = "other", _("其他")


class FeedbackCopy(models.Model):
    """A copy (抄告) of the feedback: to a body (unit) or a named leader (person)."""

    feedback = models.ForeignKey(Feedback, on_delete=models.CASCADE, related_name="copies")
    kind = models.CharField(_("抄告对象"), max_length=20, choices=CopyKind.choices)
    unit = models.ForeignKey("accounts.OrgUnit", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    person = models.ForeignKey("accounts.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("抄告")
        verbose_name_plural = _("抄告")
        ordering = ["feedback", "kind", "id"]

    def __str__(self) -> str:
        return str(self.person or self.unit or self.get_kind_display())
