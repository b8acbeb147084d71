"""Reading an uploaded template without running it: every branch, taken or not.

Rendering the sample only exercises the branches the sample takes; a payload or a misspelt field
behind ``{% if %}`` used to pass the upload and fail when a real document was generated. This
walks the Jinja syntax tree of every text docxtpl renders (``rendering.template_sources``) and
reports, wherever it stands:

* ``unsafe``: an attribute or key starting with ``_``, an attribute of something that is not plain
  data (the QR image), ``include``/``import``/``extends``, a recursive loop;
* ``field``: a name the kind's context does not provide (and the template does not set itself), or
  an attribute its value does not have: ``team.nmae``, ``t.untis`` inside ``for t in targets``
  (the context's *schema* is read off the kind's sample: the same shape as the real one);
* ``call``: a call of anything but the few globals, the template's own macros and a whitelist of
  string, dict and loop methods;
* ``filter``: a filter or test that does not exist (Jinja only fails on it when it runs);
* ``loops``: nested loops over constant ranges longer, together, than the loop limit.

Each fault says where it is: the text of the paragraph around it (a line of the body is a
paragraph, see ``rendering._as_rendered``).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from jinja2 import meta, nodes
from jinja2.environment import Environment
from jinja2.sandbox import modifies_known_mutable

from xuncha.documents.limits import RenderLimits
from xuncha.documents.rendering import TemplateText

# The callables a template may call by name, beside its own macros.
CALLABLE_GLOBALS = frozenset({"range", "dict", "cycler", "joiner", "namespace", "caller"})
_STR_METHODS = frozenset(
    {
        "capitalize", "casefold", "center", "count", "endswith", "expandtabs", "find", "format",
        "format_map", "index", "isalnum", "isalpha", "isdecimal", "isdigit", "islower", "isnumeric",
        "isspace", "istitle", "isupper", "join", "ljust", "lower", "lstrip", "partition",
        "removeprefix", "removesuffix", "replace", "rfind", "rindex", "rjust", "rpartition",
        "rsplit", "rstrip", "split", "splitlines", "startswith", "strip", "swapcase", "title",
        "upper", "zfill",
    }
)  # fmt: skip
_DICT_METHODS = frozenset({"get", "items", "keys", "values"})
_SEQUENCE_METHODS = frozenset({"count", "index"})
_HELPER_METHODS = frozenset({"cycle", "changed", "next", "reset", "current"})  # loop, cycler, joiner
CALLABLE_METHODS = _STR_METHODS | _DICT_METHODS | _SEQUENCE_METHODS | _HELPER_METHODS
# Filter arguments that name an attribute: ``map(attribute='x')``, ``sort(attribute='x.y')``…
_ATTRIBUTE_FILTERS = frozenset(
    {"attr", "map", "selectattr", "rejectattr", "sort", "groupby", "sum", "unique", "min", "max", "join"}
)
_PLAIN_TYPES = (str, int, float, Decimal, bool, date, datetime, time)


@dataclass(frozen=True)
class Fault:
    code: str  # "unsafe" | "field" | "call" | "filter" | "loops"
    detail: str  # what: "team.nmae", "__class__", "encode()"
    where: str  # the paragraph's text around it, "" when unknown


# --- the context's shape, read off the sample ------------------------------------------------------


@dataclass
class _Obj:  # a dict: its keys
    fields: dict[str, Any]


@dataclass
class _Seq:  # a list: the shape of its items (None: unknown)
    item: Any


@dataclass
class _Leaf:  # a string, number or date; or something opaque (the QR image)
    type: type

    @property
    def plain(self) -> bool:
        return issubclass(self.type, _PLAIN_TYPES)


@dataclass
class _Method:  # a bound method of a value (``.items``)
    name: str


Schema = _Obj | _Seq | _Leaf | _Method | None  # None: unknown, not checked


def schema_of(value: Any) -> Schema:
    if isinstance(value, Mapping):
        return _Obj({str(k): schema_of(v) for k, v in value.items()})
    if isinstance(value, list | tuple):
        item: Schema = None
        for i, element in enumerate(value):
            item = schema_of(element) if i == 0 else _merge(item, schema_of(element))
        return _Seq(item)
    if value is None:
        return None  # a value the sample leaves empty may be anything in real data
    return _Leaf(type(value))


def _merge(a: Schema, b: Schema) -> Schema:
    if isinstance(a, _Obj) and isinstance(b, _Obj):
        keys = a.fields.keys() | b.fields.keys()
        return _Obj(
            {
                k: _merge(a.fields[k], b.fields[k])
                if k in a.fields and k in b.fields
                else a.fields.get(k, b.fields.get(k))
                for k in keys
            }
        )
    if isinstance(a, _Seq) and isinstance(b, _Seq):
        return _Seq(_merge(a.item, b.item) if a.item is not None and b.item is not None else a.item or b.item)
    if isinstance(a, _Leaf) and isinstance(b, _Leaf) and a.type is b.type:
        return a
    return None


# --- the walk ------------------------------------------------------------------------------------


def _unsafe_name(name: str) -> bool:
    return any(part.startswith("_") for part in name.split("."))


def _dotted(node: nodes.Node) -> str:
    """``team.full_name`` for a chain of names and attributes, else a short stand-in."""
    if isinstance(node, nodes.Name):
        return node.name
    if isinstance(node, nodes.Getattr):
        return f"{_dotted(node.node)}.{node.attr}"
    if isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const):
        return f"{_dotted(node.node)}[{node.arg.value!r}]"
    if isinstance(node, nodes.Call):
        return f"{_dotted(node.node)}()"
    if isinstance(node, nodes.Const):
        return repr(node.value)
    return "…"


def _const_int(node: nodes.Node | None, depth: int = 0) -> int | None:
    """The value of a constant integer expression (``10**8``), sized before it is computed."""
    if node is None or depth > 20:
        return None
    if isinstance(node, nodes.Const):
        return node.value if isinstance(node.value, int) and not isinstance(node.value, bool) else None
    if isinstance(node, nodes.Neg):
        value = _const_int(node.node, depth + 1)
        return -value if value is not None else None
    if isinstance(node, nodes.BinExpr):
        left, right = _const_int(node.left, depth + 1), _const_int(node.right, depth + 1)
        if left is None or right is None:
            return None
        bits = abs(left).bit_length()
        if isinstance(node, nodes.Pow):
            if right < 0 or (bits > 1 and right * bits > 4096):
                return None
            return int(left**right)
        if isinstance(node, nodes.Mul):
            return left * right if bits + abs(right).bit_length() <= 4096 else None
        if isinstance(node, nodes.Add):
            return left + right
        if isinstance(node, nodes.Sub):
            return left - right
        if isinstance(node, nodes.FloorDiv) and right:
            return left // right
    return None


def _range_length(node: nodes.Node) -> int | None:
    """How long a ``range(…)`` of constants is (None: not one)."""
    if not (isinstance(node, nodes.Call) and isinstance(node.node, nodes.Name) and node.node.name == "range"):
        return None
    if node.kwargs or node.dyn_args or node.dyn_kwargs or not 1 <= len(node.args) <= 3:
        return None
    args = [_const_int(a) for a in node.args]
    if any(a is None for a in args):
        return None
    try:
        return len(range(*args))  # type: ignore[arg-type]
    except (ValueError, OverflowError):
        return math.inf  # type: ignore[return-value]


@dataclass
class _Walker:
    env: Environment
    root: dict[str, Schema]
    macros: set[str]
    lines: list[str]
    loop_limit: int
    faults: list[Fault] = field(default_factory=list)

    def fault(self, code: str, detail: str, node: nodes.Node) -> None:
        self.faults.append(Fault(code, detail, _where(self.lines, getattr(node, "lineno", 0))))

    # statements --------------------------------------------------------------------------------

    def visit(self, node: nodes.Node, scope: dict[str, Schema], iterations: float = 1) -> None:
        if isinstance(node, nodes.For):
            self._for(node, scope, iterations)
        elif isinstance(node, nodes.Macro | nodes.CallBlock):
            inner = dict(scope)
            for arg in node.args:
                inner[arg.name] = None
            for default in node.defaults:
                self.expr(default, scope)
            inner.update(caller=None, varargs=None, kwargs=None)
            if isinstance(node, nodes.CallBlock):
                self.expr(node.call, scope)
            for child in node.body:
                self.visit(child, inner, iterations)
        elif isinstance(node, nodes.Assign):
            shape = self.expr(node.node, scope)
            self._bind(node.target, scope, shape)
        elif isinstance(node, nodes.AssignBlock):
            if node.filter is not None:
                self.expr(node.filter, scope)
            for child in node.body:
                self.visit(child, scope, iterations)
            self._bind(node.target, scope, None)
        elif isinstance(node, nodes.With):
            inner = dict(scope)
            for target, value in zip(node.targets, node.values, strict=False):
                self._bind(target, inner, self.expr(value, scope))
            for child in node.body:
                self.visit(child, inner, iterations)
        elif isinstance(node, nodes.Include | nodes.Import | nodes.FromImport | nodes.Extends):
            self.fault("unsafe", "include / import / extends", node)
        elif isinstance(node, nodes.Expr):
            self.expr(node, scope)
        else:  # Output, If, FilterBlock, Scope…: their expressions and statements as they come
            for child in node.iter_child_nodes():
                self.visit(child, scope, iterations)

    def _for(self, node: nodes.For, scope: dict[str, Schema], iterations: float) -> None:
        if node.recursive:
            self.fault("unsafe", "for … recursive", node)
        shape = self.expr(node.iter, scope)
        length = _range_length(node.iter)
        if length is not None:
            iterations *= max(length, 1)
            if iterations > self.loop_limit:
                self.fault("loops", _dotted(node.iter), node)
                iterations = 1  # one report per nest
        inner = dict(scope)
        self._bind(node.target, inner, shape.item if isinstance(shape, _Seq) else None)
        inner["loop"] = None
        if node.test is not None:
            self.expr(node.test, inner)
        for child in node.body:
            self.visit(child, inner, iterations)
        for child in node.else_:
            self.visit(child, scope, iterations)

    def _bind(self, target: nodes.Node, scope: dict[str, Schema], shape: Schema) -> None:
        if isinstance(target, nodes.Name):
            scope[target.name] = shape
        elif isinstance(target, nodes.Tuple):
            for item in target.items:
                self._bind(item, scope, None)
        elif isinstance(target, nodes.NSRef):
            pass  # ``ns.x = …``: the namespace is the template's own

    # expressions -------------------------------------------------------------------------------

    def expr(self, node: nodes.Node, scope: dict[str, Schema]) -> Schema:
        if isinstance(node, nodes.Name):
            if node.name in scope:
                return scope[node.name]
            return self.root.get(node.name)  # a missing name is reported once, by _undeclared
        if isinstance(node, nodes.Getattr):
            return self._member(self.expr(node.node, scope), node.attr, node)
        if isinstance(node, nodes.Getitem):
            base = self.expr(node.node, scope)
            if isinstance(node.arg, nodes.Const) and isinstance(node.arg.value, str):
                return self._member(base, node.arg.value, node)
            self.expr(node.arg, scope)
            return base.item if isinstance(base, _Seq) else None
        if isinstance(node, nodes.Call):
            self._call(node, scope)
            return None
        if isinstance(node, nodes.Filter | nodes.Test):
            self._filter(node, scope)
            return None
        for child in node.iter_child_nodes():
            if isinstance(child, nodes.Expr):
                self.expr(child, scope)
            else:
                self.visit(child, scope)
        return None

    def _member(self, base: Schema, attr: str, node: nodes.Node) -> Schema:
        if attr.startswith("_"):
            self.fault("unsafe", _dotted(node), node)
            return None
        if isinstance(base, _Obj):
            if attr in base.fields:
                return base.fields[attr]
            if attr in _DICT_METHODS:
                return _Method(attr)
            self.fault("unsafe" if modifies_known_mutable({}, attr) else "field", _dotted(node), node)
        elif isinstance(base, _Leaf):
            if not base.plain:
                self.fault("unsafe", _dotted(node), node)
            elif not hasattr(base.type, attr):
                self.fault("field", _dotted(node), node)
            elif attr in CALLABLE_METHODS:
                return _Method(attr)
        elif isinstance(base, _Seq):
            if modifies_known_mutable([], attr):
                self.fault("unsafe", _dotted(node), node)
            elif not hasattr(list, attr):
                self.fault("field", _dotted(node), node)
        return None

    def _call(self, node: nodes.Call, scope: dict[str, Schema]) -> None:
        callee = node.node
        if isinstance(callee, nodes.Name):
            if callee.name == "loop":
                self.fault("unsafe", "loop()", node)
            elif callee.name not in CALLABLE_GLOBALS and callee.name not in self.macros:
                self.fault("call", _dotted(node), node)
        elif isinstance(callee, nodes.Getattr):
            self.expr(callee, scope)
            if callee.attr not in CALLABLE_METHODS:
                self.fault("call", _dotted(node), node)
        else:
            self.expr(callee, scope)
            self.fault("call", _dotted(node), node)
        self._arguments(node, scope)

    def _filter(self, node: nodes.Filter | nodes.Test, scope: dict[str, Schema]) -> None:
        known = self.env.filters if isinstance(node, nodes.Filter) else self.env.tests
        if node.name not in known:
            self.fault("filter", node.name, node)
        if node.node is not None:
            self.expr(node.node, scope)
        if isinstance(node, nodes.Filter) and node.name in _ATTRIBUTE_FILTERS:
            named = [*node.args, *(kw.value for kw in node.kwargs)]
            for arg in named:
                if isinstance(arg, nodes.Const) and isinstance(arg.value, str) and _unsafe_name(arg.value):
                    self.fault("unsafe", f"{node.name}({arg.value!r})", node)
            if node.name == "attr" and not all(isinstance(arg, nodes.Const) for arg in node.args):
                self.fault("unsafe", "attr(…)", node)  # a name computed at run time: cannot be checked
        self._arguments(node, scope)

    def _arguments(self, node: nodes.Call | nodes.Filter | nodes.Test, scope: dict[str, Schema]) -> None:
        for arg in [*node.args, *(kw.value for kw in node.kwargs), node.dyn_args, node.dyn_kwargs]:
            if arg is not None:
                self.expr(arg, scope)


def _where(lines: list[str], lineno: int) -> str:
    if not 1 <= lineno <= len(lines):
        return ""
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", lines[lineno - 1])).strip()
    return text if len(text) <= 60 else f"{text[:30]}…{text[-29:]}"  # how it starts and ends


def _assigned(tree: nodes.Template) -> set[str]:
    """Every name the template sets itself, anywhere (loop targets, set, macros, their arguments)."""
    names = {n.name for n in tree.find_all(nodes.Name) if n.ctx in ("store", "param")}
    names |= {m.name for m in tree.find_all(nodes.Macro)}
    return names | {"loop", "caller", "varargs", "kwargs"}


def analyse(
    env: Environment, sources: Iterable[TemplateText], context: Mapping[str, Any], limits: RenderLimits
) -> list[Fault]:
    """The faults of every text of a template against ``context`` (the kind's sample), in order:
    parse errors are raised (``TemplateSyntaxError``), everything else is returned."""
    root = {str(k): schema_of(v) for k, v in context.items()}
    faults: list[Fault] = []
    for source in sources:
        tree = env.parse(source.text)
        lines = source.text.split("\n")
        assigned = _assigned(tree)
        for name in sorted(meta.find_undeclared_variables(tree) - root.keys() - assigned):
            node = next((n for n in tree.find_all(nodes.Name) if n.name == name), None)
            faults.append(Fault("field", name, _where(lines, node.lineno if node else 0)))
        macros = {m.name for m in tree.find_all(nodes.Macro)}
        walker = _Walker(env=env, root=root, macros=macros, lines=lines, loop_limit=limits.loop_iterations)
        walker.visit(tree, {})
        faults += walker.faults
    return faults
