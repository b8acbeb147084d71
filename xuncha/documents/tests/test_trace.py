"""Issue 13, build 4: every download carries its own trace code — printed in the footer next to
the recipient and the time, in the file's custom properties, and hidden in the body text so that
text copied out of the file still names the download."""

from __future__ import annotations

import hashlib
import io
import re

import pytest
from django.urls import reverse
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from openpyxl import Workbook, load_workbook

from xuncha.audit.models import AuditEntry
from xuncha.documents import trace, trace_files
from xuncha.documents.models import ExportTrace
from xuncha.documents.tests.docx_checks import body_text, open_docx
from xuncha.documents.tests.factories import default_template, docx_bytes

CODE = re.compile(r"^XC-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}$")


def _footer_lines(document) -> list[str]:
    return [
        p.text
        for s in document.sections
        for f in (s.footer, s.even_page_footer)
        for p in f.paragraphs
        if trace.TRACE_LINE.search(p.text)
    ]


def _docx_property(document) -> str | None:
    return trace_files._docx_property(document)


# --- the code and the mark, without a database ---------------------------------------------------


def test_codes_are_short_unambiguous_and_distinct():
    codes = {trace.new_code() for _ in range(2000)}
    assert len(codes) == 2000
    assert all(CODE.match(code) for code in codes)
    assert not any(ch in code[3:] for code in codes for ch in "01OI")


@pytest.mark.parametrize(
    "typed", ["XC-7K3M-Q9TD", "xc-7k3m-q9td", "XC 7K3M Q9TD", "xc7k3mq9td", "7K3M-Q9TD", " 7k3mq9td "]
)
def test_a_code_typed_any_way_reads_the_same(typed):
    assert trace.normalise_code(typed) == "XC-7K3M-Q9TD"


@pytest.mark.parametrize("typed", ["", "XC-7K3M", "XC-7K3M-Q9T0", "XC-7K3M-Q9TD-22", "hello"])
def test_a_malformed_code_is_refused(typed):
    assert trace.normalise_code(typed) is None


def test_the_mark_is_invisible_round_trips_and_survives_a_partial_copy():
    code = trace.new_code()
    mark = trace.fingerprint(code)
    assert len(mark) == 50 and set(mark) <= set(trace.ZERO_WIDTH)
    text = f"第一句。{mark}第二句。{mark}第三句。"
    assert trace.fingerprints_in(text) == [code]
    assert trace.fingerprints_in(text[text.index("第二句") :]) == [code]  # from the middle on
    assert trace.strip_fingerprints(text) == "第一句。第二句。第三句。"


def test_a_damaged_mark_reads_as_nothing_not_as_someone_else():
    mark = trace.fingerprint(trace.new_code())
    flipped = mark[:10] + (trace.ONE if mark[10] == trace.ZERO else trace.ZERO) + mark[11:]
    assert trace.fingerprints_in(flipped) == []
    assert trace.fingerprints_in(mark[:30]) == []  # cut off


def test_a_printed_code_is_found_in_retyped_text():
    assert trace.printed_codes_in("页脚写着：追溯码xc-7k3m q9td，注意保密") == ["XC-7K3M-Q9TD"]
    assert trace.printed_codes_in("XC-7K3M-Q9TDX") == []


# --- the file ---------------------------------------------------------------------------------------


def _prose() -> bytes:
    document = Document()
    document.add_paragraph("一、基本情况")
    document.add_paragraph("经巡察，发现问题三个。" + "具体情况如下，" * 20 + "请予整改。现予通报。")
    document.add_paragraph("短句。")
    table = document.add_table(rows=1, cols=1)
    table.cell(0, 0).text = "清退违规发放的补贴"
    footer = document.sections[0].footer
    footer.paragraphs[0].text = "— 1 —"
    footer.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    # what a document stored before issue 13 carries: the generator's own line
    footer.add_paragraph("本件由 系统 于 2026-03-01 08:31 导出 · 注意保密")
    return docx_bytes(document)


def test_stamping_replaces_an_old_trace_and_keeps_the_rest():
    first = trace_files.stamp(
        _prose(), line="本件由 张三 于 2026-12-07 10:31 导出 · 追溯码 XC-2222-2222", code="XC-2222-2222"
    )
    second = trace_files.stamp(
        first, line="本件由 李四 于 2026-12-07 10:32 导出 · 追溯码 XC-3333-3333", code="XC-3333-3333"
    )
    document = open_docx(second)
    assert _footer_lines(document) == ["本件由 李四 于 2026-12-07 10:32 导出 · 追溯码 XC-3333-3333"]
    assert "— 1 —" in [p.text for p in document.sections[0].footer.paragraphs]
    assert _docx_property(document) == "XC-3333-3333"
    raw = "\n".join(p.text for p in document.paragraphs)
    assert trace.fingerprints_in(raw) == ["XC-3333-3333"]
    assert body_text(document) == body_text(open_docx(_prose()))  # the words are untouched
    assert document.tables[0].cell(0, 0).text == "清退违规发放的补贴"  # a short cell gets no mark
    assert document.paragraphs[0].text == "一、基本情况"  # nor does a heading


def test_marks_go_between_sentences_and_repeat_in_a_long_paragraph():
    document = open_docx(trace_files.stamp(_prose(), line="x", code="XC-2222-2222"))
    prose = document.paragraphs[1].text
    assert prose.count(trace.FRAME) // 2 >= 2
    for piece in prose.split(trace.fingerprint("XC-2222-2222"))[:-1]:
        assert piece.endswith("。")
    assert trace.fingerprints_in(prose[100:]) == ["XC-2222-2222"]  # a copy of the second half


def test_a_workbook_gets_footer_property_and_marks_in_long_cells():
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["单位", "整改措施"])
    sheet.append(["甲县青山镇", "全面清理2025年以来违规发放的各类津贴补贴并督促个人退回"])
    sheet.append(["=1+1", 3])
    buffer = io.BytesIO()
    workbook.save(buffer)
    line = "本件由 李四 于 2026-12-07 10:32 导出 · 追溯码 XC-3333-3333 · 注意保密"
    stamped = trace_files.stamp(buffer.getvalue(), line=line, code="XC-3333-3333")
    book = load_workbook(io.BytesIO(stamped))
    sheet = book.active
    assert sheet.oddFooter.center.text == line
    assert [(p.name, p.value) for p in book.custom_doc_props.props] == [("XunchaTrace", "XC-3333-3333")]
    assert sheet["A2"].value == "甲县青山镇" and sheet["A3"].value == "=1+1" and sheet["B3"].value == 3
    assert trace.fingerprints_in(sheet["B2"].value) == ["XC-3333-3333"]
    clues = trace_files.read_clues(stamped)
    assert (clues.property_code, clues.fingerprints, clues.printed) == (
        "XC-3333-3333",
        ["XC-3333-3333"],
        ["XC-3333-3333"],
    )


# --- downloads ------------------------------------------------------------------------------------


def _download(client, user, url):
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return response


def test_two_people_downloading_the_same_document_get_two_codes(client, docs):
    url = reverse("plans:team_authorisation", args=[docs.a["team"].pk])
    office, member = docs.a["office"], docs.a["member"]
    copies = {user: _download(client, user, url).content for user in (office, member)}
    rows = {row.recipient: row for row in ExportTrace.objects.all()}
    assert set(rows) == {office, member} and rows[office].code != rows[member].code
    for user, content in copies.items():
        row, document = rows[user], open_docx(content)
        assert CODE.match(row.code)
        (line,) = set(_footer_lines(document))
        assert line.startswith(f"本件由 {user.full_name} 于 ") and f"追溯码 {row.code}" in line
        assert _docx_property(document) == row.code
        # The text as someone would copy it out of Word: python-docx's paragraph text.
        copied = "\n".join(p.text for p in document.paragraphs)
        assert trace.fingerprints_in(copied) == [row.code]
        assert row.sha256 == hashlib.sha256(content).hexdigest()
        assert (row.source, row.kind, row.file_format) == (url, "team_authorisation", "docx")
        assert (row.target_type, row.target_id) == ("plans.team", str(docs.a["team"].pk))
        assert row.scope_unit == docs.a["county"] and row.fingerprint["bits"] == trace.fingerprint_bits(row.code)
        entry = AuditEntry.objects.get(action="documents.export", actor=user)
        assert entry.after["trace"] == row.code and entry.after["sha256"] == row.sha256
    assert body_text(open_docx(copies[office])) == body_text(open_docx(copies[member]))


def test_the_public_announcement_is_traced_without_asking_for_secrecy(client, docs):
    url = reverse("plans:announcement", args=[docs.a["town_target"].pk])
    document = open_docx(_download(client, docs.a["office"], url).content)
    (line,) = set(_footer_lines(document))
    assert "追溯码 XC-" in line and "注意保密" not in line


def test_the_default_templates_carry_no_trace_of_their_own():
    for kind in ("feedback_opinion", "inspection_report", "team_authorisation"):
        assert _footer_lines(default_template(kind)) == []
