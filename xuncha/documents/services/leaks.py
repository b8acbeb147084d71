"""泄密溯源: from a trace code, a leaked file or a piece of its text, back to the download."""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from typing import Any

from django.core.files import File
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xuncha.accounts.permissions import Perm, require
from xuncha.audit.services import audit_record
from xuncha.common.exceptions import ServiceError
from xuncha.documents import selectors, trace, trace_files
from xuncha.documents.models import ExportTrace
from xuncha.files import guard
from xuncha.files.checks import check_upload

logger = logging.getLogger(__name__)


HOW_LABELS = {
    "code": gettext_lazy("输入的追溯码"),
    "property": gettext_lazy("文件属性中的追溯码"),
    "fingerprint": gettext_lazy("正文中的隐写指纹"),
    "printed": gettext_lazy("页脚或文字中的追溯码"),
    "sha256": gettext_lazy("与导出的文件完全相同"),
}


@dataclass(frozen=True)
class TraceMatch:
    row: ExportTrace
    how: list[str]  # keys of HOW_LABELS: what in the input led to this row

    @property
    def how_labels(self) -> list[str]:
        return [str(HOW_LABELS[key]) for key in self.how]


@dataclass(frozen=True)
class TraceAnswer:
    matches: list[TraceMatch]
    codes: list[str]  # every code read from the input, found or not
    message: str = ""  # when nothing was found: why, and what to try next


def _clues_from_upload(upload: File) -> tuple[list[tuple[str, str]], str]:
    checked = check_upload(upload)  # size limit, type sniffed from the content, honest name
    if checked.kind not in ("docx", "xlsx"):
        raise ServiceError(_("请上传 Word（.docx）或 Excel（.xlsx）文件。"), code="trace_not_office")
    upload.seek(0)
    data = upload.read()  # read in memory (or Django's temporary spool) and never stored
    try:
        clues = trace_files.read_clues(data)
    except guard.HostileFile as exc:  # check_upload refused it already, unless the limits changed
        raise guard.refusal(checked.name, exc) from exc
    except Exception:  # a damaged or crafted file can fail anywhere in zipfile, lxml or openpyxl
        logger.info("A file uploaded for tracing could not be read", exc_info=True)
        raise ServiceError(_("文件已损坏或无法读取，无法检查其追溯信息。"), code="trace_unreadable") from None
    found = [(clues.property_code, "property")] if clues.property_code else []
    found += [(code, "fingerprint") for code in clues.fingerprints]
    found += [(code, "printed") for code in clues.printed]
    return found, hashlib.sha256(data).hexdigest()


def _clues_from_text(text: str) -> list[tuple[str, str]]:
    found = [(code, "fingerprint") for code in trace.fingerprints_in(text)]
    return found + [(code, "printed") for code in trace.printed_codes_in(text)]


def _not_found(code: str, upload: File | None, codes: list[str]) -> str:
    if code:
        return _("没有找到追溯码 %(code)s 的导出记录。请核对追溯码；文件若由其他地区导出，请向该地区巡察办查询。") % {
            "code": codes[0]
        }
    if codes:
        return _("读出了追溯码 %(codes)s，但在您管辖的范围内没有对应的导出记录。") % {"codes": "、".join(codes)}
    if upload is not None:
        return _(
            "文件中没有追溯码、隐写指纹，也没有与之完全相同的导出文件。它可能不是本系统导出的，"
            "或经另存、重新录入后标记已丢失；请查看纸面页脚印有的追溯码。"
        )
    return _(
        "粘贴的文字中没有隐写指纹，也没有追溯码。文字若经重新录入、截图识别或某些聊天工具转发，"
        "隐写指纹会丢失；请查找原件页脚印有的追溯码。"
    )


def _read_clues(code: str, upload: File | None, text: str) -> tuple[list[tuple[str, str]], str]:
    """(code, how) for every code the input gives away, and the uploaded file's SHA-256."""
    clues: list[tuple[str, str]] = []
    sha256 = ""
    if code:
        normalised = trace.normalise_code(code)
        if normalised is None:
            raise ServiceError(_("追溯码格式不正确，应为“XC-”加 8 位字母数字，如 XC-7K3M-Q9TD。"), code="trace_code")
        clues.append((normalised, "code"))
    if upload is not None:
        found, sha256 = _clues_from_upload(upload)
        clues += found
    if text:
        clues += _clues_from_text(text)
    return clues, sha256


def _match(row: ExportTrace, clues: list[tuple[str, str]], sha256: str) -> TraceMatch:
    how = [h for c, h in clues if c == row.code] + (["sha256"] if sha256 and row.sha256 == sha256 else [])
    return TraceMatch(row, list(dict.fromkeys(how)))


def trace_lookup(*, actor: Any, code: str = "", upload: File | None = None, text: str = "") -> TraceAnswer:
    """Who downloaded the copy a code, a leaked file or a piece of its text came from, among the
    exports ``actor`` may trace (their own subtree). Every lookup is audited, found or not."""
    require(actor, Perm.TRACE_VIEW)
    clues, sha256 = _read_clues(code, upload, text)
    codes = list(dict.fromkeys(c for c, _how in clues))
    matches = [
        _match(row, clues, sha256) for row in selectors.export_trace_find(user=actor, codes=codes, sha256=sha256)
    ]
    after: dict[str, Any] = {
        "way": "code" if code else "file" if upload is not None else "text",
        "codes": codes,
        "found": [m.row.code for m in matches],
    }
    if upload is not None:
        after |= {"file": getattr(upload, "name", ""), "sha256": sha256}
    if text:
        after["text_chars"] = len(text)  # not the text itself: it may be the leaked material
    first = matches[0].row if matches else None
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="documents.trace.lookup",
            target_type=ExportTrace._meta.label_lower,
            target_id=str(first.pk) if first else "",
            target_repr=("、".join(after["found"]) or "、".join(codes) or _("未找到"))[:200],
            scope_unit=first.scope_unit if first else getattr(actor, "unit", None),
            after=after,
        )
    return TraceAnswer(matches, codes, "" if matches else _not_found(code, upload, codes))
