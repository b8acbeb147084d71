"""The planning documents (授权书, 进驻通知, 公告): contexts, default templates, exports.

Imported from ``PlansConfig.ready()``: registers the three kinds with the document engine, and
their PDF (``pdf``).
"""

from xuncha.documents.kinds import DocumentKind
from xuncha.documents.registry import register
from xuncha.plans.documents import contexts, templates

register(DocumentKind.TEAM_AUTHORISATION, sample=contexts.authorisation_sample, builder=templates.team_authorisation)
register(DocumentKind.ENTRY_NOTICE, sample=contexts.entry_notice_sample, builder=templates.entry_notice)
register(DocumentKind.ANNOUNCEMENT, sample=contexts.announcement_sample, builder=templates.announcement)

from xuncha.plans.documents import pdf  # noqa: E402, F401  (their PDF for the archive: documents.pdf_jobs)
