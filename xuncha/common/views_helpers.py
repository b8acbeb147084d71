"""The two shapes every write page has, written once.

* ``form_action``: a form page — on a valid POST run the service; a refusal becomes a form error.
* ``post_action``: a button that POSTs — run the service, report success or refusal as a message.
* ``post_form_action``: a small form on a detail page — the same, with invalid input reported as
  messages naming the field.
"""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from xuncha.common.exceptions import ServiceError


def form_action(request: HttpRequest, form: Form, action: Callable[[dict[str, Any]], Any]) -> tuple[bool, Any]:
    """(True, result) when the POSTed form was valid and ``action(cleaned_data)`` succeeded."""
    if request.method != "POST" or not form.is_valid():
        return False, None
    try:
        return True, action(form.cleaned_data)
    except ServiceError as exc:
        form.add_error(None, exc)
        return False, None


def post_action(request: HttpRequest, action: Callable[[], Any], success: str, to: Any) -> HttpResponse:
    """Run ``action()``; say ``success`` or why the service refused; go back to ``to``."""
    try:
        action()
    except ServiceError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, success)
    return redirect(to)


def form_error_messages(request: HttpRequest, form: Form) -> None:
    """Each error of a bound, invalid ``form`` as a message naming its field."""
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}：{error}" if label else error)


def post_form_action(
    request: HttpRequest, form: Form, action: Callable[[dict[str, Any]], Any], success: str, to: Any
) -> HttpResponse:
    """Validate ``form``; on bad input say which field and why and go back, else ``post_action``."""
    if not form.is_valid():
        form_error_messages(request, form)
        return redirect(to)
    return post_action(request, lambda: action(form.cleaned_data), success, to)
