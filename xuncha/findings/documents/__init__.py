"""The findings documents (巡察报告, 专题报告, 问题线索报告, 反馈意见): contexts and default templates.

Imported from ``FindingsConfig.ready()``: registers the four kinds with the document engine.
"""

from xuncha.documents.kinds import DocumentKind
from xuncha.documents.registry import register
from xuncha.findings.documents import contexts, templates

register(DocumentKind.INSPECTION_REPORT, sample=contexts.inspection_report_sample, builder=templates.inspection_report)
register(DocumentKind.THEMATIC_REPORT, sample=contexts.thematic_report_sample, builder=templates.thematic_report)
register(DocumentKind.CLUE_REPORT, sample=contexts.clue_report_sample, builder=templates.clue_report)
register(DocumentKind.FEEDBACK_OPINION, sample=contexts.feedback_sample, builder=templates.feedback_opinion)

from xuncha.findings.documents import pdf  # noqa: E402, F401  (the feedback opinion as PDF: documents.pdf_jobs)
