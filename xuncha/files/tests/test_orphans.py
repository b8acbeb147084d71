"""files_orphans: bytes in storage without a row are listed, and removed only when asked."""

import os
import time
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import transaction

from xuncha.audit.models import AuditEntry
from xuncha.common.actors import SYSTEM
from xuncha.files import services
from xuncha.files.tests import samples
from xuncha.files.tests.conftest import files_on_disk

ORPHAN = "0f/0f/0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f"


def plant(media, name=ORPHAN, age_minutes=120):
    path = media / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"left behind")
    past = time.time() - age_minutes * 60
    os.utime(path, (past, past))
    return path


def run(*args):
    out = StringIO()
    call_command("files_orphans", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def kept(db):
    return services.file_store(actor=SYSTEM, upload=SimpleUploadedFile("a.pdf", samples.pdf()))


def test_lists_a_planted_orphan_but_not_stored_files(kept, media):
    plant(media)
    output = run("--min-age-minutes", "0")
    assert ORPHAN in output and kept.storage_name not in output
    assert "发现 1 个" in output
    assert (media / ORPHAN).exists()  # listing deletes nothing


def test_recent_files_are_left_alone_as_uploads_may_be_in_flight(db, media):
    plant(media, age_minutes=5)
    assert "没有无记录的存储文件" in run()


def test_delete_removes_orphans_only_and_audits_each_removal(kept, media):
    plant(media)
    assert "已删除 1 个" in run("--delete")
    assert files_on_disk(media) == [media / kept.storage_name]
    entry = AuditEntry.objects.order_by("-seq").first()
    assert (entry.action, entry.target_id, entry.after["size"]) == ("files.orphan_delete", ORPHAN, 11)


def test_bytes_left_by_a_rolled_back_caller_are_found_and_removed(db, media):
    with pytest.raises(RuntimeError), transaction.atomic():
        services.file_store(actor=SYSTEM, upload=SimpleUploadedFile("a.pdf", samples.pdf()))
        raise RuntimeError("the caller's next step failed")
    assert len(files_on_disk(media)) == 1
    run("--min-age-minutes", "0", "--delete")
    assert files_on_disk(media) == []


def test_no_storage_directory_yet(db):
    assert "没有无记录的存储文件" in run()
