"""The kernel's query-string parsing (xuncha/common/filters.py): a malformed value is absent."""

import django_filters
import pytest
from django import forms
from django.http import QueryDict
from django.test import RequestFactory

from xuncha.accounts.models import OrgUnit, UnitType
from xuncha.accounts.tests.factories import make_unit
from xuncha.common.filters import (
    MAX_ID,
    FilterForm,
    FilterSet,
    IdField,
    IdFilter,
    ModelMultipleIdField,
    clean_or_none,
    query_ids,
    query_value,
)

MALFORMED_IDS = ["abc", "-1", "0", str(MAX_ID + 1), "99999999999999999999999", "²", "中文", "\x00", "9" * 5000, ""]


@pytest.mark.parametrize("raw", MALFORMED_IDS)
def test_an_id_that_does_not_fit_is_none(raw):
    assert clean_or_none(IdField(), raw) is None


@pytest.mark.parametrize(("raw", "value"), [("1", 1), (str(MAX_ID), MAX_ID), ("１２３", 123), (" 7 ", 7)])
def test_an_id_that_fits(raw, value):
    assert clean_or_none(IdField(), raw) == value


def test_query_value_reads_the_last_of_repeated_values():
    request = RequestFactory().get("/?x=abc&x=5")
    assert query_value(request, "x", IdField()) == 5
    assert query_value(request, "missing", IdField()) is None
    assert query_value(RequestFactory().get("/?q=" + "x" * 51), "q", forms.CharField(max_length=50)) is None
    assert query_value(RequestFactory().get("/?q=%00"), "q", forms.CharField(max_length=50)) is None


def test_query_ids_keeps_the_ids_in_order_once():
    request = RequestFactory().get("/?p=3&p=abc&p=1&p=3&p=99999999999999999999999&p=-2")
    assert query_ids(request, "p") == [3, 1]


class _Filters(FilterForm):
    state = forms.ChoiceField(required=False, choices=[("", "全部"), ("open", "办理中")])
    unit = IdField()
    units = ModelMultipleIdField(queryset=OrgUnit.objects.all(), required=False)


def test_a_filter_form_drops_only_the_fields_that_did_not_parse(db):
    form = _Filters({"state": "open", "unit": "99999999999999999999999"})
    assert form.valid_data == {"state": "open", "units": form.valid_data["units"]}
    assert "unit" in form.errors  # the message the list can show
    assert _Filters(None).valid_data == {}


def test_many_ids_that_overflow_are_refused_before_the_query(db):
    """Django's ModelMultipleChoiceField runs an ``__in`` query, which overflows SQLite's INTEGER."""
    form = _Filters({"units": ["1", "99999999999999999999999"]})
    assert "units" not in form.valid_data and "units" in form.errors


class _UnitFilter(FilterSet):
    unit_type = django_filters.ChoiceFilter(choices=UnitType.choices, empty_label="全部")
    parent = IdFilter(field_name="pk")
    name = django_filters.CharFilter(max_length=5, lookup_expr="contains")

    class Meta:
        model = OrgUnit
        fields: list[str] = []


def test_a_filterset_narrows_the_given_queryset_with_the_values_that_parsed(db):
    county = make_unit(name="县", unit_type=UnitType.COUNTY)
    town = make_unit(county, name="镇", unit_type=UnitType.TOWNSHIP)
    scoped = OrgUnit.objects.filter(pk=town.pk)  # what a selector returned: the filters only narrow it
    bad = QueryDict("unit_type=nope&parent=99999999999999999999999&name=" + "x" * 6)
    f = _UnitFilter(bad, scoped)
    assert list(f.qs) == [town] and set(f.form.errors) == {"unit_type", "parent", "name"}
    assert list(_UnitFilter(QueryDict(f"unit_type=township&parent={county.pk}"), scoped).qs) == []
    assert list(_UnitFilter(QueryDict("unit_type=township"), OrgUnit.objects.all()).qs) == [town]
    unbound = _UnitFilter(QueryDict(), scoped)
    assert not unbound.is_bound and list(unbound.qs) == [town] and unbound.valid_data == {}
    assert isinstance(unbound.form, FilterForm)
