"""Storing uploads against the database and a real storage directory under tmp_path."""

import hashlib
import os
import re
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile
from django.db import transaction

from xuncha.accounts.permissions import Role
from xuncha.accounts.tests.factories import make_user
from xuncha.audit.models import AuditEntry
from xuncha.common.actors import SYSTEM
from xuncha.common.exceptions import ServiceError
from xuncha.files import services
from xuncha.files.models import StoredFile
from xuncha.files.storage import open_stored, stored_intact
from xuncha.files.tests import samples
from xuncha.files.tests.conftest import files_on_disk

STORAGE_NAME = re.compile(r"^[0-9a-f]{2}/[0-9a-f]{2}/[0-9a-f]{32}$")


def sm3_independent(data: bytes) -> str:
    """SM3 from the OpenSSL behind hashlib, not the one bundled with cryptography."""
    try:
        return hashlib.new("sm3", data).hexdigest()
    except ValueError:
        pytest.skip("this OpenSSL build has no SM3")


@pytest.fixture
def staff(world):
    return make_user(world.a["dept"], Role.OFFICE_STAFF, scope=world.a["county"])


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


@pytest.mark.parametrize(
    ("name", "builder", "kind", "content_type"),
    [
        ("情况报告.pdf", samples.pdf, "pdf", "application/pdf"),
        (
            "问题清单.docx",
            samples.docx,
            "docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        ("台账.xlsx", samples.xlsx, "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ],
)
def test_real_documents_are_stored_with_kind_hashes_and_an_audit_row(
    world, staff, media, name, builder, kind, content_type
):
    data = builder()
    # The browser's content type is ignored: only the bytes decide.
    stored = services.file_store(actor=staff, upload=upload(name, data), scope_unit=world.a["town"])

    stored.refresh_from_db()
    assert (stored.original_name, stored.kind, stored.size) == (name, kind, len(data))
    assert stored.content_type == content_type
    assert stored.sha256 == hashlib.sha256(data).hexdigest()
    assert stored.sm3 == sm3_independent(data)
    assert (stored.uploaded_by, stored.scope_unit) == (staff, world.a["town"])
    assert (media / stored.storage_name).read_bytes() == data
    with open_stored(stored) as fh:
        assert fh.read() == data
    assert stored_intact(stored)

    entry = AuditEntry.objects.order_by("-seq").first()
    assert (entry.action, entry.actor_id, entry.target_id) == ("files.store", staff.pk, str(stored.pk))
    assert entry.scope_unit == world.a["town"]
    assert entry.after == {"name": name, "kind": kind, "size": len(data), "sha256": stored.sha256, "sm3": stored.sm3}


def test_large_text_is_hashed_across_many_chunks(db, media):
    data = ("第一条 巡察工作坚持党的全面领导。\n" * 20000).encode()  # ~1 MB, sixteen 64 KB chunks
    stored = services.file_store(actor=SYSTEM, upload=upload("条例.txt", data))
    assert (stored.kind, stored.content_type) == ("txt", "text/plain; charset=utf-8")
    assert (stored.sha256, stored.sm3) == (hashlib.sha256(data).hexdigest(), sm3_independent(data))
    assert stored.uploaded_by is None and stored.scope_unit is None


def test_large_uploads_spooled_to_a_temporary_file_are_copied_not_moved(db, media):
    # Above FILE_UPLOAD_MAX_MEMORY_SIZE Django hands over a TemporaryUploadedFile; the storage must
    # stream it through the hashing reader rather than move the temporary file into place.
    data = samples.pdf() + b"%" + b"0" * (3 * 1024 * 1024)
    spooled = TemporaryUploadedFile("扫描件.pdf", "application/pdf", len(data), None)
    spooled.write(data)
    spooled.seek(0)
    stored = services.file_store(actor=SYSTEM, upload=spooled)
    assert (stored.size, stored.sha256) == (len(data), hashlib.sha256(data).hexdigest())
    assert (media / stored.storage_name).read_bytes() == data
    assert os.path.exists(spooled.temporary_file_path())
    spooled.close()


def test_effective_date_is_kept_apart_from_the_upload_date(db):
    stored = services.file_store(actor=SYSTEM, upload=upload("a.png", samples.png()), effective_date=date(2025, 6, 30))
    stored.refresh_from_db()
    assert stored.effective_date == date(2025, 6, 30)
    assert stored.uploaded_at.date() > stored.effective_date


@pytest.mark.parametrize("builder", [samples.elf, samples.pe], ids=["elf", "pe"])
def test_executable_renamed_to_pdf_is_refused(db, media, builder):
    with pytest.raises(ServiceError, match="文件“发票.pdf”的实际类型不是允许的格式") as exc:
        services.file_store(actor=SYSTEM, upload=upload("发票.pdf", builder()))
    assert exc.value.error_list[0].code == "file_type"
    assert not StoredFile.objects.exists() and files_on_disk(media) == []


def test_png_named_pdf_is_refused_with_the_name_it_should_have(db, media):
    with pytest.raises(ServiceError, match="内容是PNG 图片，请将扩展名改为 .png") as exc:
        services.file_store(actor=SYSTEM, upload=upload("现场照片.pdf", samples.png()))
    assert exc.value.error_list[0].code == "file_extension"
    assert not StoredFile.objects.exists() and files_on_disk(media) == []


@pytest.mark.parametrize("name", ["照片.PNG", "照片.jpeg.png"])
def test_extension_is_compared_case_insensitively(db, name):
    assert services.file_store(actor=SYSTEM, upload=upload(name, samples.png())).kind == "png"


@pytest.mark.parametrize("name", ["照片", ".png"])
def test_a_name_without_extension_is_refused(db, name):
    with pytest.raises(ServiceError, match="扩展名改为 .png"):
        services.file_store(actor=SYSTEM, upload=upload(name, samples.png()))


def test_jpeg_may_be_called_jpg_or_jpeg(db):
    for name in ("a.jpg", "b.JPEG"):
        assert services.file_store(actor=SYSTEM, upload=upload(name, samples.jpg())).content_type == "image/jpeg"


class _Untouchable:
    """Stands in for the bytes of an upload: any attempt to read them fails the test."""

    def __getattr__(self, name):
        raise AssertionError(f"the upload was touched ({name})")


def test_oversize_upload_is_refused_before_reading_and_writes_nothing(db, settings, media):
    settings.FILES_MAX_UPLOAD_MB = 1
    big = upload("全年凭证.pdf", b"%PDF-" + b"0" * (1024 * 1024 + 1 - 5))
    assert big.size == 1024 * 1024 + 1
    big.file = _Untouchable()
    with pytest.raises(ServiceError, match="文件“全年凭证.pdf”超过 1 MB 的上限") as exc:
        services.file_store(actor=SYSTEM, upload=big)
    assert exc.value.error_list[0].code == "file_too_large"
    assert not StoredFile.objects.exists() and files_on_disk(media) == []


def test_upload_exactly_at_the_limit_is_accepted(db, settings):
    settings.FILES_MAX_UPLOAD_MB = 1
    data = b"%PDF-" + b"0" * (1024 * 1024 - 5)
    assert services.file_store(actor=SYSTEM, upload=upload("a.pdf", data)).size == 1024 * 1024


def test_upload_larger_than_its_declared_size_is_stopped_while_streaming(db, settings, media):
    settings.FILES_MAX_UPLOAD_MB = 1
    liar = upload("a.pdf", b"%PDF-" + b"0" * (2 * 1024 * 1024))
    liar.size = 100
    with pytest.raises(ServiceError, match="超过 1 MB"):
        services.file_store(actor=SYSTEM, upload=liar)
    assert not StoredFile.objects.exists() and files_on_disk(media) == []


def test_empty_file_is_refused(db, media):
    with pytest.raises(ServiceError, match="文件“空白.txt”是空文件") as exc:
        services.file_store(actor=SYSTEM, upload=upload("空白.txt", b""))
    assert exc.value.error_list[0].code == "file_empty"
    assert files_on_disk(media) == []


def test_macro_and_encrypted_documents_are_refused_with_their_own_message(db):
    with pytest.raises(ServiceError, match="含有宏代码"):
        services.file_store(actor=SYSTEM, upload=upload("通知.docx", samples.docm()))
    with pytest.raises(ServiceError, match="已加密"):
        services.file_store(actor=SYSTEM, upload=upload("名单.xlsx", samples.cfb(["EncryptedPackage"])))


@pytest.mark.parametrize(
    ("raw_name", "shown"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("报告 2026.pdf", "报告 2026.pdf"),
        ("C:\\Users\\张三\\..\\报告.pdf", "报告.pdf"),
        ("说明\u202efdp.exe.pdf", "说明fdp.exe.pdf"),  # the right-to-left override is dropped
    ],
)
def test_stored_path_holds_nothing_from_the_uploaded_name(db, media, raw_name, shown):
    stored = services.file_store(actor=SYSTEM, upload=upload(raw_name, samples.pdf()))
    assert stored.original_name == shown
    assert STORAGE_NAME.match(stored.storage_name)
    assert stored.storage_name.endswith(stored.pk.hex)
    assert files_on_disk(media) == [media / stored.storage_name]
    assert not (media.parent.parent / "etc").exists()


def test_many_stores_all_when_all_are_good(world, staff, media):
    uploads = [upload("a.pdf", samples.pdf()), upload("b.docx", samples.docx()), upload("c.xlsx", samples.xlsx())]
    stored = services.file_store_many(actor=staff, uploads=uploads, scope_unit=world.a["county"])
    assert [s.kind for s in stored] == ["pdf", "docx", "xlsx"]
    assert len(files_on_disk(media)) == 3
    assert AuditEntry.objects.filter(action="files.store").count() == 3


def test_many_with_one_bad_file_stores_nothing_and_names_every_bad_file(db, media):
    uploads = [
        upload("a.pdf", samples.pdf()),
        upload("病毒.pdf", samples.pe()),
        upload("b.docx", samples.docx()),
        upload("空.txt", b""),
    ]
    with pytest.raises(ServiceError) as exc:
        services.file_store_many(actor=SYSTEM, uploads=uploads)
    assert [e.code for e in exc.value.error_list] == ["file_type", "file_empty"]
    assert "病毒.pdf" in exc.value.messages[0] and "空.txt" in exc.value.messages[1]
    assert not StoredFile.objects.exists() and files_on_disk(media) == []
    assert not AuditEntry.objects.filter(action="files.store").exists()


def test_failure_after_the_bytes_are_written_removes_them(db, media, monkeypatch):
    def broken_audit(**kwargs):
        raise RuntimeError("audit unavailable")

    monkeypatch.setattr(services, "audit_record", broken_audit)
    uploads = [upload("a.pdf", samples.pdf()), upload("b.png", samples.png())]
    with pytest.raises(RuntimeError):
        services.file_store_many(actor=SYSTEM, uploads=uploads)
    assert not StoredFile.objects.exists() and files_on_disk(media) == []


def test_storage_failure_midway_removes_what_was_written(db, media, monkeypatch):
    real_write, calls = services._write, []

    def write_then_fail(checked, storage):
        calls.append(checked.name)
        if len(calls) == 2:
            raise OSError("disk full")
        return real_write(checked, storage)

    monkeypatch.setattr(services, "_write", write_then_fail)
    uploads = [upload("a.pdf", samples.pdf()), upload("b.png", samples.png())]
    with pytest.raises(OSError):
        services.file_store_many(actor=SYSTEM, uploads=uploads)
    assert files_on_disk(media) == []


def test_rollback_of_the_callers_transaction_leaves_only_orphaned_bytes(db, media):
    with pytest.raises(RuntimeError), transaction.atomic():
        services.file_store(actor=SYSTEM, upload=upload("a.pdf", samples.pdf()))
        raise RuntimeError("a later step of the caller failed")
    assert not StoredFile.objects.exists()
    assert len(files_on_disk(media)) == 1  # found and removed by files_orphans (test_orphans.py)


def test_stored_intact_notices_changed_bytes(db, media):
    stored = services.file_store(actor=SYSTEM, upload=upload("a.txt", "原始记录".encode()))
    (media / stored.storage_name).write_bytes("篡改记录".encode())
    assert not stored_intact(stored)


def test_stored_files_have_no_public_url(db):
    from xuncha.files.storage import evidence_storage

    stored = services.file_store(actor=SYSTEM, upload=upload("a.pdf", samples.pdf()))
    with pytest.raises(ValueError):
        evidence_storage().url(stored.storage_name)
