"""The feedback opinion as sent (反馈意见), handed over as Word and as PDF (版式文件): one export
for the download (``views.feedback``) and the worker (``xuncha.documents.pdf_jobs``)."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.utils.translation import gettext as _

from xuncha.documents.kinds import DocumentKind
from xuncha.documents.pdf_jobs import PdfSubject, register_pdf_source
from xuncha.documents.services import Export, stored_docx_export
from xuncha.files.storage import open_stored
from xuncha.findings.access import access_feedback
from xuncha.findings.models import Feedback


def feedback_document_export(*, actor: Any, feedback: Feedback, source: str = "") -> Export:
    """The feedback opinion as sent, stamped for ``actor`` (404 before it exists)."""
    stored = feedback.document
    if stored is None:
        raise Http404
    with open_stored(stored) as fh:
        data = fh.read()
    return stored_docx_export(
        actor=actor,
        data=data,
        kind=DocumentKind.FEEDBACK_OPINION,
        filename=_("巡察反馈意见-%(unit)s.docx") % {"unit": feedback.target.unit.name},
        target=feedback,
        source=source,
    )


def feedback_opinion_pdf(user: Any, pk: int) -> PdfSubject:
    feedback = access_feedback(user, pk, sent_only=True)
    if feedback.document_id is None:
        raise Http404
    return PdfSubject(feedback, lambda source: feedback_document_export(actor=user, feedback=feedback, source=source))


register_pdf_source("findings.feedback_opinion", label=DocumentKind.FEEDBACK_OPINION.label, fetch=feedback_opinion_pdf)
