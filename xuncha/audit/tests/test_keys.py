"""The audit keys: outside the database, refused when missing in production, rotated without losing the past."""

import base64

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.db import transaction

from xuncha.audit.checks import check_audit_keys
from xuncha.audit.models import AuditEntry
from xuncha.audit.services import audit_record
from xuncha.common.actors import SYSTEM

NEW_MAC = "m2:" + base64.b64encode(b"n" * 32).decode()
NEW_SIGNING = "s2:" + base64.b64encode(b"s" * 32).decode()


def _write(n=1):
    with transaction.atomic():
        for i in range(n):
            audit_record(actor=SYSTEM, action="test.write", target_type="test", target_id=str(i))


def test_production_without_keys_refuses_to_write_and_fails_the_deploy_check(db, settings):
    settings.DEBUG = False
    settings.XUNCHA_AUDIT_MAC_KEYS = settings.XUNCHA_AUDIT_SIGNING_KEYS = ""
    with pytest.raises(ImproperlyConfigured, match="No audit key"):
        _write()
    assert [m.id for m in check_audit_keys()] == ["audit.E001"]


def test_development_keys_are_only_a_warning_under_debug(settings):
    settings.DEBUG = True
    settings.XUNCHA_AUDIT_MAC_KEYS = settings.XUNCHA_AUDIT_SIGNING_KEYS = ""
    assert [m.id for m in check_audit_keys()] == ["audit.W001"]


def test_configured_keys_without_an_anchor_outside_warn(settings):
    settings.XUNCHA_AUDIT_ANCHOR_FILE = settings.XUNCHA_AUDIT_SYSLOG = ""
    assert [m.id for m in check_audit_keys()] == ["audit.W002"]


def test_key_file_readable_by_others_is_refused(db, settings, tmp_path):
    path = tmp_path / "audit-mac.keys"
    path.write_text(NEW_MAC + "\n")
    path.chmod(0o644)
    settings.XUNCHA_AUDIT_MAC_KEYS, settings.XUNCHA_AUDIT_MAC_KEY_FILE = "", str(path)
    with pytest.raises(ImproperlyConfigured, match="0644"):
        _write()


def test_wrong_key_size_is_named(db, settings):
    settings.XUNCHA_AUDIT_MAC_KEYS = "short:" + base64.b64encode(b"x" * 16).decode()
    with pytest.raises(ImproperlyConfigured, match="32 bytes"):
        _write()


def test_rotation_keeps_old_entries_and_checkpoints_verifiable(db, settings, capsys):
    settings.XUNCHA_AUDIT_CHECKPOINT_EVERY = 2
    _write(2)
    old_mac, old_signing = settings.XUNCHA_AUDIT_MAC_KEYS, settings.XUNCHA_AUDIT_SIGNING_KEYS
    settings.XUNCHA_AUDIT_MAC_KEYS = f"{NEW_MAC},{old_mac}"
    settings.XUNCHA_AUDIT_SIGNING_KEYS = f"{NEW_SIGNING},{old_signing}"
    _write(2)
    assert [e.mac.split(":")[0] for e in AuditEntry.objects.order_by("seq")] == ["test", "test", "m2", "m2"]
    call_command("audit_verify")
    assert "签名检查点 2 个有效" in capsys.readouterr().out
    # The old key removed: the old rows can no longer be checked, and the message says why.
    settings.XUNCHA_AUDIT_MAC_KEYS = NEW_MAC
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="密钥 test 未配置"):
        call_command("audit_verify")


def test_generated_keys_load(settings, capsys):
    call_command("audit_keys", "generate")
    lines = [line for line in capsys.readouterr().out.splitlines() if not line.startswith("#")]
    mac, signing, public = lines
    settings.XUNCHA_AUDIT_MAC_KEYS, settings.XUNCHA_AUDIT_SIGNING_KEYS = mac, signing
    assert check_audit_keys() == [] or [m.id for m in check_audit_keys()] == ["audit.W002"]
    assert public.split(":")[0] == signing.split(":")[0] and public != signing
