"""The feedback opinion as sent (反馈意见) and each version of a team's report, handed over as Word
and as PDF (版式文件): one export each for the download (``views``) and the worker
(``xuncha.documents.pdf_jobs``)."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xuncha.documents.kinds import DocumentKind
from xuncha.documents.pdf_jobs import PdfSubject, register_pdf_source
from xuncha.documents.services import Export, stored_file_export
from xuncha.findings.access import access_draft, access_feedback
from xuncha.findings.models import Feedback, InspectionReport, ReportVersion
from xuncha.findings.services.reports import DOC_KIND


def feedback_document_export(*, actor: Any, feedback: Feedback, source: str = "") -> Export:
    """The feedback opinion as sent, stamped for ``actor`` (404 before it exists)."""
    stored = feedback.document
    if stored is None:
        raise Http404
    return stored_file_export(
        actor=actor,
        stored=stored,
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


def report_version_export(*, actor: Any, report: InspectionReport, version: ReportVersion, source: str = "") -> Export:
    """Version ``version`` of the report (第N稿) as stored, stamped for ``actor``."""
    return stored_file_export(
        actor=actor,
        stored=version.file,
        kind=DOC_KIND[report.kind],
        filename=f"{report.title}-第{version.number}稿.docx",
        target=report,
        source=source,
    )


def report_version_pdf(user: Any, pk: int) -> PdfSubject:
    """``pk``: the version's id; the report's access door decides (404 for another team's)."""
    report_id = ReportVersion.objects.filter(pk=pk).values_list("report_id", flat=True).first()
    if report_id is None:
        raise Http404
    report = access_draft(user, report_id)
    version = report.versions.select_related("file").get(pk=pk)
    return PdfSubject(
        report, lambda source: report_version_export(actor=user, report=report, version=version, source=source)
    )


register_pdf_source("findings.report_version", label=gettext_lazy("巡察报告文稿"), fetch=report_version_pdf)
