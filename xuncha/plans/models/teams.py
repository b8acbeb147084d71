"""Inspection teams, their members, recusal overrides and the public announcement per target."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from xuncha.common.models import TimeStampedModel

CHINESE_NUMERALS = "零一二三四五六七八九十"


def team_ordinal(number: int) -> str:
    """第一巡察组 … 第十巡察组, 第十一巡察组 …"""
    if number <= 10:
        return CHINESE_NUMERALS[number]
    tens, ones = divmod(number, 10)
    head = "" if tens == 1 else CHINESE_NUMERALS[tens]
    return f"{head}十{CHINESE_NUMERALS[ones] if ones else ''}"


class TeamRole(models.TextChoices):
    LEADER = "leader", _("组长")
    DEPUTY = "deputy", _("副组长")
    LIAISON = "liaison", _("联络员")
    MEMBER = "member", _("组员")


class Team(TimeStampedModel):
    round = models.ForeignKey("plans.Round", on_delete=models.CASCADE, related_name="teams")
    number = models.PositiveIntegerField(_("组别"))
    # Secretary of the temporary Party branch (临时党支部书记), usually the leader.
    branch_secretary = models.ForeignKey(
        "accounts.Person",
        verbose_name=_("临时党支部书记"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    phone = models.CharField(_("举报电话"), max_length=30, blank=True)
    mailbox = models.CharField(_("邮政信箱"), max_length=100, blank=True)
    email = models.EmailField(_("电子邮箱"), blank=True)
    # 一次一授权: the team's authority ends when its round is archived. The office may grant its
    # members read access again until a date (a look-back, a question from the commission).
    access_until = models.DateField(_("归档后查阅授权至"), null=True, blank=True)
    access_reason = models.CharField(_("授权事由"), max_length=200, blank=True)

    SCOPE_PATH_FIELD = "round__jurisdiction__path"

    class Meta:
        verbose_name = _("巡察组")
        verbose_name_plural = _("巡察组")
        ordering = ["round", "number"]
        constraints = [models.UniqueConstraint(fields=["round", "number"], name="team_number_unique")]

    def __str__(self) -> str:
        return f"第{team_ordinal(self.number)}巡察组"

    def get_absolute_url(self) -> str:
        return reverse("plans:team_detail", args=[self.pk])


class TeamMember(TimeStampedModel):
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="members")
    person = models.ForeignKey(
        "accounts.Person", verbose_name=_("人员"), on_delete=models.PROTECT, related_name="team_memberships"
    )
    role = models.CharField(_("组内职务"), max_length=20, choices=TeamRole.choices, default=TeamRole.MEMBER)
    appraisal_grade = models.CharField(_("本轮考核等次"), max_length=10, blank=True)
    appraisal_note = models.CharField(_("考核评语"), max_length=200, blank=True)

    SCOPE_PATH_FIELD = "team__round__jurisdiction__path"

    class Meta:
        verbose_name = _("巡察组成员")
        verbose_name_plural = _("巡察组成员")
        ordering = ["team", "role", "id"]
        constraints = [models.UniqueConstraint(fields=["team", "person"], name="teammember_unique")]
        indexes = [models.Index(fields=["person", "team"], name="teammember_person")]

    def __str__(self) -> str:
        return f"{self.team} · {self.person} · {self.get_role_display()}"


class RecusalOverride(models.Model):
    """The office head's written justification for keeping a member despite a recusal conflict."""

    member = models.ForeignKey(TeamMember, on_delete=models.CASCADE, related_name="recusal_overrides")
    unit = models.ForeignKey("accounts.OrgUnit", on_delete=models.PROTECT, related_name="+")
    conflicts = models.TextField(_("回避情形"))
    justification = models.TextField(_("不予回避的理由"))
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    SCOPE_PATH_FIELD = "member__team__round__jurisdiction__path"

    class Meta:
        verbose_name = _("回避审批")
        verbose_name_plural = _("回避审批")

    def __str__(self) -> str:
        return f"{self.member} · {self.unit}"


class RecusalDeclaration(TimeStampedModel):
    """A conflict declared by the person (自行申报) or requested by the inspected unit (单位申请回避)."""

    class Source(models.TextChoices):
        SELF = "self", _("本人申报")
        UNIT = "unit", _("被巡察单位申请")

    person = models.ForeignKey(
        "accounts.Person", verbose_name=_("人员"), on_delete=models.PROTECT, related_name="recusal_declarations"
    )
    unit = models.ForeignKey("accounts.OrgUnit", verbose_name=_("单位"), on_delete=models.PROTECT, related_name="+")
    source = models.CharField(_("来源"), max_length=10, choices=Source.choices)
    reason = models.CharField(_("回避事由"), max_length=200)
    withdrawn = models.BooleanField(_("已撤回"), default=False)

    SCOPE_PATH_FIELD = "unit__path"

    class Meta:
        verbose_name = _("回避申报")
        verbose_name_plural = _("回避申报")

    def __str__(self) -> str:
        return f"{self.person} · {self.unit}"


class Announcement(TimeStampedModel):
    """The public announcement (巡察公告) of one team at one unit, with its reporting channels."""

    target = models.OneToOneField("plans.RoundTarget", on_delete=models.CASCADE, related_name="announcement")
    phone = models.CharField(_("举报电话"), max_length=30)
    mailbox = models.CharField(_("邮政信箱"), max_length=100, blank=True)
    email = models.EmailField(_("电子邮箱"), blank=True)
    address = models.CharField(_("来访地址"), max_length=200, blank=True)
    opens_on = models.DateField(_("受理开始"))
    closes_on = models.DateField(_("受理截止"))
    published_on = models.DateField(_("发布日期"), null=True, blank=True)

    SCOPE_PATH_FIELD = "target__round__jurisdiction__path"

    class Meta:
        verbose_name = _("巡察公告")
        verbose_name_plural = _("巡察公告")

    def __str__(self) -> str:
        return f"{self.target} 公告"
