"""The round's reports to the committee (情况汇报, 综合报告): contexts and default templates.

Imported from ``AnalyticsConfig.ready()``: registers the two kinds with the document engine.
"""

from xuncha.analytics.documents import contexts, templates
from xuncha.documents.kinds import DocumentKind
from xuncha.documents.registry import register

register(DocumentKind.SITUATION_REPORT, sample=contexts.situation_sample, builder=templates.situation_report)
register(
    DocumentKind.COMPREHENSIVE_REPORT, sample=contexts.comprehensive_sample, builder=templates.comprehensive_report
)
