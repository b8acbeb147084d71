"""Focus lists (巡察监督重点) and tags: data, versioned, because they change with the times.

A round uses one version of one list; an office adds a new version rather than editing one in
use, so old rounds keep the wording they were inspected against (domain.md §4).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from xuncha.common.models import TimeStampedModel


class AppliesTo(models.TextChoices):
    UNIT = "unit", _("单位党组织")
    VILLAGE = "village", _("村（社区）党组织")


class FocusList(TimeStampedModel):
    name = models.CharField(_("名称"), max_length=50)
    version = models.PositiveSmallIntegerField(_("版本"), default=1)
    applies_to = models.CharField(_("适用对象"), max_length=10, choices=AppliesTo.choices, default=AppliesTo.UNIT)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    # Offered for new rounds; a retired version stays on the rounds that used it.
    active = models.BooleanField(_("可选用"), default=True)
    # None: installation-wide (the national lists); else a jurisdiction's own version.
    jurisdiction = models.ForeignKey(
        "accounts.OrgUnit",
        verbose_name=_("适用地区"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    SCOPE_PATH_FIELD = "jurisdiction__path"

    class Meta:
        verbose_name = _("巡察监督重点清单")
        verbose_name_plural = _("巡察监督重点清单")
        ordering = ["name", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["name", "version", "jurisdiction"], name="focus_list_version_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.name}（第{self.version}版）"


class FocusItem(models.Model):
    focus_list = models.ForeignKey(FocusList, on_delete=models.CASCADE, related_name="items")
    parent = models.ForeignKey("self", on_delete=models.CASCADE, null=True, blank=True, related_name="children")
    position = models.PositiveSmallIntegerField(_("序号"))
    text = models.CharField(_("内容"), max_length=200)

    class Meta:
        verbose_name = _("监督重点条目")
        verbose_name_plural = _("监督重点条目")
        ordering = ["focus_list", "parent_id", "position"]

    def __str__(self) -> str:
        return self.text


class TagGroup(models.TextChoices):
    NEAR_PUBLIC = "near_public", _("群众身边腐败和不正之风")
    SECTOR = "sector", _("重点领域")
    BUCKET = "bucket", _("报告归类")


class Tag(models.Model):
    group = models.CharField(_("类别"), max_length=20, choices=TagGroup.choices)
    name = models.CharField(_("名称"), max_length=50)
    position = models.PositiveSmallIntegerField(_("序号"), default=0)
    active = models.BooleanField(_("可选用"), default=True)

    class Meta:
        verbose_name = _("问题标签")
        verbose_name_plural = _("问题标签")
        ordering = ["group", "position", "name"]
        constraints = [models.UniqueConstraint(fields=["group", "name"], name="tag_group_name_unique")]

    def __str__(self) -> str:
        return self.name
