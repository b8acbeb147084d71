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

It is also where a rendering's limits are spent (``limits.py``): every loop iteration, attribute,
item, call, operator, filter and piece of output goes through the environment, which checks the
clock and the counts there. ``for`` loops and ``~`` are rewritten as the template is compiled so
they pass through it too; lists and dicts cannot be changed in place (the immutable sandbox), so a
value only grows through an operation that is checked. ``lipsum`` is gone (no use in a 公文, and a
way to ask for megabytes of text).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Iterator
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from jinja2 import StrictUndefined, Undefined, nodes
from jinja2.exceptions import SecurityError
from jinja2.runtime import Context, LoopContext
from jinja2.sandbox import ImmutableSandboxedEnvironment
from jinja2.utils import Cycler, Joiner, Namespace
from jinja2.visitor import NodeTransformer

from xuncha.documents.limits import (
    LIMITS,
    Budget,
    RenderLimits,
    loops_exceeded,
    printed_length,
    time_exceeded,
)

_PLAIN = (str, int, float, Decimal, date, datetime, time, dict, list, tuple, LoopContext, Namespace, Cycler, Joiner)


def _refuse(obj: Any, attribute: Any) -> SecurityError:
    return SecurityError(f"access to attribute {attribute!r} of {type(obj).__name__!r} object is unsafe.")


# The filters the compiler puts around every loop and ``~``: a template cannot name them (a
# filter name in a template is an identifier, and these are not).
LOOP_FILTER = "xc-loop"
SIZE_FILTER = "xc-size"
PRINT_FILTER = "xc-print"
# Filters that do not make a string of their value (the others are sized as if printing it).
_STRUCTURAL_FILTERS = frozenset(
    {
        "abs", "attr", "batch", "count", "d", "default", "dictsort", "first", "float", "groupby", "int",
        "items", "last", "length", "list", "map", "max", "min", "random", "reject", "rejectattr", "reverse",
        "round", "select", "selectattr", "slice", "sort", "sum", "unique",
    }
)  # fmt: skip
# Filters that walk their text in Python, character by character: a long input takes seconds.
_SLOW_FILTERS = {"wordwrap", "urlize"}
_SLOW_INPUT_CHARS = 500_000


class _Metered(NodeTransformer):
    """Every ``for`` counts its iterations; every ``~`` has its parts sized before they are made
    strings (a list printed is its repr) and its result after."""

    def visit_For(self, node: nodes.For) -> nodes.For:
        self.generic_visit(node)
        if node.recursive:  # ``loop(children)`` re-enters the loop around the counter
            raise SecurityError("recursive loops are not allowed in document templates")
        node.iter = nodes.Filter(node.iter, LOOP_FILTER, [], [], None, None, lineno=node.lineno)
        return node

    def visit_Concat(self, node: nodes.Concat) -> nodes.Filter:
        self.generic_visit(node)
        node.nodes = [nodes.Filter(n, PRINT_FILTER, [], [], None, None, lineno=node.lineno) for n in node.nodes]
        return nodes.Filter(node, SIZE_FILTER, [], [], None, None, lineno=node.lineno)


class DocumentSandbox(ImmutableSandboxedEnvironment):
    # Operators that can build a big value in one step are sized before they run.
    intercepted_binops = frozenset({"*", "**", "%", "+"})

    def __init__(self, *, limits: RenderLimits = LIMITS, **kwargs: Any) -> None:
        # No constant folding at compile time: the compiler would run ``'x' * 10**9`` itself,
        # outside every check below.
        kwargs.setdefault("optimized", False)
        super().__init__(**kwargs)
        self.budget = Budget(limits)
        self.globals.pop("lipsum", None)
        self.globals["range"] = self._range
        self.filters = {name: self._guarded(name, f) for name, f in self.filters.items()}
        self.filters[LOOP_FILTER] = self._counted
        self.filters[SIZE_FILTER] = self.budget.built
        self.filters[PRINT_FILTER] = self.budget.printable
        self.finalize = self.budget.printable  # every {{ }}, before it is made a string
        self.concat = self._concat  # type: ignore[method-assign, assignment]

    # --- compiling: loops and ``~`` go through the budget ------------------------------------------

    def compile(  # type: ignore[override]
        self,
        source: str | nodes.Template,
        name: str | None = None,
        filename: str | None = None,
        raw: bool = False,
        defer_init: bool = False,
    ) -> Any:
        if isinstance(source, str):
            source = self.parse(source, name, filename)
        metered = _Metered().visit(source)
        if raw:
            return super().compile(metered, name, filename, raw=True, defer_init=defer_init)
        return super().compile(metered, name, filename, raw=False, defer_init=defer_init)

    # --- what a template may reach (see the module docstring) --------------------------------------

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        return isinstance(obj, _PLAIN) and super().is_safe_attribute(obj, attr, value)

    def unsafe_undefined(self, obj: Any, attribute: str) -> Undefined:
        raise _refuse(obj, attribute)

    def getattr(self, obj: Any, attribute: str) -> Any:
        self.budget.tick()
        if attribute.startswith("_") or not isinstance(obj, (*_PLAIN, Undefined)):
            raise _refuse(obj, attribute)
        return super().getattr(obj, attribute)

    def getitem(self, obj: Any, argument: Any) -> Any:
        self.budget.tick()
        if isinstance(argument, str) and argument.startswith("_"):
            raise _refuse(obj, argument)
        if not isinstance(obj, (*_PLAIN, Undefined)):
            raise _refuse(obj, argument)
        return super().getitem(obj, argument)

    # --- what a template may spend -----------------------------------------------------------------

    def call(self, context: Context, obj: Any, /, *args: Any, **kwargs: Any) -> Any:  # type: ignore[override]
        self.budget.tick()
        args = _sized_call(self.budget, obj, args, kwargs)
        return self.budget.built(super().call(context, obj, *args, **kwargs))

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        budget = self.budget
        budget.tick()
        if operator == "*":
            budget.repeat(left, right)
        elif operator == "**":
            budget.power(left, right)
        elif operator == "%" and isinstance(left, str):
            budget.formatted(left, right)
        return budget.built(super().call_binop(context, operator, left, right))

    def _range(self, *args: int) -> range:
        try:
            numbers = range(*args)
            size = len(numbers)
        except OverflowError:  # longer than a C ssize_t: certainly over
            raise loops_exceeded(self.budget.limits) from None
        self.budget.items(size)
        return numbers

    def _counted(self, iterable: Iterable[Any]) -> Iterator[Any]:
        loop = self.budget.loop
        for item in iterable:
            loop()
            yield item

    def _concat(self, pieces: Iterable[str]) -> str:
        wrote = self.budget.wrote
        out = []
        for piece in pieces:
            wrote(len(piece))
            out.append(piece)
        return "".join(out)

    def _guarded(self, name: str, f: Callable[..., Any]) -> Callable[..., Any]:
        passed = 1 if getattr(f, "jinja_pass_arg", None) is not None else 0  # context or environment first
        budget = self.budget

        @functools.wraps(f)  # keeps jinja_pass_arg, which the compiler reads
        def guarded(*args: Any, **kwargs: Any) -> Any:
            budget.tick()
            head, value, rest = args[:passed], args[passed] if len(args) > passed else None, args[passed + 1 :]
            if name not in _STRUCTURAL_FILTERS:
                budget.printable(value)
            value, rest = _sized_filter(budget, name, value, rest, kwargs)
            return budget.built(f(*head, value, *rest, **kwargs))

        return guarded


def _arg(rest: tuple[Any, ...], kwargs: dict[str, Any], index: int, name: str, default: Any = None) -> Any:
    if len(rest) > index:
        return rest[index]
    return kwargs.get(name, default)


def _listed(value: Any) -> Any:
    """A generator (``map``, ``select``…) as a list, so its size is known before joining it."""
    if isinstance(value, str | list | tuple | dict | Undefined) or not isinstance(value, Iterable):
        return value
    return list(value)


def _sized_filter(
    budget: Budget, name: str, value: Any, rest: tuple[Any, ...], kwargs: dict[str, Any]
) -> tuple[Any, tuple[Any, ...]]:
    """Size what a filter is about to build; returns its arguments (a generator made a list)."""
    if name == "center":
        budget.padded(value, _arg(rest, kwargs, 0, "width", 80))
    elif name == "indent":
        lines = value.count("\n") + 1 if isinstance(value, str) else 1
        budget.padded(value, _arg(rest, kwargs, 0, "width", 4), lines)
    elif name == "format" and isinstance(value, str):
        budget.formatted(value, (rest, kwargs))
    elif name == "replace" and isinstance(value, str):
        budget.replaced(
            value, _arg(rest, kwargs, 0, "old"), _arg(rest, kwargs, 1, "new"), _arg(rest, kwargs, 2, "count")
        )
    elif name == "join":
        value = _listed(value)
        if isinstance(value, list | tuple):
            budget.joined(list(value), _arg(rest, kwargs, 0, "d", ""))
    elif name in ("slice", "batch"):
        count = _arg(rest, kwargs, 0, "slices" if name == "slice" else "linecount")
        if isinstance(count, int):
            budget.items(count)
    elif name == "sum":
        value = _listed(value)
        if isinstance(value, list | tuple) and any(isinstance(v, str | list | tuple) for v in value):
            # adding up lists copies them again at every step
            budget.loop(len(value) * sum(len(v) if isinstance(v, str | list | tuple) else 1 for v in value))
    elif name == "tojson":
        budget.padded(value, _arg(rest, kwargs, 0, "indent"), lines=printed_length(value, budget.limits.output_chars))
    elif name in _SLOW_FILTERS and isinstance(value, str) and len(value) > _SLOW_INPUT_CHARS:
        raise time_exceeded(budget.limits)
    return value, rest


def _sized_call(budget: Budget, obj: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> tuple[Any, ...]:
    """Size what a string method is about to build (``'x'.center(n)``, ``s.replace``, ``'{:>n}'.format``)."""
    method = getattr(obj, "__wrapped__", obj)  # the sandbox wraps str.format for its own checks
    text = getattr(method, "__self__", None)
    if not isinstance(text, str):
        return args
    name = getattr(method, "__name__", "")
    if name in ("center", "ljust", "rjust", "zfill"):
        budget.padded(text, _arg(args, kwargs, 0, "width"))
    elif name == "expandtabs":
        budget.padded(text, _arg(args, kwargs, 0, "tabsize", 8), lines=text.count("\t"))
    elif name == "replace":
        budget.replaced(
            text, _arg(args, kwargs, 0, "old"), _arg(args, kwargs, 1, "new"), _arg(args, kwargs, 2, "count", -1)
        )
    elif name in ("format", "format_map"):
        budget.formatted(text, (args, kwargs))
    elif name == "join" and args:
        items = _listed(args[0])
        if isinstance(items, list | tuple):
            budget.joined(list(items), text)
        return (items, *args[1:])
    return args


def document_env(*, strict: bool = False, limits: RenderLimits = LIMITS) -> DocumentSandbox:
    """The environment for one rendering, with its own budget of ``limits``. ``strict`` (used when
    checking an upload) makes an unknown name an error, so a misspelt field is caught when the
    template is uploaded rather than printed as a blank in a document sent to a unit."""
    return DocumentSandbox(autoescape=True, undefined=StrictUndefined if strict else Undefined, limits=limits)
