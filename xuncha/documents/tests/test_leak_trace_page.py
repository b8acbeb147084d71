"""Issue 13, build 4: 泄密溯源 — the office head finds who downloaded a leaked copy from its trace
code, from the leaked file, or from text copied or retyped out of it; only within their own
subtree, every lookup audited, uploads checked and never stored."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from docx import Document

from xuncha.accounts.permissions import Role
from xuncha.accounts.tests.factories import make_user
from xuncha.audit.models import AuditEntry
from xuncha.documents.models import ExportTrace
from xuncha.documents.tests.factories import DOCX_TYPE, docx_bytes
from xuncha.files.models import StoredFile

PAGE = reverse("documents:trace")


@pytest.fixture
def leaked(client, docs):
    """A team member downloads the team's authorisation: the copy that will leak."""
    url = reverse("plans:team_authorisation", args=[docs.a["team"].pk])
    client.force_login(docs.a["member"])
    content = client.get(url).content
    client.logout()
    return {"content": content, "row": ExportTrace.objects.get(), "url": url}


def _ask(client, user, **data):
    client.force_login(user)
    response = client.post(PAGE, data)
    assert response.status_code == 200
    return response.content.decode()


def _found(page: str, docs, leaked) -> bool:
    return docs.a["member"].full_name in page and leaked["row"].code in page and leaked["url"] in page


def test_the_office_head_finds_the_downloader_by_code(client, docs, leaked):
    code = leaked["row"].code
    page = _ask(client, docs.a["office"], code=code.lower().replace("-", " "))
    assert _found(page, docs, leaked)
    assert "巡察授权书" in page and "输入的追溯码" in page
    entry = AuditEntry.objects.get(action="documents.trace.lookup")
    assert entry.actor == docs.a["office"] and entry.after["found"] == [code] and entry.after["way"] == "code"
    assert entry.scope_unit == docs.a["county"]


def test_the_leaked_file_itself_names_its_downloader(client, docs, leaked):
    upload = SimpleUploadedFile("外泄.docx", leaked["content"], content_type=DOCX_TYPE)
    page = _ask(client, docs.a["office"], upload=upload)
    assert _found(page, docs, leaked)
    for how in ("文件属性中的追溯码", "正文中的隐写指纹", "页脚或文字中的追溯码", "与导出的文件完全相同"):
        assert how in page, how
    entry = AuditEntry.objects.get(action="documents.trace.lookup")
    assert entry.after["way"] == "file" and len(entry.after["sha256"]) == 64
    assert not StoredFile.objects.exists()  # read and forgotten


def test_text_pasted_into_a_new_document_still_names_its_downloader(client, docs, leaked):
    """Someone copies the text into a Word file of their own: no footer, no property, new bytes."""
    source = Document(io.BytesIO(leaked["content"]))
    copy = Document()
    for paragraph in source.paragraphs:
        copy.add_paragraph(paragraph.text)
    upload = SimpleUploadedFile("摘抄.docx", docx_bytes(copy), content_type=DOCX_TYPE)
    page = _ask(client, docs.a["office"], upload=upload)
    assert _found(page, docs, leaked) and "正文中的隐写指纹" in page
    assert "文件属性中的追溯码" not in page and "与导出的文件完全相同" not in page


def test_pasted_text_names_its_downloader(client, docs, leaked):
    text = "\n".join(p.text for p in Document(io.BytesIO(leaked["content"])).paragraphs)
    page = _ask(client, docs.a["office"], text=text[len(text) // 3 :])  # a part, copied from the middle
    assert _found(page, docs, leaked) and "正文中的隐写指纹" in page


def test_a_code_retyped_from_a_photo_of_the_page_is_found(client, docs, leaked):
    typed = f"照片上页脚写着：本件由……导出 · 追溯码 {leaked['row'].code.lower()} · 注意保密"
    page = _ask(client, docs.a["office"], text=typed)
    assert _found(page, docs, leaked) and "页脚或文字中的追溯码" in page


def test_another_countys_office_head_finds_nothing(client, docs, leaked):
    page = _ask(client, docs.b["office"], code=leaked["row"].code)
    assert docs.a["member"].full_name not in page and leaked["url"] not in page
    assert f"没有找到追溯码 {leaked['row'].code} 的导出记录" in page
    upload = SimpleUploadedFile("外泄.docx", leaked["content"], content_type=DOCX_TYPE)
    page = _ask(client, docs.b["office"], upload=upload)
    assert docs.a["member"].full_name not in page and "在您管辖的范围内没有对应的导出记录" in page
    assert AuditEntry.objects.filter(action="documents.trace.lookup", actor=docs.b["office"]).count() == 2


def test_an_unknown_code_gets_a_clear_answer_and_is_audited(client, docs):
    page = _ask(client, docs.a["office"], code="XC-2345-6789")
    assert "没有找到追溯码 XC-2345-6789 的导出记录" in page
    assert AuditEntry.objects.get(action="documents.trace.lookup").after["found"] == []


def test_text_without_marks_says_why_nothing_was_found(client, docs):
    page = _ask(client, docs.a["office"], text="经巡察，发现问题三个。")
    assert "粘贴的文字中没有隐写指纹，也没有追溯码" in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"code": "XC-12"}, "追溯码格式不正确"),
        ({}, "请输入追溯码、上传外泄的文件或粘贴外泄的文字"),
        ({"code": "XC-2345-6789", "text": "一段文字"}, "每次只能按一种方式查询"),
    ],
)
def test_bad_input_is_answered_on_the_page(client, docs, data, message):
    page = _ask(client, docs.a["office"], **data)
    assert message in page
    assert not AuditEntry.objects.filter(action="documents.trace.lookup").exists()


def test_uploads_pass_the_upload_checks_and_are_not_stored(client, docs, settings):
    fake = SimpleUploadedFile("外泄.docx", b"just text, not a Word file", content_type=DOCX_TYPE)
    assert "扩展名与实际内容不符" in _ask(client, docs.a["office"], upload=fake)
    pdf = SimpleUploadedFile("外泄.pdf", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\n%%EOF\n")
    assert "请上传 Word（.docx）或 Excel（.xlsx）文件" in _ask(client, docs.a["office"], upload=pdf)
    settings.FILES_MAX_UPLOAD_MB = 0
    big = SimpleUploadedFile("外泄.docx", docx_bytes(Document()), content_type=DOCX_TYPE)
    assert "MB 的上限" in _ask(client, docs.a["office"], upload=big)
    assert not StoredFile.objects.exists()


def test_only_holders_of_the_trace_code_get_the_page(client, docs, world):
    staff = make_user(world.a["dept"], Role.OFFICE_STAFF, scope=world.a["county"])
    for user in (staff, docs.a["member"]):
        client.force_login(user)
        assert client.get(PAGE).status_code == 403
        assert client.post(PAGE, {"code": "XC-2345-6789"}).status_code == 403
        assert reverse("documents:trace") not in client.get(reverse("home")).content.decode()
    assert not AuditEntry.objects.filter(action="documents.trace.lookup").exists()
    client.force_login(docs.a["office"])
    assert client.get(PAGE).status_code == 200
    home = client.get(reverse("home")).content.decode()
    assert reverse("documents:trace") in home and "泄密溯源" in home
