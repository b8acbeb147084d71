"""Hashing of audit rows (SM3), their keyed MAC (HMAC-SM3) and verification of the chain.

Pure functions, no writes. The hash chain shows any change to rows that were there; the MAC, under a
key outside the database, shows rows written by someone without the key (a forged append with
recomputed hashes, a rewritten history). Checkpoints (``checkpoints.py``) pin the tail.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from hmac import compare_digest
from typing import TYPE_CHECKING

from cryptography.hazmat.primitives import hashes, hmac

if TYPE_CHECKING:
    from xuncha.audit.models import AuditEntry

GENESIS_HASH = "0" * 64


def sm3_hex(data: bytes) -> str:
    digest = hashes.Hash(hashes.SM3())
    digest.update(data)
    return digest.finalize().hex()


def _utc_iso(value: datetime) -> str:
    return value.astimezone(UTC).isoformat(timespec="microseconds")


def canonical_row(row: AuditEntry) -> bytes:
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


def row_hash(prev_hash: str, row: AuditEntry) -> str:
    return sm3_hex(prev_hash.encode("ascii") + canonical_row(row))


def row_mac(key_id: str, key: bytes, seq: int, hash_hex: str) -> str:
    """``key_id:hex`` of HMAC-SM3 over the sequence number and the row's hash (which covers the
    row's content and its predecessor), so the MAC binds the row to its place in the chain."""
    mac = hmac.HMAC(key, hashes.SM3())
    mac.update(f"xuncha-audit-mac/v1|{seq}|{hash_hex}".encode("ascii"))
    return f"{key_id}:{mac.finalize().hex()}"


def mac_ok(keys: Mapping[str, bytes], seq: int, hash_hex: str, stored: str) -> bool | None:
    """True or False; None when the row's key is not configured (rotated out and removed)."""
    key_id, _, _ = (stored or "").partition(":")
    key = keys.get(key_id) if key_id else None
    if key is None:
        return None if key_id else False
    return compare_digest(row_mac(key_id, key, seq, hash_hex).encode(), stored.encode())


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    checked: int
    broken_seq: int | None = None
    reason: str = ""
    head_hash: str = GENESIS_HASH


def verify_rows(
    rows: Iterable[AuditEntry],
    head_seq: int,
    head_hash: str,
    mac_keys: Mapping[str, bytes] | None = None,
    on_row: Callable[[int, str], None] | None = None,
) -> ChainReport:
    """Walk rows in ``seq`` order; report the first one that does not chain (or, given the MAC keys,
    whose MAC does not verify). ``on_row(seq, hash)`` sees each good row (checkpoint matching)."""
    prev_hash, expected_seq, checked = GENESIS_HASH, 1, 0
    for row in rows:
        if row.seq != expected_seq:
            missing = "缺失或被删除" if row.seq > expected_seq else "序号重复或被插入"
            return ChainReport(False, checked, row.seq, f"序号不连续：应为 {expected_seq}（{missing}）")
        if row.prev_hash != prev_hash:
            return ChainReport(False, checked, row.seq, "前序哈希不符：记录被删除、插入或调换顺序")
        if row_hash(prev_hash, row) != row.hash:
            return ChainReport(False, checked, row.seq, "内容哈希不符：记录被修改")
        if mac_keys is not None:
            verdict = mac_ok(mac_keys, row.seq, row.hash, row.mac)
            if verdict is None:
                return ChainReport(False, checked, row.seq, f"校验码密钥 {row.mac.partition(':')[0]} 未配置，无法校验")
            if not verdict:
                return ChainReport(
                    False, checked, row.seq, "校验码（HMAC-SM3）不符：记录不是由本系统写入，或被伪造后重算了哈希"
                )
        if on_row is not None:
            on_row(row.seq, row.hash)
        prev_hash, expected_seq, checked = row.hash, expected_seq + 1, checked + 1
    if checked != head_seq or prev_hash != head_hash:
        reason = f"链尾不符：链头记录共 {head_seq} 条，实有 {checked} 条"
        return ChainReport(False, checked, min(checked, head_seq) + 1, reason)
    return ChainReport(True, checked, head_hash=prev_hash)
