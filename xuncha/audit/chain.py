"""Hashing of audit rows (SM3) and verification of the chain. Pure functions, no writes."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from cryptography.hazmat.primitives import hashes

GENESIS_HASH = "0" * 64


def sm3_hex(data: bytes) -> str:
    digest = hashes.Hash(hashes.SM3())
    digest.update(data)
    return digest.finalize().hex()


def _utc_iso(value: datetime) -> str:
    return value.astimezone(UTC).isoformat(timespec="microseconds")


def canonical_row(row: Any) -> bytes:
    """The bytes hashed for a row: every field but the hashes, in a fixed JSON form."""
    payload = [
        row.seq,
        _utc_iso(row.created_at),
        row.actor_id,
        row.actor_name,
        row.action,
        row.target_type,
        row.target_id,
        row.target_repr,
        row.scope_unit_id,
        row.before,
        row.after,
    ]
    return json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def row_hash(prev_hash: str, row: Any) -> str:
    return sm3_hex(prev_hash.encode("ascii") + canonical_row(row))


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    checked: int
    broken_seq: int | None = None
    reason: str = ""
    head_hash: str = GENESIS_HASH


def verify_rows(rows: Iterable[Any], head_seq: int, head_hash: str) -> ChainReport:
    """Walk rows in ``seq`` order; report the first one that does not chain."""
    prev_hash, expected_seq, checked = GENESIS_HASH, 1, 0
    for row in rows:
        if row.seq != expected_seq:
            missing = "缺失或被删除" if row.seq > expected_seq else "序号重复或被插入"
            return ChainReport(False, checked, row.seq, f"序号不连续：应为 {expected_seq}（{missing}）")
        if row.prev_hash != prev_hash:
            return ChainReport(False, checked, row.seq, "前序哈希不符：记录被删除、插入或调换顺序")
        if row_hash(prev_hash, row) != row.hash:
            return ChainReport(False, checked, row.seq, "内容哈希不符：记录被修改")
        prev_hash, expected_seq, checked = row.hash, expected_seq + 1, checked + 1
    if checked != head_seq or prev_hash != head_hash:
        reason = f"链尾不符：链头记录共 {head_seq} 条，实有 {checked} 条"
        return ChainReport(False, checked, min(checked, head_seq) + 1, reason)
    return ChainReport(True, checked, head_hash=prev_hash)
