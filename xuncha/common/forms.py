from typing import Any, TypeVar

from django import forms

F = TypeVar("F", bound=forms.Field)


def form_field(form: forms.BaseForm, name: str, kind: type[F]) -> F:
    """``form.fields[name]`` as the kind of field it is: ``fields`` holds plain ``Field``s to a type
    checker, and forms narrow a picker's queryset or choices to the user's scope after ``__init__``."""
    field = form.fields[name]
    if not isinstance(field, kind):
        raise TypeError(f"{type(form).__name__}.{name} is a {type(field).__name__}, not a {kind.__name__}")
    return field


class StyledFormMixin:
    """Give every widget the Bootstrap class it needs, so templates render fields plainly."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():  # type: ignore[attr-defined]
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput | forms.RadioSelect):  # incl. CheckboxSelectMultiple
                css = "form-check-input"
            elif isinstance(widget, forms.Select | forms.SelectMultiple):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("format", "%Y-%m-%d")
        super().__init__(*args, **kwargs)


class StackedCheckboxes(forms.CheckboxSelectMultiple):
    """Checkboxes one per line (long labels such as focus-list items), not side by side."""

    stacked = True
