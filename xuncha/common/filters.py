"""Query-string parsing: every value a page takes from the address goes through a form field
before it reaches a query, and a value that does not parse counts as absent — the list is shown
without that filter (a bound FilterForm also shows the field's message), never a 500.

A list binds a ``FilterForm`` subclass to ``request.GET`` and reads ``form.valid_data``; a page
that reads a single parameter calls ``query_value(request, name, field)``. Ids use ``IdField``
(a positive integer that fits a signed 64-bit column: a larger one overflows SQLite's INTEGER and
PostgreSQL's bigint in a foreign-key lookup), choices a ``ChoiceField`` of the model's choices,
text a ``CharField`` with ``max_length`` (which also refuses NUL characters), dates a
``DateField``. A later issue moves the lists to django-filter, whose filters take these fields.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
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
