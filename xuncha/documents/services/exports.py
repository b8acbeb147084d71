"""Exports of the generated documents (each one traced and audited, see ``handover``).

An export is a write in the sense of the house rules: it hands confidential material to a named
person. Documents kept on file (a feedback opinion as sent, a report version) are stored without
any trace (``render_for``): the trace is put on per download (``stored_docx_export``).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from xuncha.accounts.models import OrgUnit
from xuncha.common.exceptions import ServiceError
from xuncha.documents.kinds import SPECS
from xuncha.documents.limits import LIMITS, UNLIMITED, RenderLimitExceeded
from xuncha.documents.rendering import render_docx
from xuncha.documents.resolver import template_source
from xuncha.documents.services.handover import trace_stamp
from xuncha.files.models import StoredFile
from xuncha.files.sniff import KINDS
from xuncha.files.storage import open_stored

logger = logging.getLogger(__name__)


DOCX_CONTENT_TYPE = KINDS["docx"].content_type
_UNSAFE_IN_FILENAME = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]')


class DocumentUnavailable(ServiceError):
    """The document cannot exist yet (no announcement, no team): the view answers 404."""


@dataclass(frozen=True)
class Export:
    kind: str
    filename: str
    ascii_name: str
    content: bytes
    content_type: str = DOCX_CONTENT_TYPE
    trace: str = ""  # the trace code of this hand-over ("" for a file not yet handed to anyone)


def docx_filename(*parts: str) -> str:
    """A download name from its parts ("巡察公告-甲县青山镇.docx"), safe on every file system."""
    return _UNSAFE_IN_FILENAME.sub("_", "-".join(p for p in parts if p)) + ".docx"


def render_for(*, kind: str, jurisdiction: OrgUnit, context: Callable[[], dict[str, Any]]) -> tuple[bytes, Any]:
    """(the .docx, the replacement template used or None): the jurisdiction's template in force,
    rendered in the sandbox with ``context()``. No trace: store it as it is, or hand it out
    through ``trace_stamp``."""
    spec = SPECS[kind]
    # A 公文 is Chinese whatever language the reader's screen is in (choice labels, role names).
    with translation.override(settings.LANGUAGE_CODE):
        data = context()
        source, replacement = template_source(kind, jurisdiction)
        try:
            # A replacement renders under the limits it was checked with (limits.py); our own
            # templates are code we ship and may be as long as the data.
            content = render_docx(source, data, limits=LIMITS if replacement is not None else UNLIMITED)
        except Exception as exc:
            if replacement is None:
                raise  # our own template is broken: a bug, let it be seen
            # Checked when uploaded, so this is rare (a field whose data changed shape, more data
            # than the limits allow); the office needs to know which template to fix, and which
            # limit it hit, the log keeps the details.
            logger.exception("Replacement template %s failed to render", replacement.pk)
            message = _("本地区替换的%(kind)s模板无法生成文书，请巡察办重新上传或恢复默认模板。") % {
                "kind": spec.kind.label
            }
            if isinstance(exc, RenderLimitExceeded):
                message = f"{message}{exc.message}"
            raise ServiceError(message) from None
    return content, replacement


def traced_export(
    *,
    actor: Any,
    kind: str,
    jurisdiction: OrgUnit,
    build: Callable[[], dict[str, Any]],
    filename: str,
    target: Any,
    source: str,
) -> Export:
    """``kind`` rendered with ``build()`` for ``jurisdiction`` and handed to ``actor`` with a trace."""
    content, replacement = render_for(kind=kind, jurisdiction=jurisdiction, context=build)
    after = {"kind": kind, "template": replacement.pk if replacement else "default"}
    traced = trace_stamp(
        actor=actor, content=content, kind=kind, target=target, filename=filename, source=source, after=after
    )
    spec = SPECS[kind]
    return Export(kind=kind, filename=filename, ascii_name=spec.ascii_name, content=traced.content, trace=traced.code)


def stored_docx_export(*, actor: Any, data: bytes, kind: str, filename: str, target: Any, source: str = "") -> Export:
    """A stored Word file (a report version, a feedback opinion as sent) handed to ``actor``: any
    trace it carries is removed and this recipient's put on; the hand-over is recorded and audited."""
    traced = trace_stamp(
        actor=actor, content=data, kind=kind, target=target, filename=filename, source=source, after={"kind": kind}
    )
    spec = SPECS[kind]
    return Export(kind=kind, filename=filename, ascii_name=spec.ascii_name, content=traced.content, trace=traced.code)


def stored_file_export(
    *, actor: Any, stored: StoredFile, kind: str, filename: str, target: Any, source: str = ""
) -> Export:
    """``stored_docx_export`` of a file kept in storage (a document as issued: a letter, a version)."""
    with open_stored(stored) as fh:
        data = fh.read()
    return stored_docx_export(actor=actor, data=data, kind=kind, filename=filename, target=target, source=source)
