"""Query-string parsing: every value a page takes from the address goes through a form field
before it reaches a query, and a value that does not parse counts as absent — the list is shown
without that filter (the bound form also shows the field's message), never a 500.

A list page has one ``FilterSet`` (django-filter) in its app's ``filters.py``, built on the base
below: the view passes it the queryset the app's selector returned — already scoped to the user by a
database filter — and the FilterSet only narrows it, with the fields that parsed. The template gets
``filterset.form`` (components/_filter_form.html renders it). A page that reads a single parameter
calls ``query_value(request, name, field)``. Ids use ``IdField`` / ``IdFilter`` (a positive integer
that fits a signed 64-bit column: a larger one overflows SQLite's INTEGER and PostgreSQL's bigint in
a foreign-key lookup), choices a ``ChoiceFilter`` of the model's choices, text a ``CharFilter`` with
``max_length`` (which also refuses NUL characters), dates a ``DateFilter``.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest

from xuncha.common.forms import StyledFormMixin

MAX_ID = 2**63 - 1
EMPTY = (None, "", [], ())


class IdField(forms.IntegerField):
    """A primary key from the address: a positive integer within a signed 64-bit column."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        kwargs.setdefault("widget", forms.HiddenInput)
        super().__init__(**kwargs)


def is_id(value: Any) -> bool:
    try:
        IdField(required=True).clean(value)
    except ValidationError:
        return False
    return True


class ModelMultipleIdField(forms.ModelMultipleChoiceField):
    """A ModelMultipleChoiceField whose values are checked as ids before the ``__in`` query (Django
    checks each value with an exact lookup, which tolerates an overflowing integer, then runs an
    ``__in`` lookup, which does not)."""

    def _check_values(self, value: Any) -> Any:
        for pk in value:
            if not is_id(pk):
                raise ValidationError(
                    self.error_messages["invalid_pk_value"], code="invalid_pk_value", params={"pk": pk}
                )
        return super()._check_values(value)


class FilterForm(StyledFormMixin, forms.Form):
    """A list's filters bound to the query string. ``valid_data`` holds the fields that parsed; a
    field that did not is left out (and shows its message), so one bad value neither raises nor
    drops the other filters."""

    @property
    def valid_data(self) -> dict[str, Any]:
        if not self.is_bound:
            return {}
        self.is_valid()
        return {name: value for name, value in self.cleaned_data.items() if name not in self.errors}


def clean_or_none(field: forms.Field, raw: Any) -> Any:
    """``raw`` cleaned by ``field``; None when it is empty or does not parse."""
    if raw in EMPTY:
        return None
    try:
        value = field.clean(raw)
    except ValidationError:
        return None
    return None if value in EMPTY else value


def query_value(request: HttpRequest, name: str, field: forms.Field) -> Any:
    """The query parameter ``name`` (the last one, if repeated) parsed by ``field``, or None."""
    return clean_or_none(field, request.GET.get(name))


def query_ids(request: HttpRequest, name: str) -> list[int]:
    """Every value of a repeated id parameter (``?p=1&p=2``) that is an id, in order, deduplicated
    (Django's DATA_UPLOAD_MAX_NUMBER_FIELDS bounds how many there can be)."""
    field = IdField()
    values = (clean_or_none(field, raw) for raw in request.GET.getlist(name))
    return list(dict.fromkeys(v for v in values if v is not None))


# --- django-filter ------------------------------------------------------------------------------


class FilterSet(django_filters.FilterSet):
    """A list page's filters over the scoped queryset its selector returns.

    The form is a ``FilterForm``: a field that did not parse is left out of ``cleaned_data`` (Django
    drops it), so ``qs`` applies the others and the form shows the message. ``context`` carries what
    a subclass needs to build its choices (the acting user, the units of a plan …).
    """

    def __init__(
        self,
        data: Any = None,
        queryset: QuerySet | None = None,
        *,
        request: HttpRequest | None = None,
        prefix: str | None = None,
        **context: Any,
    ) -> None:
        self.context = context
        super().__init__(data or None, queryset, request=request, prefix=prefix)

    def get_form_class(self) -> type[forms.Form]:
        base = self._meta.form if issubclass(self._meta.form, FilterForm) else FilterForm
        fields = {name: filter_.field for name, filter_ in self.filters.items()}
        return type(f"{type(self).__name__}Form", (base,), fields)

    @property
    def valid_data(self) -> dict[str, Any]:
        """The values that parsed, by filter name (for pages that also pass them on)."""
        return self.form.valid_data


class IdFilter(django_filters.NumberFilter):
    """A primary key from the address (a hidden field: set by links, not typed)."""

    field_class = IdField


class CheckboxFilter(django_filters.BooleanFilter):
    """A tick box ("只看逾期"): filters when ticked, shows everything when not."""

    field_class = forms.BooleanField

    def filter(self, qs: QuerySet, value: Any) -> QuerySet:
        return super().filter(qs, True) if value else qs


class ModelMultipleIdFilter(django_filters.ModelMultipleChoiceFilter):
    """Several objects by id (``?tags=1&tags=2``), each checked as an id before the ``__in`` query."""

    field_class = ModelMultipleIdField
