"""The transfer letter (移交函) handed over as Word and as PDF (版式文件): one export for the download
(``views.transfer_letter``) and the worker (``xuncha.documents.pdf_jobs``). Imported from
``TransfersConfig.ready()`` through ``documents``."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.utils.translation import gettext as _

from xuncha.documents.kinds import DocumentKind
from xuncha.documents.pdf_jobs import PdfSubject, register_pdf_source
from xuncha.documents.services import Export, stored_file_export
from xuncha.transfers.access import access_transfer
from xuncha.transfers.models import Transfer


def transfer_letter_export(*, actor: Any, transfer: Transfer, source: str = "") -> Export:
    """The letter as issued, stamped for ``actor`` (404 before it exists)."""
    stored = transfer.letter
    if stored is None:
        raise Http404
    return stored_file_export(
        actor=actor,
        stored=stored,
        kind=DocumentKind.TRANSFER_LETTER,
        filename=_("移交函-%(title)s.docx") % {"title": transfer.title[:40]},
        target=transfer,
        source=source,
    )


def transfer_letter_pdf(user: Any, pk: int) -> PdfSubject:
    transfer = access_transfer(user, pk)
    if transfer.letter_id is None:
        raise Http404
    return PdfSubject(transfer, lambda source: transfer_letter_export(actor=user, transfer=transfer, source=source))


register_pdf_source("transfers.transfer_letter", label=DocumentKind.TRANSFER_LETTER.label, fetch=transfer_letter_pdf)
