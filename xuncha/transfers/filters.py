"""The transfer register's filters (issue 15): django-filter over the scoped ``transfer_list``."""

from __future__ import annotations

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from xuncha.common.filters import CheckboxFilter, FilterSet, IdFilter
from xuncha.transfers import selectors
from xuncha.transfers.models import Disposal, Transfer, TransferKind, TransferState


class TransferFilter(FilterSet):
    kind = django_filters.ChoiceFilter(label=_("类别"), choices=TransferKind.choices, empty_label=_("全部类别"))
    state = django_filters.ChoiceFilter(label=_("状态"), choices=TransferState.choices, empty_label=_("全部状态"))
    disposal = django_filters.ChoiceFilter(label=_("处置方式"), choices=Disposal.choices, empty_label=_("全部处置方式"))
    # Set by the dashboards' drill-down (移交事项按接收单位) and the round's pages; the list is
    # scoped anyway.
    receiver = IdFilter(field_name="receiver_id")
    round = IdFilter(field_name="round_id")
    overdue = CheckboxFilter(label=_("只看逾期未反馈"), method="filter_overdue")

    class Meta:
        model = Transfer
        fields: list[str] = []

    def filter_overdue(self, qs: QuerySet, name: str, value: bool) -> QuerySet:
        return selectors.transfer_overdue(qs, clock=self.context.get("clock")) if value else qs
