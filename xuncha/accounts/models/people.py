"""People (cadres), their posts over time and the relationships between them.

Posts and relationships feed the recusal check (回避) of team assignments: who works or worked
where, who is related to whom, who was whose direct superior. Personal data is kept minimal on
purpose: no ID numbers, no birth dates, no addresses.
"""

from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from xuncha.common.models import TimeStampedModel


class Gender(models.TextChoices):
    MALE = "M", _("男")
    FEMALE = "F", _("女")


class Person(TimeStampedModel):
    name = models.CharField(_("姓名"), max_length=50)
    gender = models.CharField(_("性别"), max_length=1, choices=Gender.choices)
    # The unit that "owns" the record for access scoping: usually the unit of the current post.
    unit = models.ForeignKey(
        "accounts.OrgUnit", verbose_name=_("所在单位"), on_delete=models.PROTECT, related_name="people"
    )
    is_active = models.BooleanField(_("在职"), default=True)

    SCOPE_PATH_FIELD = "unit__path"

    class Meta:
        verbose_name = _("人员")
        verbose_name_plural = _("人员")
        indexes = [models.Index(fields=["unit", "name"], name="person_unit_name")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("accounts:person_detail", args=[self.pk])


class Post(TimeStampedModel):
    """One post a person holds or held: unit, title, dates. ``end_date`` empty = current."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="posts")
    unit = models.ForeignKey(
        "accounts.OrgUnit", verbose_name=_("任职单位"), on_delete=models.PROTECT, related_name="posts"
    )
    title = models.CharField(_("职务"), max_length=60)
    is_leadership_member = models.BooleanField(_("领导班子成员"), default=False)
    is_main_leader = models.BooleanField(_("主要负责人"), default=False)
    start_date = models.DateField(_("任职开始"))
    end_date = models.DateField(_("任职结束"), null=True, blank=True)

    SCOPE_PATH_FIELD = "unit__path"

    class Meta:
        verbose_name = _("任职")
        verbose_name_plural = _("任职")
        ordering = ["-start_date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="post_dates_in_order",
            ),
            models.CheckConstraint(
                condition=Q(is_main_leader=False) | Q(is_leadership_member=True),
                name="post_main_leader_is_member",
            ),
        ]
        indexes = [models.Index(fields=["unit", "end_date"], name="post_unit_end")]

    def __str__(self) -> str:
        return f"{self.unit} {self.title}"

    @property
    def is_current(self) -> bool:
        return self.end_date is None


class RelationKind(models.TextChoices):
    SPOUSE = "spouse", _("夫妻关系")
    PARENT_CHILD = "parent_child", _("父母子女关系")
    SIBLING = "sibling", _("兄弟姐妹关系")
    COLLATERAL = "collateral", _("三代以内旁系血亲")
    IN_LAW = "in_law", _("近姻亲关系")
    SUPERIOR = "superior", _("曾为直接上下级")


# Kinds where the direction does not matter; the service stores them with the lower id first
# so that (A, B) and (B, A) cannot both exist.
SYMMETRIC_KINDS = frozenset({RelationKind.SPOUSE, RelationKind.SIBLING, RelationKind.COLLATERAL, RelationKind.IN_LAW})


class Relationship(TimeStampedModel):
    """A relation between two people. For directed kinds, ``person`` is the parent / superior."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="relations_from")
    relative = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="relations_to")
    kind = models.CharField(_("关系"), max_length=20, choices=RelationKind.choices)
    note = models.CharField(_("说明"), max_length=200, blank=True)

    SCOPE_PATH_FIELD = "person__unit__path"

    class Meta:
        verbose_name = _("人员关系")
        verbose_name_plural = _("人员关系")
        constraints = [
            models.UniqueConstraint(fields=["person", "relative", "kind"], name="relationship_unique"),
            models.CheckConstraint(condition=~Q(person=F("relative")), name="relationship_not_self"),
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.relative}（{self.get_kind_display()}）"
