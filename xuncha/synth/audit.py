"""Synthetic audit rows that form a valid chain (``manage.py audit_verify`` passes).

Rows are hashed with the functions the audit service uses (``audit.chain.row_hash`` over
``canonical_row``), carry their MAC under the configured key (``audit.chain.row_mac``), get a signed
checkpoint at the interval of live writes, and continue the chain from its current head. The chain
is in time order across all counties of a run, as a real province's log would be: each county's
events are sorted and spooled to a temporary file while the counties are generated, then merged by
time. Chaining county after county instead would leave one county's rows in one block of ``seq``,
and "newest first" pages would then be measured on a layout no real log has.
"""

from __future__ import annotations

import heapq
import pickle
import tempfile
from collections.abc import Callable, Iterator
from datetime import datetime
from typing import IO, Any

from django.db import models

from xuncha.audit.chain import GENESIS_HASH, row_hash, row_mac
from xuncha.audit.checkpoints import checkpoint_due, sign_head
from xuncha.audit.keys import mac_keyring
from xuncha.audit.models import AuditCheckpoint, AuditEntry, AuditHead

SYSTEM_NAME = "系统"  # what audit_record writes for actions without a signed-in user
CHUNK = 5000  # events per pickled chunk: bounds the memory of the final merge


class AuditLog:
    def __init__(self, alias: str) -> None:
        self.alias = alias
        head = AuditHead.objects.using(alias).filter(pk=1).first()
        self.seq, self.hash = (head.last_seq, head.last_hash) if head else (0, GENESIS_HASH)
        self.pending: list[tuple] = []
        self.spools: list[IO[bytes]] = []
        self.county = 0
        self.mac_keys = mac_keyring()
        self.checkpoints: list[AuditCheckpoint] = []

    def add(
        self,
        when: datetime,
        actor: Any,
        action: str,
        target: models.Model,
        scope_unit_id: int | None,
        after: dict[str, Any] | None = None,
        target_repr: str | None = None,
    ) -> None:
        """One business event; ``target`` needs its pk (ids are assigned before insertion)."""
        self.pending.append(
            (
                when,
                self.county,
                len(self.pending),  # ties keep the order of generation
                actor.pk if actor is not None else None,
                (str(actor) if actor is not None else SYSTEM_NAME)[:80],
                action,
                target._meta.label_lower,
                str(target.pk),
                (target_repr if target_repr is not None else str(target))[:200],
                scope_unit_id,
                after,
            )
        )

    def end_county(self) -> None:
        """Sort this county's events and spool them to disk until the final merge."""
        self.pending.sort(key=lambda e: e[:3])
        spool = tempfile.TemporaryFile()  # noqa: SIM115 — kept open until write() merges and closes it
        for start in range(0, len(self.pending), CHUNK):
            pickle.dump(self.pending[start : start + CHUNK], spool, protocol=pickle.HIGHEST_PROTOCOL)
        spool.seek(0)
        self.spools.append(spool)
        self.pending = []
        self.county += 1

    def write(self, insert: Callable[[list[AuditEntry]], None], batch: int = 20_000) -> int:
        """Merge every county's events by time, chain them and hand batches to ``insert``."""
        rows: list[AuditEntry] = []
        count = 0
        for event in heapq.merge(*(_read(s) for s in self.spools), key=lambda e: e[:3]):
            rows.append(self._chain(event))
            if len(rows) >= batch:
                insert(rows)
                count, rows = count + len(rows), []
        if rows:
            insert(rows)
            count += len(rows)
        for spool in self.spools:
            spool.close()
        self.spools = []
        return count

    def _chain(self, event: tuple) -> AuditEntry:
        when, _county, _n, actor_id, actor_name, action, ttype, tid, trepr, scope_id, after = event
        self.seq += 1
        entry = AuditEntry(
            seq=self.seq,
            created_at=when,
            actor_id=actor_id,
            actor_name=actor_name,
            action=action,
            target_type=ttype,
            target_id=tid,
            target_repr=trepr,
            scope_unit_id=scope_id,
            before=None,
            after=after,
            prev_hash=self.hash,
        )
        entry.hash = row_hash(self.hash, entry)
        entry.mac = row_mac(self.mac_keys.active_id, self.mac_keys.active_key, entry.seq, entry.hash)
        self.hash = entry.hash
        if checkpoint_due(entry.seq):
            cp = sign_head(entry.seq, entry.hash, now=when)
            self.checkpoints.append(
                AuditCheckpoint(
                    seq=cp.seq,
                    hash=cp.hash,
                    signed_at=datetime.fromisoformat(cp.signed_at),
                    algorithm=cp.algorithm,
                    key_id=cp.key_id,
                    signature=cp.signature,
                )
            )
        return entry

    def save_head(self) -> None:
        AuditHead.objects.using(self.alias).update_or_create(
            pk=1, defaults={"last_seq": self.seq, "last_hash": self.hash}
        )
        AuditCheckpoint.objects.using(self.alias).bulk_create(self.checkpoints, batch_size=2000)
        self.checkpoints = []


def _read(spool: IO[bytes]) -> Iterator[tuple]:
    while True:
        try:
            chunk = pickle.load(spool)  # noqa: S301 — our own temporary file, written above
        except EOFError:
            return
        yield from chunk
