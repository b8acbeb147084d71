"""Handing a generated or stored file to a person: the trace of each hand-over.

Each hand-over of a .docx or .xlsx gets its own trace code (printed in the footer, kept in the
file's properties, hidden in its text: see ``documents.trace`` and ``documents.trace_files``), an
``ExportTrace`` row, and an audit row saying who received which kind, with the code and the
SHA-256 of the exact bytes handed over.

A hand-over made inside ``handed_over_as(conversion)`` hands out the stamped file converted (the
PDF for the archive, ``documents.pdf_jobs``): the trace goes on first, so the converted file carries
it, and the record and the audit row are those of the converted file (its format, its SHA-256).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.utils import timezone, translation

from xuncha.accounts.permissions import scope_unit_of
from xuncha.audit.services import audit_record
from xuncha.documents import trace, trace_files
from xuncha.documents.kinds import SPECS
from xuncha.documents.models import ExportTrace


def recipient_name(actor: Any) -> str:
    return str(actor.get_full_name() if hasattr(actor, "get_full_name") else actor)


@dataclass(frozen=True)
class Traced:
    content: bytes
    code: str
    sha256: str


# Two downloads drawing the same 40-bit code is practically impossible; the unique constraint
# catches it and the hand-over draws again (no lookup first: one query less per download).
CODE_ATTEMPTS = 3


@dataclass(frozen=True)
class Conversion:
    """What a hand-over inside ``handed_over_as`` does to the stamped file before it is recorded."""

    file_format: str  # what the record says, e.g. "pdf"
    convert: Callable[[bytes], bytes]


_CONVERSION: ContextVar[Conversion | None] = ContextVar("xuncha_handover_conversion", default=None)


@contextmanager
def handed_over_as(conversion: Conversion) -> Iterator[None]:
    """Every hand-over in the block hands out the stamped file converted by ``conversion``."""
    token = _CONVERSION.set(conversion)
    try:
        yield
    finally:
        _CONVERSION.reset(token)


def _record(
    *, actor: Any, code: str, when: Any, stamped: bytes, file_format: str, target: models.Model, **fields: Any
) -> str:
    sha256 = hashlib.sha256(stamped).hexdigest()
    ExportTrace.objects.create(
        code=code,
        recipient=actor if getattr(actor, "is_authenticated", False) else None,
        created_at=when,
        file_format=file_format,
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        target_label=str(target)[:200],
        scope_unit=scope_unit_of(target),
        sha256=sha256,
        **fields,
    )
    return sha256


@dataclass(frozen=True)
class _HandOver:
    """What one hand-over is, whatever code it ends up with."""

    actor: Any
    name: str
    content: bytes
    target: models.Model
    spec: Any
    action: str
    after: dict[str, Any]
    fields: dict[str, Any]


def _copy_no(h: _HandOver) -> str:
    """份号 (GB/T 9704 7.2.1) of this copy: the copies of the same document handed out before it,
    plus one, in 6 digits. Printed on a classified document (trace_files), kept in the record."""
    earlier = ExportTrace.objects.filter(
        target_type=h.target._meta.label_lower, target_id=str(h.target.pk), kind=h.fields["kind"]
    ).count()
    return f"{earlier % 999_999 + 1:06d}"


def _hand_over(h: _HandOver) -> Traced:
    """One attempt: draw a code, stamp the file with it, record and audit it in one transaction."""
    code, when = trace.new_code(), timezone.now()
    with translation.override(settings.LANGUAGE_CODE):
        line = trace.trace_line(h.name, when, code, confidential=h.spec.confidential if h.spec else True)
    # Only Word documents carry a 份号 (a workbook is a table of figures, not a 公文).
    copy_no = _copy_no(h) if trace_files.file_format(h.content) == "docx" else None
    stamped = trace_files.stamp(h.content, line=line, code=code, copy_no=copy_no)
    file_format, after = trace_files.file_format(stamped), h.after
    conversion = _CONVERSION.get()
    if conversion is not None:  # outside the transaction: a conversion takes seconds
        stamped = conversion.convert(stamped)
        file_format, after = conversion.file_format, {**h.after, "format": conversion.file_format}
    fingerprint = {"scheme": trace.SCHEME, "bits": trace.fingerprint_bits(code), "line": line, "copy_no": copy_no}
    with transaction.atomic():
        sha256 = _record(
            actor=h.actor,
            code=code,
            when=when,
            stamped=stamped,
            file_format=file_format,
            target=h.target,
            fingerprint=fingerprint,
            **h.fields,
        )
        after = {**after, "recipient": h.name, "trace": code, "sha256": sha256}
        audit_record(actor=h.actor, action=h.action, target=h.target, after=after)
    return Traced(content=stamped, code=code, sha256=sha256)


def trace_stamp(
    *,
    actor: Any,
    content: bytes,
    kind: str,
    target: models.Model,
    filename: str = "",
    kind_label: str = "",
    source: str = "",
    action: str = "documents.export",
    after: dict[str, Any] | None = None,
) -> Traced:
    """Hand ``content`` (a .docx or .xlsx) to ``actor``: stamp it with a new trace code, record
    the code and write the audit row ``action`` (``after`` plus recipient, code and SHA-256).

    ``kind``: a ``DocumentKind``, or the name of a workbook with its ``kind_label``.
    ``source``: the path the file was downloaded from.
    """
    spec, name = SPECS.get(kind), recipient_name(actor)
    label = str(spec.kind.label) if spec else str(kind_label or kind)
    fields = {
        "recipient_name": name[:80],
        "kind": kind,
        "kind_label": label[:60],
        "filename": filename[:200],
        "source": source[:500],
    }
    hand_over = _HandOver(actor, name, content, target, spec, action, after or {}, fields)
    for _attempt in range(CODE_ATTEMPTS - 1):
        try:
            return _hand_over(hand_over)
        except IntegrityError:
            continue  # the code was taken: draw another
    return _hand_over(hand_over)
