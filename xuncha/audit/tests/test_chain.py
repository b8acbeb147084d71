"""The audit chain: written by services, verified by `audit_verify`, tamper shows at the right row."""

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction

from xuncha.audit.chain import row_hash
from xuncha.audit.models import AppendOnlyError, AuditEntry, AuditHead
from xuncha.audit.services import audit_record
from xuncha.common.actors import SYSTEM

TABLE = AuditEntry._meta.db_table


@pytest.fixture
def chain(db):
    """Five rows written the normal way."""
    with transaction.atomic():
        for i in range(1, 6):
            audit_record(
                actor=SYSTEM,
                action="test.write",
                target_type="test",
                target_id=str(i),
                target_repr=f"对象{i}",
                after={"n": i},
            )
    return list(AuditEntry.objects.order_by("seq"))


def _verify() -> str:
    try:
        call_command("audit_verify")
    except CommandError as exc:
        return str(exc)
    return "ok"


def _sql(statement: str, params=()) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def test_rows_chain_one_after_another(chain):
    assert [r.seq for r in chain] == [1, 2, 3, 4, 5]
    assert chain[0].prev_hash == "0" * 64
    for prev, row in zip(chain, chain[1:]):
        assert row.prev_hash == prev.hash
    head = AuditHead.objects.get(pk=1)
    assert (head.last_seq, head.last_hash) == (5, chain[-1].hash)


def test_intact_chain_verifies(chain, capsys):
    call_command("audit_verify")
    assert "共 5 条记录" in capsys.readouterr().out


def test_edited_row_is_named(chain):
    _sql(f"UPDATE {TABLE} SET target_repr = %s WHERE seq = 3", ["改过的对象"])
    message = _verify()
    assert "第 3 条" in message and "被修改" in message


def test_edited_json_is_named(chain):
    _sql(f"UPDATE {TABLE} SET after = %s WHERE seq = 2", ['{"n": 99}'])
    assert "第 2 条" in _verify()


def test_deleted_row_is_named(chain):
    _sql(f"DELETE FROM {TABLE} WHERE seq = 3")
    message = _verify()
    assert "第 4 条" in message and "应为 3" in message


def test_deleted_tail_is_named(chain):
    _sql(f"DELETE FROM {TABLE} WHERE seq = 5")
    message = _verify()
    assert "第 5 条" in message and "链尾不符" in message


def test_inserted_row_is_named(chain):
    """A forged row with a correct-looking hash, slipped in after row 5 without the head: its MAC
    (no key) gives it away before the head does."""
    forged = AuditEntry(
        seq=6,
        created_at=chain[-1].created_at,
        actor=None,
        actor_name="系统",
        action="test.write",
        target_type="test",
        target_id="x",
        target_repr="伪造",
        scope_unit=None,
        before=None,
        after=None,
        prev_hash=chain[-1].hash,
    )
    forged.hash = row_hash(chain[-1].hash, forged)
    forged.save()
    message = _verify()
    assert "第 6 条" in message and "校验码" in message


def test_row_inserted_in_the_middle_is_named(chain):
    """Shift rows 4–5 up by one and slip a row in at 4: the chain breaks at the forged row."""
    _sql(f"UPDATE {TABLE} SET seq = seq + 100 WHERE seq >= 4")
    _sql(f"UPDATE {TABLE} SET seq = seq - 99 WHERE seq >= 100")
    forged = AuditEntry(
        seq=4,
        created_at=chain[2].created_at,
        actor=None,
        actor_name="系统",
        action="test.write",
        target_type="test",
        target_id="x",
        target_repr="伪造",
        scope_unit=None,
        before=None,
        after=None,
        prev_hash=chain[2].hash,
    )
    forged.hash = row_hash(chain[2].hash, forged)
    forged.save()
    message = _verify()
    # The forged row 4 chains to 3 with a correct hash, but nobody without the key can give it a MAC.
    assert "第 4 条" in message and "校验码" in message


def test_reordered_rows_are_named(chain):
    """Swap the contents of rows 2 and 3, keeping their sequence numbers."""
    r2, r3 = chain[1], chain[2]
    _sql(f"UPDATE {TABLE} SET seq = 1000 WHERE seq = 2")
    _sql(f"UPDATE {TABLE} SET seq = 2 WHERE seq = 3")
    _sql(f"UPDATE {TABLE} SET seq = 3 WHERE seq = 1000")
    assert AuditEntry.objects.get(seq=2).hash == r3.hash and AuditEntry.objects.get(seq=3).hash == r2.hash
    assert "第 2 条" in _verify()


def test_rows_cannot_be_changed_or_deleted_through_the_orm(chain):
    row = AuditEntry.objects.get(seq=1)
    row.target_repr = "x"
    with pytest.raises(AppendOnlyError):
        row.save()
    with pytest.raises(AppendOnlyError):
        row.delete()


def test_empty_log_verifies(db, capsys):
    call_command("audit_verify")
    assert "共 0 条记录" in capsys.readouterr().out
