"""The statistics' counters (``analytics.models.Rollup``): kept current from the audit log.

Why this way (docs/adr/0015-statistics-rollups.md): every service already writes an audit row in
the transaction of its change, naming what it changed, and the kernel keeps the chain's head (the
last sequence number) in one row. So the figures never need a hook in each domain, nor a worker
that may be behind: a page that reads statistics first compares the rollups' mark with the head
(one query) and, when something was written since, recounts the counts of the rounds those audit
rows lead to (``changes.py``, ``build.py``), in one transaction, before it reads. A change is
therefore in the next page's figures; what depends on today (overdue, warning levels) is derived
on read from the deadlines the rows keep. Writes that bypass the services (the admin, a shell, the
synthetic generator's bulk rows) are not in the log: ``rebuild_rollups`` recounts everything (the
generator calls it at its end; ``manage.py analytics_rollup --rebuild`` runs nightly as a safety
net, and ``--check`` compares the rollups with a live recount).
"""

from __future__ import annotations

from django.db import DEFAULT_DB_ALIAS, transaction
from django.db.models import Subquery
from django.utils import timezone

from xuncha.analytics.models import RollupMark
from xuncha.analytics.rollups.build import recount
from xuncha.analytics.rollups.changes import Everything, changes_since
from xuncha.audit.models import AuditHead

__all__ = ["rebuild_rollups", "rollups_current"]

# More audit rows than this since the mark (a bulk import, a long time without statistics being
# read): recounting every round costs less than reading them.
BACKLOG = 20_000


def _head(using: str) -> int:
    return AuditHead.objects.using(using).filter(pk=1).values_list("last_seq", flat=True).first() or 0


def rollups_current(using: str = DEFAULT_DB_ALIAS) -> None:
    """Make the rollups count every change audited so far; one query when they already do."""
    head = Subquery(AuditHead.objects.using(using).filter(pk=1).values("last_seq")[:1])
    row = RollupMark.objects.using(using).filter(pk=1).annotate(head=head).values_list("seq", "head").first()
    if row is not None and row[0] >= 0 and row[0] >= (row[1] or 0):
        return
    _catch_up(using)


def _locked_mark(using: str) -> RollupMark:
    """The mark, locked: one recount at a time; whoever waited finds the work done."""
    mark = RollupMark.objects.using(using).select_for_update().filter(pk=1).first()
    if mark is None:
        RollupMark.objects.using(using).get_or_create(pk=1)
        mark = RollupMark.objects.using(using).select_for_update().get(pk=1)
    return mark


def _catch_up(using: str) -> None:
    with transaction.atomic(using=using):
        mark = _locked_mark(using)
        head = _head(using)
        if mark.seq >= 0 and mark.seq >= head:
            return
        now = timezone.now()
        try:
            if mark.seq < 0 or head - mark.seq > BACKLOG:
                raise Everything
            recount(using, changes_since(using, mark.seq, head))
        except Everything:
            recount(using, None)
            mark.rebuilt_at = now
        mark.seq, mark.refreshed_at = head, now
        mark.save(using=using)


def rebuild_rollups(using: str = DEFAULT_DB_ALIAS) -> int:
    """Recount every round from scratch (after bulk writes that left no audit rows); rows written."""
    with transaction.atomic(using=using):
        mark = _locked_mark(using)
        written = recount(using, None)
        mark.seq, mark.refreshed_at = _head(using), timezone.now()
        mark.rebuilt_at = mark.refreshed_at
        mark.save(using=using)
    return written
