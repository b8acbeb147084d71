"""The audit log's filters (issue 15): django-filter over the scoped ``audit_entry_list``."""

from __future__ import annotations

import django_filters
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
    date_from = django_filters.DateFilter(
        label=_("起始日期"), field_name="created_at", lookup_expr="date__gte", widget=DateInput()
    )
    date_to = django_filters.DateFilter(
        label=_("截止日期"), field_name="created_at", lookup_expr="date__lte", widget=DateInput()
    )

    class Meta:
        model = AuditEntry
        fields: list[str] = []
