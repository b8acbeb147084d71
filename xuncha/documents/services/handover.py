"""Handing a generated or stored file to a person: the trace of each hand-over.

Each hand-over of a .docx or .xlsx gets its own trace code (printed in the footer, kept in the
file's properties, hidden in its text: see ``documents.trace`` and ``documents.trace_files``), an
``ExportTrace`` row, and an audit row saying who received which kind, with the code and the
SHA-256 of the exact bytes handed over.
"""

from __future__ import annotations

import hashlib
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


def _record(*, actor: Any, code: str, when: Any, stamped: bytes, target: models.Model, **fields: Any) -> str:
    sha256 = hashlib.sha256(stamped).hexdigest()
    ExportTrace.objects.create(
        code=code,
        recipient=actor if getattr(actor, "is_authenticated", False) else None,
        created_at=when,
        file_format=trace_files.file_format(stamped),
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


def _hand_over(h: _HandOver) -> Traced:
    """One attempt: draw a code, stamp the file with it, record and audit it in one transaction."""
    code, when = trace.new_code(), timezone.now()
    with translation.override(settings.LANGUAGE_CODE):
        line = trace.trace_line(h.name, when, code, confidential=h.spec.confidential if h.spec else True)
    stamped = trace_files.stamp(h.content, line=line, code=code)
    fingerprint = {"scheme": trace.SCHEME, "bits": trace.fingerprint_bits(code), "line": line}
    with transaction.atomic():
        sha256 = _record(
            actor=h.actor, code=code, when=when, stamped=stamped, target=h.target, fingerprint=fingerprint, **h.fields
        )
        after = {**h.after, "recipient": h.name, "trace": code, "sha256": sha256}
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
