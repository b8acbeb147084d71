"""Supervision of rectification (domain.md §3.8): county leaders' key items (领衔督办), the sector
departments' clean-ups (专项整治) and the escalation letters of the ladder (五书制)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from xuncha.common.models import TimeStampedModel


class LeaderAssignment(TimeStampedModel):
    """The office assigns a key problem to a county leader, who follows it to closure.

    The leader reaches it by this row (membership), not by a role over the unit: a leader sees
    only the items assigned to them."""

    problem = models.ForeignKey(
        "findings.Problem", verbose_name=_("督办问题"), on_delete=models.PROTECT, related_name="leader_assignments"
    )
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("领衔领导"), on_delete=models.PROTECT, related_name="supervised_items"
    )
    note = models.CharField(_("督办要求"), max_length=300, blank=True)
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    revoked_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)

    SCOPE_PATH_FIELD = "problem__target__unit__path"

    class Meta:
        verbose_name = _("领衔督办事项")
        verbose_name_plural = _("领衔督办事项")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["problem", "leader"], condition=Q(revoked_at__isnull=True), name="leader_assignment_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.leader} {self.problem}"

    def get_absolute_url(self) -> str:
        return reverse("rectification:assignment_detail", args=[self.pk])


class LeaderComment(models.Model):
    """What the leader said: an instruction, or an opinion on a closure request (会审销号)."""

    class Kind(models.TextChoices):
        COMMENT = "comment", _("督办意见")
        CONCUR = "concur", _("同意销号")
        OBJECT = "object", _("暂缓销号")

    assignment = models.ForeignKey(LeaderAssignment, on_delete=models.CASCADE, related_name="comments")
    task = models.ForeignKey(
        "rectification.Task",
        verbose_name=_("整改任务"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    kind = models.CharField(_("类别"), max_length=10, choices=Kind.choices, default=Kind.COMMENT)
    text = models.TextField(_("意见"))
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.assignment} {self.kind}"


class CampaignState(models.TextChoices):
    ACTIVE = "active", _("整治中")
    CLOSED = "closed", _("已办结")


class Campaign(TimeStampedModel):
    """A sector clean-up: one problem, or the same problem in several units, given to the sector
    department; each unit's part is a task in that unit's plan (Task.campaign), tracked like any other."""

    jurisdiction = models.ForeignKey(
        "accounts.OrgUnit", verbose_name=_("行政区域"), on_delete=models.PROTECT, related_name="+"
    )
    sector_dept = models.ForeignKey(
        "accounts.OrgUnit", verbose_name=_("牵头行业主管部门"), on_delete=models.PROTECT, related_name="campaigns"
    )
    title = models.CharField(_("专项整治名称"), max_length=100)
    description = models.TextField(_("整治要求"))
    due_on = models.DateField(_("办结时限"))
    state = models.CharField(_("状态"), max_length=10, choices=CampaignState.choices, default=CampaignState.ACTIVE)
    problems = models.ManyToManyField("findings.Problem", verbose_name=_("来源问题"), related_name="campaigns")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    closed_on = models.DateField(_("办结日期"), null=True, blank=True)

    # The sector department's own path: the county's office (an ancestor) sees every campaign of
    # its departments, a department sees only its own.
    SCOPE_PATH_FIELD = "sector_dept__path"

    class Meta:
        verbose_name = _("专项整治")
        verbose_name_plural = _("专项整治")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("rectification:campaign_detail", args=[self.pk])


class CampaignReport(models.Model):
    """The sector department's progress report on its clean-up."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="reports")
    text = models.TextField(_("进展情况"))
    files = models.ManyToManyField("files.StoredFile", verbose_name=_("佐证材料"), blank=True, related_name="+")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)

    SCOPE_PATH_FIELD = "campaign__sector_dept__path"

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.campaign} {self.created_at:%Y-%m-%d}"


class LetterKind(models.TextChoices):
    """五书制, in the order of the ladder."""

    NOTICE = "notice", _("督办通知书")
    GUIDANCE = "guidance", _("阶段整改指导书")
    REMINDER = "reminder", _("催办书")
    WARNING = "warning", _("预警书")
    ACCOUNTABILITY = "accountability", _("问责建议书")


LETTER_ORDER = [k.value for k in LetterKind]


class EscalationLetter(TimeStampedModel):
    """One letter of the ladder sent to a unit, with the overdue tasks it names; the last one
    records the formal talk (约谈)."""

    plan = models.ForeignKey("rectification.RectificationPlan", on_delete=models.PROTECT, related_name="letters")
    kind = models.CharField(_("文书类别"), max_length=16, choices=LetterKind.choices)
    doc_no = models.CharField(_("文号"), max_length=50)
    issued_on = models.DateField(_("印发日期"))
    body = models.TextField(_("督办事项和要求"))
    final_due = models.DateField(_("最后期限"), null=True, blank=True)
    tasks = models.ManyToManyField(
        "rectification.Task", verbose_name=_("涉及整改任务"), blank=True, related_name="letters"
    )
    talk_on = models.DateField(_("约谈日期"), null=True, blank=True)
    talk_place = models.CharField(_("约谈地点"), max_length=100, blank=True)
    talk_attendees = models.CharField(_("参加人员"), max_length=300, blank=True)
    talk_record = models.TextField(_("约谈记录"), blank=True)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")

    SCOPE_PATH_FIELD = "plan__feedback__target__unit__path"

    class Meta:
        verbose_name = _("督办文书")
        verbose_name_plural = _("督办文书")
        ordering = ["issued_on", "id"]
        constraints = [models.UniqueConstraint(fields=["plan", "doc_no"], name="letter_doc_no_unique")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.doc_no}"

    def get_absolute_url(self) -> str:
        return reverse("rectification:letter_detail", args=[self.pk])
