"""The talent pool's filters (issue 15): django-filter over the scoped ``pool_list``."""

from __future__ import annotations

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from xuncha.common.filters import FilterSet
from xuncha.plans.models import ExpertiseTag, PoolEntry

POOLS = {"leader": "in_leader_pool", "specialist": "in_specialist_pool", "staff": "in_staff_pool"}


class PoolFilter(FilterSet):
    q = django_filters.CharFilter(label=_("姓名"), max_length=50, field_name="person__name", lookup_expr="contains")
    tag = django_filters.ModelChoiceFilter(
        label=_("专长"), field_name="expertise", queryset=ExpertiseTag.objects.all(), empty_label=_("全部专长")
    )
    pool = django_filters.ChoiceFilter(
        label=_("人才库"),
        choices=[("leader", _("组长库")), ("specialist", _("专业人才库")), ("staff", _("工作人员库"))],
        empty_label=_("全部"),
        method="filter_pool",
    )
    available = django_filters.ChoiceFilter(
        label=_("可抽调"), choices=[("1", _("是")), ("0", _("否"))], empty_label=_("全部"), method="filter_available"
    )

    class Meta:
        model = PoolEntry
        fields: list[str] = []

    def filter_pool(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        return qs.filter(**{POOLS[value]: True})

    def filter_available(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        return qs.filter(available=value == "1")
