"""Signed checkpoints of the audit chain's head, kept in the database and appended outside it.

A checkpoint says "at ``signed_at`` the chain ended at ``seq`` with ``hash``", signed with the
active signing key (``keys.py``). One is written every ``XUNCHA_AUDIT_CHECKPOINT_EVERY`` entries in
the writer's own transaction, and at least hourly by ``manage.py audit_checkpoint`` (a timer).
After commit each is appended, one JSON line, to ``XUNCHA_AUDIT_ANCHOR_FILE`` (a file on another
volume, opened for appending only) and logged to the ``xuncha.audit.anchor`` logger, which the
deployment sends to syslog. Whoever cuts the chain's tail back past a checkpoint, rewrites the head
and deletes the checkpoint rows still leaves the copies outside the database behind.
"""

from __future__ import annotations

import base64
import binascii
import json
import logging
import os
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from xuncha.audit.keys import SIGNATURE_ALGORITHM, active_signer
from xuncha.audit.models import AuditCheckpoint, AuditHead

anchor_log = logging.getLogger("xuncha.audit.anchor")


@dataclass(frozen=True)
class Checkpoint:
    seq: int
    hash: str
    signed_at: str  # ISO 8601, UTC, microseconds: part of what is signed, so kept as text
    algorithm: str
    key_id: str
    signature: str  # base64
    source: str = "数据库"

    def statement(self) -> bytes:
        fields = (self.seq, self.hash, self.signed_at, self.algorithm, self.key_id)
        return "|".join(["xuncha-audit-checkpoint/v1", *map(str, fields)]).encode()

    def identity(self) -> tuple[int, str, str]:
        return (self.seq, self.hash, self.signature)

    def to_json(self) -> str:
        data = asdict(self)
        data.pop("source")
        return json.dumps(data, ensure_ascii=False, separators=(",", ":"))

    def signature_ok(self, public_keys: dict[str, Ed25519PublicKey]) -> bool | None:
        """True or False; None when the key is unknown to the verifier."""
        key = public_keys.get(self.key_id)
        if key is None or self.algorithm != SIGNATURE_ALGORITHM:
            return None
        try:
            key.verify(base64.b64decode(self.signature, validate=True), self.statement())
        except (InvalidSignature, binascii.Error, ValueError):
            return False
        return True

    @classmethod
    def from_row(cls, row: AuditCheckpoint) -> Checkpoint:
        return cls(row.seq, row.hash, _iso(row.signed_at), row.algorithm, row.key_id, row.signature)


def _iso(value: datetime) -> str:
    return value.astimezone(UTC).isoformat(timespec="microseconds")


def sign_head(seq: int, hash_hex: str, now: datetime | None = None) -> Checkpoint:
    signer = active_signer()
    unsigned = Checkpoint(seq, hash_hex, _iso(now or timezone.now()), SIGNATURE_ALGORITHM, signer.key_id, "")
    signature = base64.b64encode(signer.sign(unsigned.statement())).decode("ascii")
    return Checkpoint(seq, hash_hex, unsigned.signed_at, SIGNATURE_ALGORITHM, signer.key_id, signature)


def checkpoint_write(seq: int, hash_hex: str) -> Checkpoint:
    """Sign the head and store it; the copies outside the database follow the commit."""
    checkpoint = sign_head(seq, hash_hex)
    AuditCheckpoint(
        seq=seq,
        hash=hash_hex,
        signed_at=datetime.fromisoformat(checkpoint.signed_at),
        algorithm=checkpoint.algorithm,
        key_id=checkpoint.key_id,
        signature=checkpoint.signature,
    ).save()
    transaction.on_commit(lambda: append_outside(checkpoint))
    return checkpoint


def checkpoint_due(seq: int) -> bool:
    every = int(getattr(settings, "XUNCHA_AUDIT_CHECKPOINT_EVERY", 100) or 0)
    return every > 0 and seq % every == 0


def checkpoint_now(*, force: bool = False) -> Checkpoint | None:
    """The timer's checkpoint: sign the head if it moved since the last one (or ``force``)."""
    with transaction.atomic():
        head, _ = AuditHead.objects.select_for_update().get_or_create(pk=1)
        last = AuditCheckpoint.objects.order_by("-seq", "-signed_at").first()
        if not force and (head.last_seq == 0 or (last and last.seq == head.last_seq and last.hash == head.last_hash)):
            return None
        return checkpoint_write(head.last_seq, head.last_hash)


def append_outside(checkpoint: Checkpoint) -> None:
    line = checkpoint.to_json()
    anchor_log.info("audit-checkpoint %s", line)
    path = getattr(settings, "XUNCHA_AUDIT_ANCHOR_FILE", "")
    if not path:
        return
    try:
        # O_APPEND: each line lands whole at the end even with several workers writing.
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
        try:
            os.write(fd, (line + "\n").encode("utf-8"))
            os.fsync(fd)
        finally:
            os.close(fd)
    except OSError:
        # The entry is committed; a missing copy is caught by the hourly timer and by audit_verify
        # comparing the file with the database. Never fail the user's action for it.
        anchor_log.exception("could not append the audit checkpoint to %s", path)


def parse_lines(lines: Iterable[str], source: str) -> Iterator[Checkpoint | str]:
    """Checkpoints from JSON lines; a line that does not parse yields a message instead."""
    for number, line in enumerate(lines, start=1):
        text = line.strip()
        if not text:
            continue
        try:
            data: dict[str, Any] = json.loads(text)
            yield Checkpoint(
                int(data["seq"]),
                str(data["hash"]),
                str(data["signed_at"]),
                str(data["algorithm"]),
                str(data["key_id"]),
                str(data["signature"]),
                source=source,
            )
        except (ValueError, KeyError, TypeError):
            yield f"{source} 第 {number} 行不是检查点记录"


def read_anchor_file(path: Path) -> list[Checkpoint | str]:
    try:
        with path.open(encoding="utf-8") as fh:
            return list(parse_lines(fh, f"锚定文件 {path}"))
    except FileNotFoundError:
        return [f"锚定文件 {path} 不存在"]
    except (OSError, UnicodeDecodeError) as exc:
        return [f"锚定文件 {path} 无法读取：{exc}"]


def database_checkpoints() -> list[Checkpoint]:
    return [Checkpoint.from_row(row) for row in AuditCheckpoint.objects.order_by("seq", "signed_at")]
