"""Filters of the organisation, people and account lists (issue 15): django-filter over the scoped
querysets of ``selectors``."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from xuncha.accounts.forms import UnitChoiceField
from xuncha.accounts.models import OrgUnit, Person, RoleAssignment, UnitType, User
from xuncha.accounts.permissions import Perm, Role
from xuncha.accounts.selectors import unit_choices
from xuncha.common.actors import Principal
from xuncha.common.filters import FilterSet

ENABLED = [("1", _("启用")), ("0", _("已停用"))]


class ActiveFilter(django_filters.ChoiceFilter):
    """ "1" / "0" for ``is_active``; empty shows both."""

    def __init__(self, *, choices: list[tuple[str, Any]] = ENABLED, **kwargs: Any) -> None:
        super().__init__(field_name="is_active", choices=choices, empty_label=_("全部"), **kwargs)

    def filter(self, qs: QuerySet, value: str) -> QuerySet:
        return qs.filter(is_active=value == "1") if value in ("1", "0") else qs


class UnitPathFilter(django_filters.ModelChoiceFilter):
    """A unit and everything under it (one indexed prefix filter on the materialized path)."""

    field_class = UnitChoiceField

    def filter(self, qs: QuerySet, value: OrgUnit | None) -> QuerySet:
        return qs.filter(unit__path__startswith=value.path) if value else qs


class UnitFilter(FilterSet):
    q = django_filters.CharFilter(label=_("名称"), max_length=50, method="filter_q")
    unit_type = django_filters.ChoiceFilter(label=_("类型"), choices=UnitType.choices, empty_label=_("全部类型"))
    active = ActiveFilter(label=_("状态"))

    class Meta:
        model = OrgUnit
        fields: list[str] = []

    def filter_q(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        return qs.filter(Q(name__contains=value) | Q(party_org_name__contains=value))


class PersonFilter(FilterSet):
    q = django_filters.CharFilter(label=_("姓名"), max_length=50, field_name="name", lookup_expr="contains")
    unit = UnitPathFilter(label=_("单位（含下级）"), queryset=OrgUnit.objects.none(), empty_label=_("全部单位"))
    active = ActiveFilter(label=_("状态"), choices=[("1", _("在职")), ("0", _("不在职"))])

    class Meta:
        model = Person
        fields: list[str] = []

    def __init__(self, *args: Any, user: Principal, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.filters["unit"].queryset = unit_choices(user=user, code=Perm.PERSON_VIEW, active_only=False)


class UserFilter(FilterSet):
    q = django_filters.CharFilter(label=_("用户名或姓名"), max_length=50, method="filter_q")
    unit = UnitPathFilter(label=_("单位（含下级）"), queryset=OrgUnit.objects.none(), empty_label=_("全部单位"))
    role = django_filters.ChoiceFilter(
        label=_("角色"), choices=Role.choices, empty_label=_("全部角色"), method="filter_role"
    )
    active = ActiveFilter(label=_("状态"))

    class Meta:
        model = User
        fields: list[str] = []

    def __init__(self, *args: Any, user: Principal, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.filters["unit"].queryset = unit_choices(user=user, code=Perm.USER_VIEW, active_only=False)

    def filter_q(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        return qs.filter(Q(username__icontains=value) | Q(full_name__contains=value))

    def filter_role(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        active = RoleAssignment.objects.filter(user=OuterRef("pk"), role=value, revoked_at__isnull=True)
        return qs.filter(Exists(active))
