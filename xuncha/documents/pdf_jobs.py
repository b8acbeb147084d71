"""PDF (版式文件) of a document for the archive, made by the worker (docs/adr/0011-background-jobs.md).

A domain declares each document a user can download as Word, by name, with the function that
finds it for a user (``register_pdf_source``): ``fetch(user, object_id)`` checks, as the Word
download does, that the user may download it (``Http404`` / ``PermissionDenied`` otherwise) and
returns the object and the export the Word download runs. The kernel names no domain.

Starting (POST) writes a ``DocumentJob`` and queues ``pdf_job_run`` in the same transaction; the
page polls the row; the worker makes the hand-over exactly as the Word download does (the
jurisdiction's template, the recipient's trace line, marks and property, the ``ExportTrace`` row and
the domain's audit row) inside ``handed_over_as(pdf)``: the stamped .docx is converted to PDF
before it is recorded, so the PDF carries the requester's trace and the record its SHA-256, with
``"format": "pdf"`` in the audit row. The PDF is the requester's alone (``pdf_job_get``); each
download checks again that they may still download the document and is audited
(``documents.pdf.download``, with the trace code of the copy).
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.http import Http404
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xuncha.accounts.permissions import scope_unit_of
from xuncha.audit.services import audit_record
from xuncha.common.exceptions import ServiceError
from xuncha.common.tasks import enqueue, task
from xuncha.documents import pdf, trace_files
from xuncha.documents.models import DocumentJob, JobState
from xuncha.documents.services.exports import Export
from xuncha.documents.services.handover import Conversion, handed_over_as

logger = logging.getLogger(__name__)

PDF_JOB_KIND = "pdf"
# Finished or abandoned jobs (and their files) are removed after a day, like the situation reports'.
JOB_TTL = timedelta(days=1)
QUEUE_PATIENCE = timedelta(minutes=2)  # still queued after this: the worker is probably not running
JOB_STALL = timedelta(minutes=15)  # started this long ago and not finished: the worker was stopped
RECENT_JOBS = 20
FAILED_MESSAGE = gettext_lazy("PDF 文件生成时出现错误，请稍后重试；如仍失败请联系系统管理员。")
GONE_MESSAGE = gettext_lazy("您已无权下载该文件。")


@dataclass(frozen=True)
class PdfSubject:
    """A document a user may download: what it is about, and the Word hand-over of it."""

    target: models.Model  # scopes the job (its jurisdiction) and is the download's audit target
    export: Callable[[str], Export]  # the Word download's export, given the page it was asked from


Fetch = Callable[[Any, int], PdfSubject]


@dataclass(frozen=True)
class PdfSource:
    name: str
    label: str | Promise  # what the page calls it: "巡察公告", "移交函"
    fetch: Fetch


_SOURCES: dict[str, PdfSource] = {}


def register_pdf_source(name: str, *, label: str | Promise, fetch: Fetch) -> None:
    """Let ``name`` (e.g. "plans.announcement") be made as PDF: ``fetch(user, object_id)`` is the
    Word download's access check and export (from the domain's ``AppConfig.ready()``)."""
    existing = _SOURCES.get(name)
    if existing is not None and existing.fetch is not fetch:
        raise ValueError(f"PDF source {name!r} is registered twice")
    _SOURCES[name] = PdfSource(name, label, fetch)


def pdf_sources() -> list[str]:
    return sorted(_SOURCES)


def pdf_source(name: str) -> PdfSource:
    try:
        return _SOURCES[name]
    except KeyError:
        raise Http404 from None


def _object_id(raw: Any) -> int:
    try:
        value = int(raw)
    except (TypeError, ValueError):
        raise Http404 from None
    if value <= 0 or value > 2**63 - 1:
        raise Http404
    return value


# --- the request's side -----------------------------------------------------------------------


def pdf_job_start(*, actor: Any, source: str, object_id: Any, page: str = "") -> DocumentJob:
    """Queue the PDF of ``source``'s document ``object_id`` for ``actor`` (404 for anyone who may
    not download its Word file). A PDF of the same document still being made is returned instead
    of a second one."""
    found, pk = pdf_source(source), _object_id(object_id)
    subject = found.fetch(actor, pk)
    jurisdiction = scope_unit_of(subject.target)
    if jurisdiction is None:
        raise Http404
    with transaction.atomic():
        DocumentJob.objects.filter(kind=PDF_JOB_KIND, created_at__lt=timezone.now() - JOB_TTL).delete()
        running = (
            DocumentJob.objects.filter(
                kind=PDF_JOB_KIND,
                requested_by=actor,
                state=JobState.RUNNING,
                params__source=found.name,
                params__object=pk,
                created_at__gte=timezone.now() - JOB_STALL,
            )
            .defer("content")
            .first()
        )
        if running is not None:
            return running
        job = DocumentJob.objects.create(
            kind=PDF_JOB_KIND,
            requested_by=actor,
            jurisdiction=jurisdiction,
            params={
                "source": found.name,
                "object": pk,
                "label": str(found.label),
                "title": str(subject.target)[:200],
                "page": page[:500],
                # The language of the page that asked: the worker's messages follow it.
                "lang": translation.get_language(),
            },
            steps_total=1,
        )
        job.task_id = enqueue(pdf_job_run, str(job.pk))
        job.save(update_fields=["task_id"])
    return job


def pdf_job_get(*, user: Any, pk: Any, with_content: bool = False) -> DocumentJob:
    """The user's own PDF job (404 for anyone else's, whatever their role)."""
    qs = DocumentJob.objects.filter(kind=PDF_JOB_KIND, requested_by_id=getattr(user, "pk", None))
    try:
        return (qs if with_content else qs.defer("content")).get(pk=pk)
    except (DocumentJob.DoesNotExist, ValueError, TypeError, ValidationError):
        raise Http404 from None


def pdf_job_list(*, user: Any) -> list[DocumentJob]:
    """The user's PDF jobs of the last day, newest first, without their files."""
    qs = DocumentJob.objects.filter(
        kind=PDF_JOB_KIND, requested_by_id=getattr(user, "pk", None), created_at__gte=timezone.now() - JOB_TTL
    )
    return list(qs.defer("content").order_by("-created_at")[:RECENT_JOBS])


def pdf_job_waiting_long(job: DocumentJob) -> bool:
    return job.state == JobState.RUNNING and job.started_at is None and job.created_at < timezone.now() - QUEUE_PATIENCE


def pdf_job_stalled(job: DocumentJob) -> bool:
    started = job.started_at
    return job.state == JobState.RUNNING and started is not None and started < timezone.now() - JOB_STALL


def pdf_job_download(*, user: Any, job: DocumentJob, source: str = "") -> Export:
    """The finished PDF (already stamped for ``user``, its requester), while they may still download
    the document; each download is audited with the copy's trace code."""
    if job.state != JobState.DONE or job.content is None:
        raise Http404
    try:
        subject = pdf_source(job.params["source"]).fetch(user, job.params["object"])
    except PermissionDenied:
        raise Http404 from None
    content = bytes(job.content)
    trace = str(job.data.get("trace", ""))
    with transaction.atomic():
        audit_record(
            actor=user,
            action="documents.pdf.download",
            target=subject.target,
            after={
                "file": job.filename,
                "kind": job.data.get("kind", ""),
                "trace": trace,
                "sha256": hashlib.sha256(content).hexdigest(),
                "job": str(job.pk),
                "source": source[:500],
            },
        )
    return Export(
        kind=str(job.data.get("kind", "")),
        filename=job.filename,
        ascii_name=str(job.data.get("ascii_name") or "document.pdf"),
        content=content,
        content_type=pdf.PDF_CONTENT_TYPE,
        trace=trace,
    )


# --- the worker's side ------------------------------------------------------------------------


def pdf_name(filename: str) -> str:
    """The PDF's name: 巡察公告-青山镇.docx → 巡察公告-青山镇.pdf."""
    stem = filename[:-5] if filename.lower().endswith(".docx") else filename
    return f"{stem}.pdf"


def _to_pdf(data: bytes) -> bytes:
    if trace_files.file_format(data) != "docx":  # a workbook has no page layout of a 公文
        raise ServiceError(_("只有 Word 文书可以生成 PDF 文件。"), code="pdf_not_docx")
    return pdf.docx_to_pdf(data, timeout=getattr(settings, "XUNCHA_PDF_TIMEOUT", pdf.DEFAULT_TIMEOUT))


PDF_CONVERSION = Conversion(file_format="pdf", convert=_to_pdf)


@task()
def pdf_job_run(job_id: str) -> str:
    """Make the job's PDF as its requester; the final state (for the queue's record). A second run
    of the same job does nothing (the first one claimed it)."""
    job = DocumentJob.objects.select_related("requested_by").defer("content").filter(pk=job_id).first()
    if job is None or job.kind != PDF_JOB_KIND:  # removed (JOB_TTL) before the worker got to it
        return "missing"
    started = timezone.now()
    claimed = DocumentJob.objects.filter(pk=job.pk, state=JobState.RUNNING, started_at__isnull=True).update(
        started_at=started
    )
    if not claimed:
        return str(job.state)
    with translation.override(job.params.get("lang") or settings.LANGUAGE_CODE):
        changes = _make(job)
    changes.update(steps_done=1, finished_at=timezone.now())
    DocumentJob.objects.filter(pk=job.pk, state=JobState.RUNNING).update(**changes)
    return str(changes["state"])


def _failed(message: str) -> dict[str, Any]:
    return {"state": JobState.FAILED, "error": message[:500]}


def _make(job: DocumentJob) -> dict[str, Any]:
    """The hand-over of the document to the requester, as PDF: the fields the job row takes."""
    user = job.requested_by
    try:
        subject = pdf_source(job.params["source"]).fetch(user, job.params["object"])
        with handed_over_as(PDF_CONVERSION):
            export = subject.export(job.params.get("page", ""))
    except (Http404, PermissionDenied):
        return _failed(str(GONE_MESSAGE))
    except ServiceError as exc:
        return _failed(" ".join(exc.messages))
    except Exception:
        logger.exception("PDF job %s failed", job.pk)
        return _failed(str(FAILED_MESSAGE))
    if not export.content.startswith(b"%PDF-") or not export.trace:
        # The source's export did not hand over through the trace (a wiring mistake): never pass
        # on a file the record does not describe.
        logger.error("PDF source %s gave no traced PDF", job.params.get("source"))
        return _failed(str(FAILED_MESSAGE))
    return {
        "state": JobState.DONE,
        "content": export.content,
        "filename": pdf_name(export.filename)[:200],
        "content_type": pdf.PDF_CONTENT_TYPE,
        "data": {"trace": export.trace, "kind": export.kind, "ascii_name": pdf_name(export.ascii_name)},
    }
