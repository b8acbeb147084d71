"""The issued documents the benchmark downloads, written before it times them.

A feedback opinion, a transfer letter and a version of a report are files made once (when the
feedback is sent, the transfer sent, the version generated or uploaded) and then served as stored,
stamped for each reader. The synthetic data keeps file rows without bytes, and no file at all for a
sent feedback or transfer: rendering thousands of Word files would dominate its generation. So for
the picked objects only, ``issue`` makes the file the application would have made, with its own
templates and contexts, and stores it as the application does. Once done it is kept (a rerun on the
same database and media finds it and does nothing).
"""

from __future__ import annotations

from typing import Any

from django.core.files.base import ContentFile

from xuncha.common.actors import SYSTEM
from xuncha.documents.kinds import DocumentKind
from xuncha.documents.services import render_for
from xuncha.files.hashing import digests_of
from xuncha.files.models import StoredFile
from xuncha.files.services import file_store
from xuncha.files.storage import evidence_storage
from xuncha.findings.documents.contexts import feedback_context, written_texts
from xuncha.findings.models import FEEDBACK, Feedback, InspectionReport
from xuncha.findings.services.reports import CONTEXT, DOC_KIND
from xuncha.synth.bench.picks import Picks
from xuncha.transfers.documents import transfer_letter_context
from xuncha.transfers.models import Transfer


def issue(picks: Picks) -> list[str]:
    """Make the picked objects' issued files where missing; returns what was written."""
    done = []
    if picks.feedback and _feedback(picks.feedback):
        done.append(f"feedback {picks.feedback}")
    if picks.transfer and _transfer(picks.transfer):
        done.append(f"transfer {picks.transfer}")
    for kind, (report, number) in sorted(picks.report_versions.items()):
        if _version(report, number):
            done.append(f"{kind} report {report} v{number}")
    return done


def _present(stored: Any) -> bool:
    return stored is not None and evidence_storage().exists(stored.storage_name)


def _feedback(pk: int) -> bool:
    feedback = Feedback.objects.select_related("target__unit", "target__round__jurisdiction", "document").get(pk=pk)
    if _present(feedback.document):
        return False
    texts = written_texts(feedback, FEEDBACK)
    jurisdiction = feedback.target.round.jurisdiction
    content, _template = render_for(
        kind=DocumentKind.FEEDBACK_OPINION,
        jurisdiction=jurisdiction,
        context=lambda: feedback_context(feedback, today=feedback.sent_on, sections=texts),
    )
    name = f"巡察反馈意见-{feedback.target.unit.name}.docx"
    actor = feedback.sent_by or SYSTEM
    feedback.document = file_store(actor=actor, upload=ContentFile(content, name=name), scope_unit=jurisdiction)
    feedback.save(update_fields=["document"])
    return True


def _transfer(pk: int) -> bool:
    transfer = Transfer.objects.select_related("round__jurisdiction", "letter").get(pk=pk)
    if _present(transfer.letter):
        return False
    jurisdiction = transfer.round.jurisdiction
    content, _template = render_for(
        kind=DocumentKind.TRANSFER_LETTER, jurisdiction=jurisdiction, context=lambda: transfer_letter_context(transfer)
    )
    name = f"移交函-{transfer.title[:40]}.docx"
    actor = transfer.sent_by or SYSTEM
    transfer.letter = file_store(actor=actor, upload=ContentFile(content, name=name), scope_unit=jurisdiction)
    transfer.save(update_fields=["letter"])
    return True


def _version(pk: int, number: int) -> bool:
    """The version's file row exists (synthetic: no bytes, made-up digests): write at its name what
    generating the report from its problems and written parts gives (an uploaded version would be
    much the same), and give the row that file's size and digests. The size tells a file written for
    this database from one written for another that shares the media directory and the name."""
    report = InspectionReport.objects.select_related("round__jurisdiction", "target__unit", "team").get(pk=pk)
    version = report.versions.select_related("file").get(number=number)
    stored, storage = version.file, evidence_storage()
    if storage.exists(stored.storage_name) and storage.size(stored.storage_name) == stored.size:
        return False
    texts = written_texts(report, report.kind)
    today = version.created_at.date()
    content, _template = render_for(
        kind=DOC_KIND[report.kind],
        jurisdiction=report.round.jurisdiction,
        context=lambda: CONTEXT[report.kind](report, today=today, sections=texts),
    )
    if storage.exists(stored.storage_name):
        storage.delete(stored.storage_name)
    storage.save(stored.storage_name, ContentFile(content))
    digests = digests_of([content])
    StoredFile.objects.filter(pk=stored.pk).update(size=digests.size, sha256=digests.sha256, sm3=digests.sm3)
    return True
