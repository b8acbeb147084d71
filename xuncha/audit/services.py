"""Writing audit rows. Every service that changes data calls ``audit_record`` in its transaction."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import models, transaction
from django.utils import timezone

from xuncha.audit.chain import row_hash, row_mac
from xuncha.audit.checkpoints import checkpoint_due, checkpoint_write
from xuncha.audit.keys import mac_keyring
from xuncha.audit.models import AuditEntry, AuditHead
from xuncha.common.actors import Principal
from xuncha.common.scoping import scope_unit_of

if TYPE_CHECKING:
    from xuncha.accounts.models import OrgUnit


def _plain(value: Any) -> Any:
    """JSON-stable form of a field value (strings for dates and decimals, ids for relations)."""
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, float):
        # jsonb may print a float differently from Python; the hash must survive the round trip.
        return repr(value)
    if isinstance(value, datetime | date | Decimal):
        return value.isoformat() if not isinstance(value, Decimal) else str(value)
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return value


def snapshot(obj: models.Model, fields: list[str]) -> dict[str, Any]:
    """Field values of ``obj`` for the before/after columns (FKs as ids)."""
    data: dict[str, Any] = {}
    for name in fields:
        field = obj._meta.get_field(name)
        attname = getattr(field, "attname", name)
        data[name] = _plain(getattr(obj, attname))
    return data


def changed(before: dict[str, Any], after: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Only the keys whose values differ, so the log shows what really changed."""
    keys = [k for k in after if before.get(k) != after.get(k)]
    return {k: before.get(k) for k in keys}, {k: after[k] for k in keys}


def audit_record(
    *,
    actor: Principal | None,  # SYSTEM, an anonymous visitor or None: filed under "系统"
    action: str,
    target: models.Model | None = None,
    target_type: str = "",
    target_id: str = "",
    target_repr: str = "",
    scope_unit: OrgUnit | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append one row to the chain. Must run inside the caller's transaction."""
    if target is not None:
        target_type = target_type or target._meta.label_lower
        target_id = target_id or str(target.pk)
        target_repr = target_repr or str(target)[:200]
        scope_unit = scope_unit or scope_unit_of(target)
    # No savepoint of its own: the row belongs to the caller's transaction, and a failure here
    # must undo the change it records anyway (two statements fewer per audited write).
    with transaction.atomic(savepoint=False):
        # Lock the head so concurrent writers chain one after another (SQLite: the IMMEDIATE
        # transaction mode already serialises writers).
        head, _ = AuditHead.objects.select_for_update().get_or_create(pk=1)
        user = actor if actor is not None and actor.is_authenticated else None
        entry = AuditEntry(
            seq=head.last_seq + 1,
            created_at=timezone.now(),
            actor=user,
            actor_name=(str(user) if user is not None else "系统")[:80],
            action=action,
            target_type=target_type,
            target_id=target_id,
            target_repr=target_repr[:200],
            scope_unit=scope_unit,
            before=_plain(before),
            after=_plain(after),
            prev_hash=head.last_hash,
        )
        entry.hash = row_hash(head.last_hash, entry)
        keys = mac_keyring()
        entry.mac = row_mac(keys.active_id, keys.active_key, entry.seq, entry.hash)
        entry.save()
        head.last_seq, head.last_hash = entry.seq, entry.hash
        head.save(update_fields=["last_seq", "last_hash"])
        if checkpoint_due(entry.seq):
            checkpoint_write(entry.seq, entry.hash)
    return entry
