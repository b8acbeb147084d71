"""The rectification documents as PDF (版式文件): the same access checks and exports as the Word
downloads (``views.letters``, ``views.reports``), for the worker (``xuncha.documents.pdf_jobs``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext_lazy

from xuncha.documents.kinds import DocumentKind
from xuncha.documents.pdf_jobs import PdfSubject, register_pdf_source
from xuncha.rectification.access import access_plan, access_plan_record
from xuncha.rectification.models import EscalationLetter, PlanReport, ReportKind
from xuncha.rectification.services.letters import letter_export
from xuncha.rectification.services.reports import plan_docx_export, report_draft, report_file_export


def letter_pdf(user: Any, pk: int) -> PdfSubject:
    letter = access_plan_record(user, EscalationLetter, pk)
    return PdfSubject(letter, lambda source: letter_export(actor=user, letter=letter, source=source))


def report_file_pdf(user: Any, pk: int) -> PdfSubject:
    report = access_plan_record(user, PlanReport, pk)
    return PdfSubject(report, lambda source: report_file_export(actor=user, report=report, source=source))


def plan_pdf(user: Any, pk: int) -> PdfSubject:
    plan = access_plan(user, pk)
    return PdfSubject(plan, lambda source: plan_docx_export(actor=user, plan=plan, source=source))


def _report_draft_pdf(kind: str) -> Callable[[Any, int], PdfSubject]:
    def fetch(user: Any, pk: int) -> PdfSubject:
        plan = access_plan(user, pk)
        return PdfSubject(plan, lambda source: report_draft(actor=user, plan=plan, kind=kind, source=source))

    return fetch


register_pdf_source("rectification.letter", label=DocumentKind.ESCALATION_LETTER.label, fetch=letter_pdf)
register_pdf_source("rectification.report_file", label=gettext_lazy("已报送的整改报告"), fetch=report_file_pdf)
register_pdf_source("rectification.plan", label=DocumentKind.RECTIFICATION_PLAN.label, fetch=plan_pdf)
for _kind in ReportKind:
    register_pdf_source(
        f"rectification.report_draft.{_kind.value}", label=_kind.label, fetch=_report_draft_pdf(_kind.value)
    )
