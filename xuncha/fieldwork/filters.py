"""Filters of the team's records and papers and of the immediate-fix notices (issue 15):
django-filter over the scoped querysets of ``selectors``. The pages show them as tabs."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from xuncha.common.filters import FilterSet
from xuncha.fieldwork.models import FieldRecord, FixNotice, FixState, PaperState, RecordKind, WorkingPaper


class RecordFilter(FilterSet):
    kind = django_filters.ChoiceFilter(label=_("类别"), choices=RecordKind.choices, empty_label=_("全部"))

    class Meta:
        model = FieldRecord
        fields: list[str] = []


class PaperFilter(FilterSet):
    state = django_filters.ChoiceFilter(label=_("状态"), choices=PaperState.choices, empty_label=_("全部"))

    class Meta:
        model = WorkingPaper
        fields: list[str] = []


class FixFilter(FilterSet):
    state = django_filters.ChoiceFilter(label=_("状态"), choices=FixState.choices, empty_label=_("全部"))

    class Meta:
        model = FixNotice
        fields: list[str] = []
