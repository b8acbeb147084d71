"""Is an uploaded template safe and usable? It must render the sample context in the sandbox.

Checked before anything is stored, so a refused template leaves no trace but the message.
"""

from __future__ import annotations

import io
import logging

from django.utils.translation import gettext as _
from jinja2 import TemplateError, TemplateSyntaxError, UndefinedError
from jinja2.exceptions import SecurityError

from xuncha.common.exceptions import ServiceError
from xuncha.documents.registry import sample_context
from xuncha.documents.rendering import render_docx
from xuncha.files import guard

logger = logging.getLogger(__name__)

# A Word template is a few hundred KB unpacked; this bounds what a crafted ZIP makes us inflate.
MAX_UNPACKED_BYTES = 30 * 1024 * 1024


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


def check_template(kind: str, data: bytes, *, name: str = "") -> None:
    """Raise ``ServiceError`` with a message an office can act on, or return quietly."""
    _check_package(data, name or _("模板文件"))
    sample = sample_context(kind)  # outside the try: an unregistered kind is our bug, not the file's
    try:
        render_docx(io.BytesIO(data), sample, strict=True)
    except SecurityError:
        logger.warning("Refused a %s template that tried to reach Python internals", kind)
        raise ServiceError(
            _("模板含有不允许的写法（试图访问系统内部对象或以下划线开头的属性），已拒绝上传。"), code="template_unsafe"
        )
    except TemplateSyntaxError as exc:
        raise ServiceError(
            _("模板中的 {{ }} 或 {%% %%} 标记有语法错误：%(detail)s") % {"detail": exc.message}, code="template_syntax"
        )
    except UndefinedError as exc:
        raise ServiceError(
            _("模板引用了系统不提供的字段：%(detail)s。请对照默认模板中的字段名修改。") % {"detail": exc.message},
            code="template_field",
        )
    except TemplateError as exc:
        raise ServiceError(_("模板无法生成文书：%(detail)s") % {"detail": exc.message}, code="template_error")
    except Exception:
        # A crafted file can fail anywhere in lxml, zipfile or python-docx; the office needs to
        # know it was refused, not which library choked.
        logger.exception("A %s template failed to render", kind)
        raise ServiceError(_("模板文件无法解析，请用 Word 另存为 .docx 后重新上传。"), code="template_broken")
