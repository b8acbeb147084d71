"""The rectification registers' filters (issue 15): django-filter over the scoped querysets of
``selectors`` (letters, accountability, evaluations, supervised items, sector clean-ups)."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from xuncha.common.filters import FilterSet, IdFilter
from xuncha.rectification.models import (
    Accountability,
    Campaign,
    CampaignState,
    EscalationLetter,
    Evaluation,
    Grade,
    LeaderAssignment,
    LetterKind,
)


class LetterFilter(FilterSet):
    """``units``: the units that received letters the user may read (``letter_units``)."""

    kind = django_filters.ChoiceFilter(label=_("文书类别"), choices=LetterKind.choices, empty_label=_("全部类别"))
    unit = django_filters.ModelChoiceFilter(
        label=_("被督办单位"), field_name="plan__feedback__target__unit", queryset=None, empty_label=_("全部单位")
    )

    class Meta:
        model = EscalationLetter
        fields: list[str] = []

    def __init__(self, *args: Any, units: QuerySet, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.filters["unit"].queryset = units


class AccountabilityFilter(FilterSet):
    """``rounds`` and ``units``: those that have records in scope (``filter_choices``)."""

    round = django_filters.ModelChoiceFilter(
        label=_("巡察轮次"), field_name="plan__feedback__target__round", queryset=None, empty_label=_("全部轮次")
    )
    unit = django_filters.ModelChoiceFilter(
        label=_("被巡察单位"), field_name="plan__feedback__target__unit", queryset=None, empty_label=_("全部单位")
    )

    class Meta:
        model = Accountability
        fields: list[str] = []

    def __init__(self, *args: Any, rounds: QuerySet, units: QuerySet, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.filters["round"].queryset = rounds
        self.filters["unit"].queryset = units


class EvaluationFilter(FilterSet):
    # The grade is derived from the deductions (JSON) and the sheet, never stored: the selector
    # decides it after the query (evaluation_grade_pks), so the filter only parses it.
    grade = django_filters.ChoiceFilter(
        label=_("评估等次"), choices=Grade.choices, empty_label=_("全部等次"), method="filter_grade"
    )

    class Meta:
        model = Evaluation
        fields: list[str] = []

    def filter_grade(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        return qs


class AssignmentFilter(FilterSet):
    # Set by links from a leader's page; the list is scoped anyway.
    leader = IdFilter(field_name="leader_id")

    class Meta:
        model = LeaderAssignment
        fields: list[str] = []


class CampaignFilter(FilterSet):
    state = django_filters.ChoiceFilter(label=_("状态"), choices=CampaignState.choices, empty_label=_("全部"))

    class Meta:
        model = Campaign
        fields: list[str] = []
