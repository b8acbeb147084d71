"""The register of reports' filters (issue 15): django-filter over the scoped ``report_list``."""

from __future__ import annotations

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from xuncha.common.filters import CheckboxFilter, FilterSet
from xuncha.intake import selectors
from xuncha.intake.models import Channel, Report, ReportState


class ReportFilter(FilterSet):
    q = django_filters.CharFilter(label=_("受理编号"), max_length=30, method="filter_q")
    state = django_filters.ChoiceFilter(label=_("状态"), choices=ReportState.choices, empty_label=_("全部状态"))
    channel = django_filters.ChoiceFilter(label=_("来源"), choices=Channel.choices, empty_label=_("全部来源"))
    overdue = CheckboxFilter(label=_("只看逾期"), method="filter_overdue")

    class Meta:
        model = Report
        fields: list[str] = []

    def filter_q(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        return qs.filter(intake_no__icontains=value.strip())

    def filter_overdue(self, qs: QuerySet, name: str, value: bool) -> QuerySet:
        return selectors.report_overdue(qs, clock=self.context.get("clock")) if value else qs
