"""The organisation tree: jurisdictions (province/city/county) and the units under them.

Stored as a materialized path (treebeard ``MP_Node``) so that "everything under this county"
is one indexed prefix filter on ``path``; access scoping relies on that (accounts/permissions/).
"""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from treebeard.mp_tree import MP_Node

from xuncha.common.models import TimeStampedModel


class UnitType(models.TextChoices):
    PROVINCE = "province", _("省")
    CITY = "city", _("市")
    COUNTY = "county", _("县(市、区)")
    COMMITTEE = "committee", _("县委")
    DEPARTMENT = "department", _("县直部门")
    TOWNSHIP = "township", _("乡镇(街道)")
    VILLAGE = "village", _("村(社区)")
    SOE = "soe", _("国有企业")
    SCHOOL = "school", _("学校")
    HOSPITAL = "hospital", _("医院")
    OTHER = "other", _("其他")


JURISDICTION_TYPES = (UnitType.PROVINCE, UnitType.CITY, UnitType.COUNTY)


class PartyOrgKind(models.TextChoices):
    LEADING_GROUP = "dangzu", _("党组")
    COMMITTEE = "dangwei", _("党委")
    GENERAL_BRANCH = "dangzongzhi", _("党总支")
    BRANCH = "dangzhibu", _("党支部")


# treebeard ships no types: MP_Node is Any to mypy, so the plugin cannot resolve its manager.
class OrgUnit(MP_Node, TimeStampedModel):  # type: ignore[django-manager-missing]
    # Four base-36 characters per level: 1.6 million siblings, 63 levels in 255 characters.
    steplen = 4

    name = models.CharField(_("单位名称"), max_length=100)
    unit_type = models.CharField(_("单位类型"), max_length=20, choices=UnitType.choices)
    party_org_name = models.CharField(_("党组织名称"), max_length=100, blank=True)
    party_org_kind = models.CharField(_("党组织类型"), max_length=20, choices=PartyOrgKind.choices, blank=True)
    sector_dept = models.ForeignKey(
        "self",
        verbose_name=_("行业主管部门"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="overseen_units",
    )
    is_active = models.BooleanField(_("启用"), default=True)

    SCOPE_PATH_FIELD = "path"

    class Meta:
        verbose_name = _("组织单位")
        verbose_name_plural = _("组织单位")
        indexes = [
            # LIKE 'prefix%' on PostgreSQL uses a btree index only with pattern ops; other
            # databases ignore opclasses and get a plain index.
            models.Index(fields=["path"], opclasses=["varchar_pattern_ops"], name="orgunit_path_like"),
            models.Index(fields=["unit_type", "is_active"], name="orgunit_type_active"),
            models.Index(fields=["name"], name="orgunit_name"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_jurisdiction(self) -> bool:
        return self.unit_type in JURISDICTION_TYPES

    def get_absolute_url(self) -> str:
        return reverse("accounts:unit_detail", args=[self.pk])

    def is_inside(self, other: "OrgUnit") -> bool:
        """True when this unit is ``other`` or lies under it."""
        return self.path.startswith(other.path)
