"""The checks every upload passes, shared by the form field and the service.

The form runs them so the page shows the error next to the field; the service runs them again
because it is the guarantee (API calls and imports have no form).
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.utils.translation import gettext as _

from xuncha.common.exceptions import ServiceError
from xuncha.files import guard
from xuncha.files.models import Kind
from xuncha.files.sniff import KINDS, Problem, Sniffed, sniff

logger = logging.getLogger(__name__)

# Control characters, and the bidirectional overrides that make "报告\u202efdp.exe" display as
# "报告exe.pdf": a name must read as what it is.
_UNSAFE_IN_NAME = re.compile("[\x00-\x1f\x7f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
NAME_MAX = 255


@dataclass(frozen=True)
class CheckedUpload:
    upload: File
    name: str
    sniffed: Sniffed

    @property
    def kind(self) -> str:
        return self.sniffed.kind


def max_upload_bytes() -> int:
    return settings.FILES_MAX_UPLOAD_MB * 1024 * 1024


def accept_attribute() -> str:
    """For ``<input type=file accept=…>``: the browser's picker offers only allowed extensions."""
    return ",".join(f".{ext}" for spec in KINDS.values() for ext in spec.extensions)


def clean_original_name(raw: str | None) -> str:
    """The uploader's file name for display: last path part only, no control characters, ≤255."""
    name = (raw or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = _UNSAFE_IN_NAME.sub("", unicodedata.normalize("NFC", name)).strip()
    if len(name) > NAME_MAX:
        stem, dot, ext = name.rpartition(".")
        name = f"{stem[: NAME_MAX - len(ext) - 1]}.{ext}" if dot and len(ext) < 16 else name[:NAME_MAX]
    return name


def _extension(name: str) -> str:
    stem, dot, ext = name.rpartition(".")
    return ext.lower() if dot and stem else ""


def _allowed_formats() -> str:
    return _("PDF、OFD、Word、Excel、PowerPoint、JPG/PNG 图片、纯文本")


def too_large_error(name: str) -> ServiceError:
    return ServiceError(
        _("文件“%(name)s”超过 %(limit)s MB 的上限。") % {"name": name, "limit": settings.FILES_MAX_UPLOAD_MB},
        code="file_too_large",
    )


def empty_error(name: str) -> ServiceError:
    return ServiceError(_("文件“%(name)s”是空文件。") % {"name": name}, code="file_empty")


def _check_size(upload: File, name: str) -> None:
    # upload.size is the upload handler's byte count: nothing has to be read to know it.
    if upload.size is not None and upload.size > max_upload_bytes():
        raise too_large_error(name)
    if upload.size == 0:
        raise empty_error(name)


def _check_content(sniffed: Sniffed, name: str) -> None:
    if sniffed.problem == Problem.MACRO:
        raise ServiceError(
            _("文件“%(name)s”含有宏代码，不能上传；请另存为不含宏的格式（如 .docx、.xlsx）后重新上传。")
            % {"name": name},
            code="file_macro",
        )
    if sniffed.problem == Problem.ENCRYPTED:
        raise ServiceError(
            _("文件“%(name)s”已加密，无法核验内容；请取消密码后重新上传。") % {"name": name}, code="file_encrypted"
        )
    if sniffed.problem == Problem.EXECUTABLE:
        logger.warning("Refused an executable uploaded as %r", name)
    if sniffed.problem:  # executables too: the uploader learns no more than "not allowed"
        raise ServiceError(
            _("文件“%(name)s”的实际类型不是允许的格式（%(allowed)s）。")
            % {"name": name, "allowed": _allowed_formats()},
            code="file_type",
        )


def _check_extension(sniffed: Sniffed, name: str) -> None:
    # The name is what officials see in lists and what the download is called; it must not lie.
    extensions = KINDS[sniffed.kind].extensions
    if _extension(name) not in extensions:
        raise ServiceError(
            _("文件“%(name)s”的扩展名与实际内容不符：内容是%(kind)s，请将扩展名改为 .%(ext)s 后重新上传。")
            % {"name": name, "kind": Kind(sniffed.kind).label, "ext": extensions[0]},
            code="file_extension",
        )


def _check_safe_to_open(upload: File, name: str, limits: guard.Limits | None) -> None:
    try:
        guard.inspect(upload, limits)
    except guard.HostileFile as exc:
        logger.warning("Refused %r, not safe to open: %s", name, exc)
        raise guard.refusal(name, exc) from exc


def check_upload(upload: File, *, limits: guard.Limits | None = None) -> CheckedUpload:
    """Size, content type and name of one upload; raises ``ServiceError`` naming the file.

    Bombs are refused before the sniffer (or anything after it) opens the container, under the
    installation's limits or tighter ``limits`` where the caller parses the whole file.
    """
    name = clean_original_name(upload.name)
    if not name:
        raise ServiceError(_("上传的文件没有文件名。"), code="file_no_name")
    _check_size(upload, name)
    _check_safe_to_open(upload, name, limits)
    sniffed = sniff(upload)
    _check_content(sniffed, name)
    _check_extension(sniffed, name)
    return CheckedUpload(upload=upload, name=name, sniffed=sniffed)


def check_uploads(uploads: Iterable[File]) -> list[CheckedUpload]:
    """Check all, then raise one error listing every bad file (so one round trip fixes them all)."""
    checked: list[CheckedUpload] = []
    errors: list[ValidationError] = []
    for upload in uploads:
        try:
            checked.append(check_upload(upload))
        except ValidationError as exc:
            errors.extend(exc.error_list)
    if errors:
        raise ServiceError(errors)
    return checked
