"""Verifying the whole record: the hash chain, every entry's MAC, and every signed checkpoint.

What each check catches (tests in ``tests/test_forgery.py``):
- the chain: an edited, deleted, inserted or reordered row;
- the MAC: a row appended or rewritten by someone without the MAC key, hashes recomputed or not;
- the checkpoints, from the database, the anchor file and any exported list: a tail cut back past a
  checkpoint with the head rewritten (checkpoint rows deleted too), and a history rewritten even by
  someone holding the MAC key. A checkpoint only the file still has means rows were deleted from the
  database's checkpoint table.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from django.conf import settings

from xuncha.audit.chain import GENESIS_HASH, ChainReport, verify_rows
from xuncha.audit.checkpoints import Checkpoint, database_checkpoints, read_anchor_file
from xuncha.audit.keys import configured_public_keys, mac_keyring
from xuncha.audit.models import AuditEntry, AuditHead


@dataclass
class VerifyReport:
    chain: ChainReport
    macs_checked: bool
    checkpoints: int = 0
    latest: Checkpoint | None = None
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.chain.ok and not self.problems

    @property
    def checked(self) -> int:
        return self.chain.checked

    @property
    def broken_seq(self) -> int | None:
        return self.chain.broken_seq

    @property
    def reason(self) -> str:
        return "；".join(([self.chain.reason] if not self.chain.ok else []) + self.problems)


def _collect(anchors: Iterable[Path]) -> tuple[list[Checkpoint], list[Checkpoint], list[str]]:
    """Checkpoints from the database and from outside it (configured anchor file + given lists)."""
    outside: list[Checkpoint] = []
    problems: list[str] = []
    files = list(anchors)
    configured = getattr(settings, "XUNCHA_AUDIT_ANCHOR_FILE", "")
    if configured:
        files.insert(0, Path(configured))
    in_db = database_checkpoints()
    for path in files:
        if not path.exists() and str(path) == configured and not in_db:
            continue  # a new installation: no checkpoint has been written anywhere yet
        for item in read_anchor_file(path):
            (problems.append(item) if isinstance(item, str) else outside.append(item))
    return in_db, outside, problems


def _signatures(checkpoints: list[Checkpoint], public_keys: dict[str, Ed25519PublicKey]) -> list[str]:
    problems = []
    for cp in checkpoints:
        verdict = cp.signature_ok(public_keys)
        if verdict is None:
            problems.append(f"{cp.source}中检查点 #{cp.seq} 的签名密钥 {cp.key_id}（{cp.algorithm}）未知，无法校验")
        elif not verdict:
            problems.append(f"{cp.source}中检查点 #{cp.seq}（{cp.signed_at}）签名无效：检查点是伪造的或被改过")
    return problems


def _against_chain(checkpoints: list[Checkpoint], seen: dict[int, str], chain: ChainReport) -> list[str]:
    problems = []
    for cp in checkpoints:
        if cp.seq > chain.checked:
            if chain.ok:
                problems.append(
                    f"链尾被截断：{cp.source}中的检查点（{cp.signed_at} 签名）记录链已到第 {cp.seq} 条，"
                    f"现仅有 {chain.checked} 条"
                )
        elif cp.seq > 0 and seen.get(cp.seq) != cp.hash:
            problems.append(f"第 {cp.seq} 条记录与{cp.source}中的签名检查点不符：历史记录被改写")
    return problems


def audit_verify_full(
    *, anchors: Iterable[Path] = (), public_keys: dict[str, Ed25519PublicKey] | None = None, check_macs: bool = True
) -> VerifyReport:
    """Everything ``manage.py audit_verify`` checks; ``public_keys`` given = an auditor without the MAC key."""
    in_db, outside, problems = _collect(anchors)
    keys = public_keys if public_keys is not None else configured_public_keys()
    problems += _signatures(in_db + outside, keys)
    db_ids = {cp.identity() for cp in in_db}
    for cp in outside:
        if cp.identity() not in db_ids and cp.signature_ok(keys):
            problems.append(f"数据库中缺少{cp.source}中的检查点 #{cp.seq}（{cp.signed_at}）：检查点记录被删除")
    valid = [cp for cp in in_db + outside if cp.signature_ok(keys)]
    wanted = {cp.seq for cp in valid}
    seen: dict[int, str] = {}

    def remember(seq: int, hash_hex: str) -> None:
        if seq in wanted:
            seen[seq] = hash_hex

    head = AuditHead.objects.filter(pk=1).first()
    head_seq, head_hash = (head.last_seq, head.last_hash) if head else (0, GENESIS_HASH)
    rows = AuditEntry.objects.order_by("seq").iterator(chunk_size=2000)
    mac_keys = mac_keyring().keys if check_macs else None
    chain = verify_rows(rows, head_seq, head_hash, mac_keys=mac_keys, on_row=remember)
    problems += _against_chain(valid, seen, chain)
    latest = max(valid, key=lambda cp: (cp.seq, cp.signed_at), default=None)
    return VerifyReport(chain, check_macs, len({cp.identity() for cp in valid}), latest, _unique(problems))


def _unique(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))
