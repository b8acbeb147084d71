"""Writes of the documents app: exports of generated documents, the trace of each hand-over,
tracing a leaked copy back to its download, and the office's replacement templates.

Import from this package (``from xuncha.documents.services import render_for``), not from its
modules, so the split stays an internal matter.
"""

from xuncha.documents.services.exports import (
    DOCX_CONTENT_TYPE,
    DocumentUnavailable,
    Export,
    docx_filename,
    render_for,
    stored_docx_export,
    stored_file_export,
    traced_export,
)
from xuncha.documents.services.handover import Traced, recipient_name, trace_stamp
from xuncha.documents.services.leaks import HOW_LABELS, TraceAnswer, TraceMatch, trace_lookup
from xuncha.documents.services.templates import document_template_revert, document_template_upload

__all__ = [
    "DOCX_CONTENT_TYPE",
    "HOW_LABELS",
    "DocumentUnavailable",
    "Export",
    "TraceAnswer",
    "TraceMatch",
    "Traced",
    "document_template_revert",
    "document_template_upload",
    "docx_filename",
    "recipient_name",
    "render_for",
    "stored_docx_export",
    "stored_file_export",
    "trace_lookup",
    "trace_stamp",
    "traced_export",
]
