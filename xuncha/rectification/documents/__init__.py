"""The rectification documents (督办文书, 整改情况报告, 主要负责人报告, 整改方案): contexts and
default templates.

Imported from ``RectificationConfig.ready()``: registers the four kinds with the document engine.
"""

from xuncha.documents.kinds import DocumentKind
from xuncha.documents.registry import register
from xuncha.rectification.documents import contexts, plan, templates

register(DocumentKind.ESCALATION_LETTER, sample=contexts.escalation_letter_sample, builder=templates.escalation_letter)
register(
    DocumentKind.RECTIFICATION_REPORT,
    sample=contexts.rectification_report_sample,
    builder=templates.rectification_report,
)
register(DocumentKind.LEADER_REPORT, sample=contexts.leader_report_sample, builder=templates.leader_report)
register(DocumentKind.RECTIFICATION_PLAN, sample=plan.plan_sample, builder=templates.rectification_plan)

from xuncha.rectification.documents import pdf  # noqa: E402, F401  (their PDF for the archive: documents.pdf_jobs)
