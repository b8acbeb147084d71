"""Is an uploaded template safe and usable? Checked before anything is stored, so a refused
template leaves no trace but the message (and the audit row of the refusal, services/templates.py).

In this order, each step with its own message:

1. the package: the bomb checks again, under the template's own limit;
2. the text, without running it: every text docxtpl renders is parsed (syntax errors), then read
   in every branch, taken or not: names, attributes, calls, filters (``template_analysis.py``);
3. the renders, under the limits of time, loop iterations and output (``limits.py``): the kind's
   sample in strict mode, and variants of it (``sample_variants``) so that each ``{% if %}`` of the
   default templates goes both ways in one of them and a template that fails when a list is empty
   or a field blank fails here, not in a county's document;
4. the result: the GB/T 9704 checks (``conformance.py``) on the rendered sample.
"""

from __future__ import annotations

import importlib
import io
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from jinja2 import TemplateError, TemplateSyntaxError, UndefinedError
from jinja2.exceptions import SecurityError

from xuncha.common.exceptions import ServiceError
from xuncha.documents import trace, trace_files
from xuncha.documents.kinds import SPECS
from xuncha.documents.limits import LIMITS, RenderLimitExceeded, loops_exceeded
from xuncha.documents.registry import sample_context
from xuncha.documents.rendering import TemplateText, load_template, render_docx, template_sources
from xuncha.documents.sandbox import document_env
from xuncha.documents.template_analysis import Fault, analyse
from xuncha.files import guard

logger = logging.getLogger(__name__)

# A Word template is a few hundred KB unpacked; this bounds what a crafted ZIP makes us inflate.
MAX_UNPACKED_BYTES = 30 * 1024 * 1024
# When the sample is "handed over" for the GB/T 9704 check (any fixed time will do).
SAMPLE_HANDED_OVER = datetime(2026, 1, 1, 9, 0)
# How many faults of one kind a refusal names (the rest: "等N处").
_NAMED = 5


def template_limits() -> guard.Limits:
    return guard.Limits.from_settings(max_unpacked=MAX_UNPACKED_BYTES)


def _check_package(data: bytes, name: str) -> None:
    """The bomb checks again, under the template's own limit, before docxtpl parses anything."""
    try:
        guard.check_zip(data, template_limits())
    except guard.ZIP_ERRORS:
        raise ServiceError(_("模板文件已损坏，无法打开。"), code="template_broken") from None
    except guard.HostileFile as exc:
        if exc.reason == guard.Reason.UNPACKED:
            raise ServiceError(_("模板文件解压后超过 30 MB，不像是公文模板。"), code="template_too_big") from exc
        raise guard.refusal(name, exc) from exc


def _broken() -> ServiceError:
    return ServiceError(_("模板文件无法解析，请用 Word 另存为 .docx 后重新上传。"), code="template_broken")


def _unsafe(detail: str) -> ServiceError:
    return ServiceError(
        _("模板含有不允许的写法（试图访问系统内部对象或以下划线开头的属性，或引用其他模板），已拒绝上传：%(detail)s。")
        % {"detail": detail},
        code="template_unsafe",
    )


# --- 2. the text, every branch -------------------------------------------------------------------


def _read(data: bytes) -> list[TemplateText]:
    try:
        return template_sources(load_template(io.BytesIO(data)))
    except Exception:
        # A crafted file can fail anywhere in lxml, zipfile or python-docx; the office needs to
        # know it was refused, not which library choked.
        logger.exception("A template could not be opened")
        raise _broken() from None


def _listed(faults: list[Fault]) -> str:
    named = [f"{f.detail}（位置：“{f.where}”）" if f.where else f.detail for f in faults[:_NAMED]]
    more = _("等%(count)s处") % {"count": len(faults)} if len(faults) > _NAMED else ""
    return "；".join(named) + more


def _static_refusal(faults: list[Fault]) -> ServiceError:
    """One message for the most serious kind of fault, naming each of that kind (up to five)."""
    by_code: dict[str, list[Fault]] = {}
    for fault in faults:
        by_code.setdefault(fault.code, []).append(fault)
    if "unsafe" in by_code:
        return _unsafe(_listed(by_code["unsafe"]))
    if "loops" in by_code:
        message = loops_exceeded(LIMITS).message
        return ServiceError(f"{message}（{_listed(by_code['loops'])}）", code="template_limit_loops")
    if "call" in by_code:
        return ServiceError(
            _("模板调用了不允许的函数或方法：%(detail)s。模板只能调用字符串的常用方法和模板自己定义的宏。")
            % {"detail": _listed(by_code["call"])},
            code="template_call",
        )
    if "filter" in by_code:
        return ServiceError(
            _("模板使用了不存在的过滤器或判断：%(detail)s。") % {"detail": _listed(by_code["filter"])},
            code="template_filter",
        )
    return ServiceError(
        _("模板引用了系统不提供的字段：%(detail)s。请对照默认模板中的字段名修改。")
        % {"detail": _listed(by_code["field"])},
        code="template_field",
    )


def _check_text(kind: str, sources: list[TemplateText], sample: Mapping[str, Any]) -> None:
    env = document_env(strict=True)
    try:
        faults = analyse(env, sources, sample, LIMITS)
    except TemplateSyntaxError as exc:
        raise ServiceError(
            _("模板中的 {{ }} 或 {%% %%} 标记有语法错误：%(detail)s") % {"detail": exc.message}, code="template_syntax"
        ) from None
    if faults:
        if any(f.code == "unsafe" for f in faults):
            logger.warning("Refused a %s template that tried to reach Python internals", kind)
        raise _static_refusal(faults)


# --- 3. the renders ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Variant:
    """One context an upload is rendered with: the sample or a variation of it."""

    case: Any  # how a refusal names it: "模板在<case>时无法生成文书"
    context: dict[str, Any]
    strict: bool  # unknown names are errors (the sample's shape) or blanks (as in production)


def _filled(value: Any) -> Any:
    """Every blank string, zero and false of the sample filled in: the optional parts show."""
    if isinstance(value, Mapping):
        return {k: _filled(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_filled(v) for v in value]
    if isinstance(value, bool):
        return True
    if isinstance(value, str) and not value:
        return "示例"
    if isinstance(value, int | float | Decimal) and not value:
        return value + 1  # of its own type: 1, 1.0, Decimal(1)
    return value


def _blank(value: Any, *, keep_lists: bool) -> Any:
    """Every string blank, every number zero, every flag false (and, unless ``keep_lists``, no
    list items): what a round that has not done much yet looks like."""
    if isinstance(value, Mapping):
        return {k: _blank(v, keep_lists=keep_lists) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_blank(v, keep_lists=keep_lists) for v in value] if keep_lists else []
    if isinstance(value, bool):
        return False
    if isinstance(value, str):
        return ""
    if isinstance(value, int | float | Decimal):
        return type(value)(0)
    return value  # dates, images, None


def _hollow(value: Any, *, in_item: bool = False) -> Any:
    """The lists inside list items emptied (a unit with no problems yet, a problem without tasks)."""
    if isinstance(value, Mapping):
        return {k: _hollow(v, in_item=in_item) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [] if in_item else [_hollow(v, in_item=True) for v in value]
    return value


# Sample flags: values a field takes in real documents that no variant above reaches, each one
# more variant (the default templates print a copy number "××××××" on classified documents only).
# A test shows every branch of every default template is taken by some variant: a new branch that
# depends on a value adds its flag here.
SAMPLE_FLAGS: dict[str, tuple[Any, ...]] = {"secrecy": ("秘密",)}


def sample_variants(sample: dict[str, Any]) -> list[Variant]:
    """The sample (strict), all filled in (strict: the same shape), all blank, without list items
    and with list items that have none of their own (as production renders them: a blank prints
    as nothing, so ``{{ items|first }}`` is not an error there; what fails anyway, ``1 / n.problems``
    or ``items[0].name``, fails here too), and the sample flags."""
    variants = [
        Variant(gettext_lazy("用示例数据生成"), sample, True),
        Variant(gettext_lazy("各项内容都填写"), _filled(sample), True),
        Variant(gettext_lazy("各项内容为空或为零"), _blank(sample, keep_lists=True), False),
        Variant(gettext_lazy("没有任何列表项"), _blank(sample, keep_lists=False), False),
        Variant(gettext_lazy("列表项没有下级内容"), _hollow(sample), False),
    ]
    for key, values in SAMPLE_FLAGS.items():
        if key in sample:
            variants += [
                Variant(_("%(field)s为“%(value)s”") % {"field": key, "value": v}, {**sample, key: v}, True)
                for v in values
            ]
    distinct: list[Variant] = []
    for variant in variants:
        if not any(variant.context == seen.context for seen in distinct):
            distinct.append(variant)
    return distinct


def _render_refusal(exc: Exception, variant: Variant) -> ServiceError:
    if isinstance(exc, RenderLimitExceeded):
        return ServiceError(exc.message, code=f"template_limit_{exc.limit}")
    if isinstance(exc, SecurityError):
        return _unsafe(str(exc.message or exc))
    if isinstance(exc, TemplateSyntaxError):
        return ServiceError(
            _("模板中的 {{ }} 或 {%% %%} 标记有语法错误：%(detail)s") % {"detail": exc.message}, code="template_syntax"
        )
    if isinstance(exc, UndefinedError):
        return ServiceError(
            _("模板引用了系统不提供的字段：%(detail)s。请对照默认模板中的字段名修改。") % {"detail": exc.message},
            code="template_field",
        )
    detail = exc.message if isinstance(exc, TemplateError) else f"{type(exc).__name__}: {exc}"
    return ServiceError(
        _("模板在%(case)s时无法生成文书（%(detail)s），请检查其中的计算和取值写法。")
        % {"case": variant.case, "detail": str(detail)[:200]},
        code="template_error",
    )


def _render(data: bytes, variant: Variant, kind: str) -> bytes:
    try:
        return render_docx(io.BytesIO(data), variant.context, strict=variant.strict, limits=LIMITS)
    except RenderLimitExceeded as exc:
        logger.warning("Refused a %s template over a render limit (%s)", kind, exc.limit)
        raise _render_refusal(exc, variant) from None
    except SecurityError as exc:
        logger.warning("Refused a %s template that tried to reach Python internals", kind)
        raise _render_refusal(exc, variant) from None
    except Exception as exc:
        if not isinstance(exc, TemplateError):
            logger.info("A %s template failed %s", kind, variant.case, exc_info=True)
        raise _render_refusal(exc, variant) from None


# --- 4. the result -------------------------------------------------------------------------------


def _conformance_faults(data: bytes, kind: str) -> list[Any]:
    """The GB/T 9704 faults of a rendered document (``conformance.check``), or [] while that
    module is not installed. Imported by name so this check works before it lands; a crash of
    the checker is our bug, logged, and does not refuse the office's template."""
    try:
        conformance = importlib.import_module("xuncha.documents.conformance")
    except ModuleNotFoundError as exc:
        if exc.name != "xuncha.documents.conformance":
            raise
        return []
    try:
        report = conformance.check(data, kind=kind)
    except Exception:
        logger.exception("The GB/T 9704 check failed on a rendered %s template", kind)
        return []
    return [] if report.ok else list(report.faults)


def _as_handed_over(data: bytes, kind: str) -> bytes:
    """The rendered sample as an office receives it: stamped with a recipient's trace and, when
    classified, a copy number in place of the placeholder (``trace_files.stamp``)."""
    code = trace.new_code()
    with translation.override(settings.LANGUAGE_CODE):
        line = trace.trace_line(_("示例收件人"), SAMPLE_HANDED_OVER, code, confidential=SPECS[kind].confidential)
    return trace_files.stamp(data, line=line, code=code, copy_no="000001")


def _check_format(data: bytes, kind: str) -> None:
    faults = _conformance_faults(_as_handed_over(data, kind), kind)
    if not faults:
        return
    named = "；".join(str(f.message) for f in faults[:3])
    more = _("等%(count)s处") % {"count": len(faults)} if len(faults) > 3 else ""
    raise ServiceError(
        _("用本模板生成的文书不符合党政机关公文格式（GB/T 9704）：%(faults)s。请对照默认模板调整版式后重新上传。")
        % {"faults": named + more},
        code="template_format",
    )


def check_template(kind: str, data: bytes, *, name: str = "") -> None:
    """Raise ``ServiceError`` with a message an office can act on, or return quietly."""
    _check_package(data, name or _("模板文件"))
    sample = sample_context(kind)  # outside any try: an unregistered kind is our bug, not the file's
    sources = _read(data)
    _check_text(kind, sources, sample)
    rendered = [_render(data, variant, kind) for variant in sample_variants(sample)]
    _check_format(rendered[0], kind)
