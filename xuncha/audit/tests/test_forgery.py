"""Issue 14, finding 1: whoever can write the database cannot forge, cut or rewrite the record.

Each attack is carried out with SQL, as a database administrator would, recomputing every SM3 hash
and rewriting ``AuditHead``. The first two tests are the finding as reported: before the MACs and the
signed checkpoints they passed ``audit_verify``.
"""

import json
from importlib import import_module

import pytest
from django.apps import apps as django_apps
from django.core.management import CommandError, call_command
from django.db import connection, transaction

from xuncha.audit.chain import row_hash
from xuncha.audit.models import AuditCheckpoint, AuditEntry, AuditHead
from xuncha.audit.services import audit_record
from xuncha.common.actors import SYSTEM

ENTRIES = AuditEntry._meta.db_table
HEAD = AuditHead._meta.db_table
CHECKPOINTS = AuditCheckpoint._meta.db_table
OTHER_KEY = "other:b3RoZXIta2V5LW5vdC10aGUtb2ZmaWNlLXNpZ25lciE="  # 32 bytes, not the office's


def _write(n: int, start: int = 1) -> None:
    with transaction.atomic():
        for i in range(start, start + n):
            audit_record(actor=SYSTEM, action="test.write", target_type="test", target_id=str(i), after={"n": i})


@pytest.fixture
def anchor_file(tmp_path, settings):
    path = tmp_path / "anchor.jsonl"
    settings.XUNCHA_AUDIT_ANCHOR_FILE = str(path)
    return path


@pytest.fixture
def chain(db, settings, django_capture_on_commit_callbacks):
    """Ten rows, a checkpoint every four (at 4 and 8): the commit hooks run, as in production."""
    settings.XUNCHA_AUDIT_CHECKPOINT_EVERY = 4
    with django_capture_on_commit_callbacks(execute=True):
        _write(10)
    return list(AuditEntry.objects.order_by("seq"))


def _verify(*args: str) -> str:
    try:
        call_command("audit_verify", *args)
    except CommandError as exc:
        return str(exc)
    return "ok"


def _sql(statement: str, params=()) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def _set_head(seq: int, hash_hex: str) -> None:
    _sql(f"UPDATE {HEAD} SET last_seq = %s, last_hash = %s WHERE id = 1", [seq, hash_hex])


def _forge_append(after: AuditEntry, mac: str = "") -> AuditEntry:
    forged = AuditEntry(
        seq=after.seq + 1,
        created_at=after.created_at,
        actor=None,
        actor_name="系统",
        action="test.write",
        target_type="test",
        target_id="forged",
        target_repr="伪造的记录",
        prev_hash=after.hash,
        mac=mac,
    )
    forged.hash = row_hash(after.hash, forged)
    forged.save()
    _set_head(forged.seq, forged.hash)
    return forged


def _cut_tail_to(chain: list[AuditEntry], keep: int) -> None:
    _sql(f"DELETE FROM {ENTRIES} WHERE seq > %s", [keep])
    _set_head(keep, chain[keep - 1].hash)


def test_intact_record_verifies_with_its_checkpoints(chain, capsys):
    call_command("audit_verify")
    out = capsys.readouterr().out
    assert "共 10 条记录" in out and "校验码（HMAC-SM3）有效" in out
    assert "签名检查点 2 个有效" in out and "最新检查点第 8 条" in out
    assert list(AuditCheckpoint.objects.order_by("seq").values_list("seq", flat=True)) == [4, 8]


def test_forged_append_with_recomputed_hash_and_head_is_caught(chain):
    """Finding 1a: a row appended with a correct SM3 hash and the head moved to it."""
    _forge_append(chain[-1])
    message = _verify()
    assert "第 11 条" in message and "校验码" in message


def test_forged_append_with_a_mac_under_another_key_is_caught(chain):
    forged = _forge_append(chain[-1], mac="test:" + "0" * 64)
    assert forged.mac.startswith("test:")
    assert "第 11 条" in _verify()


def test_tail_cut_with_head_rewritten_is_caught(chain):
    """Finding 1b: the last rows deleted and ``AuditHead`` rewritten to the new end."""
    _cut_tail_to(chain, 6)
    message = _verify()
    assert "链尾被截断" in message and "第 8 条" in message


def test_tail_cut_past_a_checkpoint_with_checkpoint_rows_deleted_is_caught_by_the_anchor_file(
    db, settings, anchor_file, django_capture_on_commit_callbacks
):
    settings.XUNCHA_AUDIT_CHECKPOINT_EVERY = 4
    with django_capture_on_commit_callbacks(execute=True):
        _write(10)
    chain = list(AuditEntry.objects.order_by("seq"))
    lines = anchor_file.read_text().splitlines()
    assert [json.loads(line)["seq"] for line in lines] == [4, 8]
    _cut_tail_to(chain, 6)
    _sql(f"DELETE FROM {CHECKPOINTS} WHERE seq > 6")
    message = _verify()
    assert "链尾被截断" in message and "锚定文件" in message
    assert "数据库中缺少" in message  # the deleted checkpoint row is named too


def test_history_rewritten_by_someone_holding_the_mac_key_is_caught_by_the_checkpoints(
    db, settings, anchor_file, django_capture_on_commit_callbacks
):
    """The MAC key sits on the application server; an insider who has it and the database still
    cannot rewrite what a signed checkpoint outside the database pins."""
    from xuncha.audit.chain import row_mac
    from xuncha.audit.keys import mac_keyring

    settings.XUNCHA_AUDIT_CHECKPOINT_EVERY = 4
    with django_capture_on_commit_callbacks(execute=True):
        _write(10)
    keys = mac_keyring()
    prev = AuditEntry.objects.get(seq=2).hash
    for row in AuditEntry.objects.filter(seq__gte=3).order_by("seq"):
        row.target_repr = "改写后的记录" if row.seq == 3 else row.target_repr
        new_hash = row_hash(prev, row)
        _sql(
            f"UPDATE {ENTRIES} SET target_repr = %s, prev_hash = %s, hash = %s, mac = %s WHERE seq = %s",
            [row.target_repr, prev, new_hash, row_mac(keys.active_id, keys.active_key, row.seq, new_hash), row.seq],
        )
        prev = new_hash
    _set_head(10, prev)
    _sql(f"DELETE FROM {CHECKPOINTS}")
    message = _verify()
    assert "第 4 条记录与锚定文件" in message and "历史记录被改写" in message


def test_rewritten_history_without_the_mac_key_is_caught_at_the_first_row(chain):
    prev = chain[1].hash
    for row in chain[2:]:
        row.target_repr = "改写"
        new_hash = row_hash(prev, row)
        _sql(
            f"UPDATE {ENTRIES} SET target_repr = %s, prev_hash = %s, hash = %s WHERE seq = %s",
            [row.target_repr, prev, new_hash, row.seq],
        )
        prev = new_hash
    _set_head(10, prev)
    message = _verify()
    assert "第 3 条" in message and "校验码" in message


def test_checkpoint_signed_with_another_key_is_refused(chain):
    from django.test import override_settings

    from xuncha.audit.checkpoints import sign_head

    with override_settings(XUNCHA_AUDIT_SIGNING_KEYS=OTHER_KEY):
        fake = sign_head(10, chain[-1].hash)
    _sql(
        f"INSERT INTO {CHECKPOINTS} (seq, hash, signed_at, algorithm, key_id, signature) VALUES (%s,%s,%s,%s,%s,%s)",
        [fake.seq, fake.hash, chain[-1].created_at, fake.algorithm, "test", fake.signature],
    )
    message = _verify()
    assert "签名无效" in message


def test_auditor_with_only_the_public_key_checks_an_exported_list(chain, tmp_path, capsys):
    exported = tmp_path / "checkpoints.jsonl"
    call_command("audit_checkpoint", "--export", stdout=exported.open("w"))
    public = tmp_path / "public.txt"
    call_command("audit_keys", "public", stdout=public.open("w"))
    assert "test:" in public.read_text() and "eHVuY2hh" not in public.read_text()  # the public half only
    call_command("audit_verify", "--public-key", str(public), "--anchor", str(exported))
    assert "未校验 MAC" in capsys.readouterr().out
    _cut_tail_to(chain, 6)
    _sql(f"DELETE FROM {CHECKPOINTS}")
    message = _verify("--public-key", str(public), "--anchor", str(exported))
    assert "链尾被截断" in message and "checkpoints.jsonl" in message


def test_tampered_line_in_an_exported_list_is_named(chain, tmp_path):
    exported = tmp_path / "checkpoints.jsonl"
    call_command("audit_checkpoint", "--export", stdout=exported.open("w"))
    lines = exported.read_text().splitlines()
    data = json.loads(lines[0])
    data["seq"] = 3
    exported.write_text("\n".join([json.dumps(data), *lines[1:], "not json"]) + "\n")
    message = _verify("--anchor", str(exported))
    assert "签名无效" in message and "不是检查点记录" in message


def test_timer_signs_the_head_only_when_it_moved(chain, capsys):
    call_command("audit_checkpoint")
    assert "第 10 条" in capsys.readouterr().out
    call_command("audit_checkpoint")
    assert "无需签名" in capsys.readouterr().out
    assert AuditCheckpoint.objects.filter(seq=10).count() == 1


def test_checkpoints_go_to_the_anchor_log(db, settings, caplog, django_capture_on_commit_callbacks):
    settings.XUNCHA_AUDIT_CHECKPOINT_EVERY = 2
    with caplog.at_level("INFO", logger="xuncha.audit.anchor"), django_capture_on_commit_callbacks(execute=True):
        _write(2)
    assert any("audit-checkpoint" in r.getMessage() and '"seq":2' in r.getMessage() for r in caplog.records)


def test_rolled_back_entries_leave_no_checkpoint_outside(db, settings, anchor_file, django_capture_on_commit_callbacks):
    settings.XUNCHA_AUDIT_CHECKPOINT_EVERY = 1
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                _write(1)
                raise RuntimeError("the user's action failed")
        except RuntimeError:
            pass
    assert not anchor_file.exists() and not AuditCheckpoint.objects.exists()
    assert _verify() == "ok"


def test_checkpoint_rows_are_append_only(chain):
    from xuncha.audit.models import AppendOnlyError

    row = AuditCheckpoint.objects.first()
    with pytest.raises(AppendOnlyError):
        row.save()
    with pytest.raises(AppendOnlyError):
        row.delete()


def test_rows_written_before_macs_get_them_at_migration(chain):
    """The data migration gives rows written before this release their MACs under the configured key."""
    _sql(f"UPDATE {ENTRIES} SET mac = ''")
    assert "校验码" in _verify()
    migration = import_module("xuncha.audit.migrations.0002_entry_mac_checkpoints")
    migration.mac_existing_rows(django_apps, connection.schema_editor())
    assert _verify() == "ok"
