"""The Jinja environment every Word template renders in.

Templates are files an office can replace, so they are untrusted code. Jinja's
``SandboxedEnvironment`` already refuses ``_``-prefixed attributes and unsafe callables; this
subclass closes what it leaves open for our use:

* attribute access is refused at once (``SecurityError``), not turned into an undefined value
  that a template could test in an ``{% if %}`` and keep probing with;
* ``_`` names are refused on every object, including undefined ones, so
  ``{{ x.__globals__ }}`` fails even where ``x`` is missing;
* attributes may be read on plain data only (dicts, lists, strings, numbers, dates and Jinja's
  own loop helpers). The context holds plain data by construction (contexts.py); the image
  objects docxtpl needs are printable but opaque, so ``{{ qr.tpl.save(...) }}`` cannot reach the
  document object behind them, and a model instance that slipped in could not be walked to the
  database connection (the chain that bit ciso-assistant).

``autoescape`` is on because the output is XML: a unit called "A&B" must not break the file.
"""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from jinja2 import StrictUndefined, Undefined
from jinja2.exceptions import SecurityError
from jinja2.runtime import LoopContext
from jinja2.sandbox import SandboxedEnvironment
from jinja2.utils import Cycler, Joiner, Namespace

_PLAIN = (str, int, float, Decimal, date, datetime, time, dict, list, tuple, LoopContext, Namespace, Cycler, Joiner)


def _refuse(obj: Any, attribute: Any) -> SecurityError:
    return SecurityError(f"access to attribute {attribute!r} of {type(obj).__name__!r} object is unsafe.")


class DocumentSandbox(SandboxedEnvironment):
    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        return isinstance(obj, _PLAIN) and super().is_safe_attribute(obj, attr, value)

    def unsafe_undefined(self, obj: Any, attribute: str) -> Undefined:
        raise _refuse(obj, attribute)

    def getattr(self, obj: Any, attribute: str) -> Any:
        if attribute.startswith("_") or not isinstance(obj, (*_PLAIN, Undefined)):
            raise _refuse(obj, attribute)
        return super().getattr(obj, attribute)

    def getitem(self, obj: Any, argument: Any) -> Any:
        if isinstance(argument, str) and argument.startswith("_"):
            raise _refuse(obj, argument)
        if not isinstance(obj, (*_PLAIN, Undefined)):
            raise _refuse(obj, argument)
        return super().getitem(obj, argument)


def document_env(*, strict: bool = False) -> DocumentSandbox:
    """The environment for one rendering. ``strict`` (used when checking an upload) makes an
    unknown name an error, so a misspelt field is caught when the template is uploaded rather than
    printed as a blank in a document sent to a unit."""
    return DocumentSandbox(autoescape=True, undefined=StrictUndefined if strict else Undefined)
