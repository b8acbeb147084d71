"""The audit log's filters (issue 15): django-filter over the scoped ``audit_entry_list``."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import django_filters
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xuncha.audit.models import AuditEntry
from xuncha.common.filters import FilterSet
from xuncha.common.forms import DateInput

# Action prefixes: each choice shows every action of its area.
ACTION_CHOICES = [
    ("auth.", _("登录与退出")),
    ("org.", _("组织机构")),
    ("people.", _("人员信息")),
    ("accounts.user.", _("用户账户")),
    ("accounts.role.", _("角色授权")),
    ("plans.", _("巡察计划与编组")),
    ("calendar.", _("工作日历")),
    ("deadline.", _("期限规则")),
    ("files.", _("附件")),
    ("fieldwork.", _("现场巡察")),
    ("documents.", _("公文")),
]


class AuditFilter(FilterSet):
    action = django_filters.ChoiceFilter(
        label=_("操作类别"), choices=ACTION_CHOICES, empty_label=_("全部操作"), lookup_expr="startswith"
    )
    actor = django_filters.CharFilter(label=_("操作人"), max_length=50, field_name="actor_name", lookup_expr="contains")
    target = django_filters.CharFilter(label=_("对象"), max_length=50, field_name="target_repr", lookup_expr="contains")
    date_from = django_filters.DateFilter(label=_("起始日期"), method="filter_from", widget=DateInput())
    date_to = django_filters.DateFilter(label=_("截止日期"), method="filter_to", widget=DateInput())

    class Meta:
        model = AuditEntry
        fields: list[str] = []

    # The local days' bounds as instants, which the created_at index serves: ``created_at__date``
    # converts every row's time to a local date before comparing, and reads every row (issue 17).
    # The first and last days a calendar has bound nothing (their midnights do not convert to UTC).
    def filter_from(self, qs: QuerySet[AuditEntry], name: str, value: date) -> QuerySet[AuditEntry]:
        return qs.filter(created_at__gte=day_start(value)) if value > date.min else qs

    def filter_to(self, qs: QuerySet[AuditEntry], name: str, value: date) -> QuerySet[AuditEntry]:
        return qs.filter(created_at__lt=day_start(value + timedelta(days=1))) if value < date.max else qs


def day_start(day: date) -> datetime:
    """Midnight of ``day`` in the current time zone (the one ``__date`` lookups use)."""
    return timezone.make_aware(datetime.combine(day, time.min))
