"""Synthetic audit rows that form a valid chain (``manage.py audit_verify`` passes).

Rows are hashed as the audit service hashes them (SM3 over ``audit.chain.canonical_row``), carry
their MAC under the configured key (as ``audit.chain.row_mac``), get a signed checkpoint at the
interval of live writes, and continue the chain from its current head. The chain
is in time order across all counties of a run, as a real province's log would be: chaining county
after county instead would leave one county's rows in one block of ``seq``, and "newest first"
pages would then be measured on a layout no real log has.

The work is split so that only what must be sequential is: each county (in whichever process
generated it) sorts its events, encodes them for the database and serialises each one's canonical
form up to its ``seq`` (``AuditLog.spool``, to a file); once every county is in, ``AuditChain``
merges the files by time and does the sequential part only — number, hash, MAC, checkpoint — in
one pass.
"""

from __future__ import annotations

import functools
import heapq
import json
import pickle
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any, cast

from cryptography.hazmat.primitives import hashes, hmac
from django.db import connections, models

from xuncha.audit.chain import GENESIS_HASH, canonical_row
from xuncha.audit.checkpoints import checkpoint_due, sign_head
from xuncha.audit.keys import mac_keyring
from xuncha.audit.models import AuditCheckpoint, AuditEntry, AuditHead
from xuncha.synth.sink import Table, copy_text, db_value, insert_rows

SYSTEM_NAME = "系统"  # what audit_record writes for actions without a signed-in user
CHUNK = 1000  # events per pickled chunk: the final merge holds one chunk per county file
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
# The columns as the spooled rows carry them: the four the chain fills in first, then the event.
COLUMNS = ["seq", "prev_hash", "hash", "mac", "created_at", "actor_id", "actor_name", "action", "target_type",
           "target_id", "target_repr", "scope_unit_id", "before", "after"]  # fmt: skip


class AuditLog:
    """The audit events of one county (or of the rows a run shares), collected while generated."""

    def __init__(self, alias: str, county: int) -> None:
        self.alias = alias
        self.county = county  # orders events of different counties that share a timestamp
        self.pending: list[tuple] = []

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

    def spool(self, path: Path) -> Path:
        """Sort the events by time and write them, ready to chain, to ``path``."""
        self.pending.sort(key=lambda e: e[:2])
        connection = connections[self.alias]
        created_at = db_value(AuditEntry._meta.get_field("created_at"), connection)
        text = connection.vendor == "postgresql"
        if text:  # the same few thousand office hours over and over: their text once each
            created_at = functools.lru_cache(maxsize=1 << 16)(lambda when, prep=created_at: str(prep(when)))
        with path.open("wb") as out:
            for start in range(0, len(self.pending), CHUNK):
                chunk = [self._ready(e, created_at, text) for e in self.pending[start : start + CHUNK]]
                pickle.dump(chunk, out, protocol=pickle.HIGHEST_PROTOCOL)
        self.pending = []
        return path

    def _ready(self, event: tuple, created_at: Callable[[datetime], Any], text: bool) -> tuple:
        """(sort key, canonical bytes after the seq, the row's values after the four chain columns:
        a tuple, or for PostgreSQL already in COPY's text format, escaped here in the county's
        process rather than in the one that chains them all)."""
        when, n, actor_id, actor_name, action, ttype, tid, trepr, scope_id, after = event
        row = SimpleNamespace(
            seq=0, created_at=when, actor_id=actor_id, actor_name=actor_name, action=action, target_type=ttype,
            target_id=tid, target_repr=trepr, scope_unit_id=scope_id, before=None, after=after,
        )  # fmt: skip
        # canonical_row is a JSON array that starts with the seq: "[0," here, "[<seq>," in the chain.
        tail = canonical_row(cast(AuditEntry, row))[3:]
        key = ((when - EPOCH) // _MICROSECOND, self.county, n)
        # JSONField's form on both databases (json.dumps, no encoder): a string COPY and SQLite take.
        values = (
            created_at(when),
            actor_id, actor_name, action, ttype, tid, trepr, scope_id, None,
            json.dumps(after) if after is not None else None,
        )  # fmt: skip
        return key, tail, copy_text(values) if text else values


_MICROSECOND = datetime(1970, 1, 1, 0, 0, 0, 1, tzinfo=UTC) - EPOCH


class AuditChain:
    """Chains the spooled events of a run onto the database's audit head, in time order."""

    def __init__(self, alias: str) -> None:
        self.alias = alias
        head = AuditHead.objects.using(alias).filter(pk=1).first()
        self.seq, self.hash = (head.last_seq, head.last_hash) if head else (0, GENESIS_HASH)
        keys = mac_keyring()
        self.mac_key_id = keys.active_id
        # Keyed once and copied per row: audit.chain.row_hash and row_mac, without building the
        # hash and the key schedule anew for each of millions of rows (the tests verify the chain
        # with those functions).
        self.sm3 = hashes.Hash(hashes.SM3())
        self.mac = hmac.HMAC(keys.active_key, hashes.SM3())
        self.checkpoints: list[AuditCheckpoint] = []

    def write(self, paths: list[Path], insert: Callable[[list[Any]], None], batch: int = 10_000) -> int:
        """Merge the files by time, chain the rows and hand them to ``insert`` in batches: tuples,
        or lines of COPY text when the files hold text."""
        rows: list[Any] = []
        count = 0
        for key, tail, values in heapq.merge(*(_read(p) for p in paths)):
            rows.append(self._chain(key, tail, values))
            if len(rows) >= batch:
                insert(rows)
                count, rows = count + len(rows), []
        if rows:
            insert(rows)
            count += len(rows)
        return count

    def _chain(self, key: tuple, tail: bytes, values: tuple | str) -> tuple | str:
        self.seq += 1
        prev = self.hash
        # = audit.chain.row_hash(prev, row): SM3 over the previous hash and the canonical row.
        digest = self.sm3.copy()
        digest.update(prev.encode("ascii") + b"[%d," % self.seq + tail)
        self.hash = digest.finalize().hex()
        # = audit.chain.row_mac(key id, key, seq, hash)
        keyed = self.mac.copy()
        keyed.update(f"xuncha-audit-mac/v1|{self.seq}|{self.hash}".encode("ascii"))
        mac = f"{self.mac_key_id}:{keyed.finalize().hex()}"
        if checkpoint_due(self.seq):
            when = EPOCH + key[0] * _MICROSECOND
            cp = sign_head(self.seq, self.hash, now=when)
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
        if isinstance(values, str):  # hex digests and a number: nothing to escape
            return f"{self.seq}\t{prev}\t{self.hash}\t{mac}\t{values}\n"
        return (self.seq, prev, self.hash, mac, *values)

    def save_head(self) -> None:
        AuditHead.objects.using(self.alias).update_or_create(
            pk=1, defaults={"last_seq": self.seq, "last_hash": self.hash}
        )
        table = Table(AuditCheckpoint, self.alias, database_ids=True)
        insert_rows(self.alias, table.table, table.columns, map(table.row, self.checkpoints))
        self.checkpoints = []


def _read(path: Path) -> Iterator[tuple]:
    with path.open("rb") as spool:
        while True:
            try:
                chunk = pickle.load(spool)  # noqa: S301 — our own temporary file, written above
            except EOFError:
                return
            yield from chunk
