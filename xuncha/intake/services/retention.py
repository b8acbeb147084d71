"""Retention: once a round has been archived for the configured time, its reports' content goes.

What goes: the sealed text, contact details, messages, attachments and — last — the wrapped data
key (so even a backup copy of the ciphertext can no longer be opened). What stays: the report
row with its unit, channel, dates, state and classification, so the round's counts still add up.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from xuncha.audit.services import audit_record
from xuncha.common import crypto
from xuncha.common.actors import SYSTEM
from xuncha.files.storage import evidence_storage
from xuncha.intake.models import Report, ReportAttachment, ReportMessage
from xuncha.plans.models import Round, RoundState


@dataclass
class Purged:
    rounds: list[str] = field(default_factory=list)
    reports: int = 0
    files: int = 0
    messages: int = 0


def due_for_purge(now: Any = None) -> Any:
    """Rounds archived longer ago than XUNCHA_REPORT_RETENTION_DAYS that still hold content."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.XUNCHA_REPORT_RETENTION_DAYS)
    return (
        Round.objects.filter(state=RoundState.ARCHIVED, events__to_state=RoundState.ARCHIVED)
        .filter(events__created_at__lte=cutoff, reports__purged_at__isnull=True)
        .distinct()
        .order_by("pk")
    )


@transaction.atomic
def round_reports_purge(*, rnd: Round, actor: Any = SYSTEM, now: Any = None) -> Purged:
    now = now or timezone.now()
    reports = Report.objects.select_for_update().filter(round=rnd, purged_at__isnull=True)
    ids = list(reports.values_list("pk", flat=True))
    files = list(ReportAttachment.objects.filter(report__in=ids).values_list("storage_name", flat=True))
    done = Purged(rounds=[rnd.name], reports=len(ids), files=len(files))
    done.messages, _ = ReportMessage.objects.filter(report__in=ids).delete()
    ReportAttachment.objects.filter(report__in=ids).delete()
    Report.objects.filter(pk__in=ids).update(
        content=b"", contact=None, wrapped_key="", receipt_hash=None, purged_at=now, updated_at=now
    )
    audit_record(
        actor=actor,
        action="intake.report.purge",
        target=rnd,
        after={"reports": done.reports, "files": done.files, "messages": done.messages},
    )
    # The files go once the rows are gone for good; a failed run leaves only sealed orphans.
    transaction.on_commit(lambda: _delete_files(files))
    return done


def _delete_files(names: list[str]) -> None:
    storage = evidence_storage()
    for name in names:
        storage.delete(name)


def reports_rewrap(*, actor: Any = SYSTEM, batch: int = 500) -> tuple[int, int]:
    """Re-wrap every report's data key under the active master key (after a key rotation).

    Only the small wrapped keys are rewritten, never the sealed content or files. Returns
    (keys checked, keys rewritten); safe to interrupt and run again.
    """
    checked = rewritten = 0
    last = 0
    while True:
        rows = list(
            Report.objects.filter(pk__gt=last, purged_at__isnull=True)
            .order_by("pk")
            .values_list("pk", "wrapped_key")[:batch]
        )
        if not rows:
            break
        with transaction.atomic():
            for pk, wrapped in rows:
                new = crypto.rewrap(wrapped)
                if new != wrapped:
                    Report.objects.filter(pk=pk, wrapped_key=wrapped).update(wrapped_key=new)
                    rewritten += 1
            checked += len(rows)
        last = rows[-1][0]
    if rewritten:
        with transaction.atomic():
            audit_record(
                actor=actor, action="intake.report.rewrap", target_type="intake.report", after={"rewritten": rewritten}
            )
    return checked, rewritten
