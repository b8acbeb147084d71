"""Each default template, rendered with a real round, has the GB/T 9704 layout and the content."""

from __future__ import annotations

from pathlib import Path

import pytest
from docx.oxml.ns import qn

from xuncha.documents import build_templates, registry
from xuncha.documents.kinds import SPECS, DocumentKind
from xuncha.documents.tests.docx_checks import (
    body_paragraph,
    body_text,
    bottom_border_color,
    east_asian_font,
    font_color,
    font_size_pt,
    footer_text,
    open_docx,
    paragraph_with,
)
from xuncha.plans.documents import contexts
from xuncha.plans.documents.exports import announcement_export, entry_notice_export, team_authorisation_export

TITLES = {
    DocumentKind.TEAM_AUTHORISATION: "巡察授权书",
    DocumentKind.ENTRY_NOTICE: "关于县委第一巡察组进驻开展巡察的通知",
    DocumentKind.ANNOUNCEMENT: "关于巡察甲县青山镇的公告",
}


def _export(docs, kind):
    a = docs.a
    if kind == DocumentKind.TEAM_AUTHORISATION:
        return team_authorisation_export(actor=a["office"], team=a["team"])
    if kind == DocumentKind.ENTRY_NOTICE:
        return entry_notice_export(actor=a["office"], target=a["town_target"])
    return announcement_export(actor=a["office"], target=a["town_target"])


# The findings documents (reports, feedback) are checked with real problems in
# xuncha/findings/tests/test_documents.py, with the same helpers.
PLANNING_KINDS = list(TITLES)


@pytest.fixture(params=PLANNING_KINDS, ids=lambda k: k.value)
def rendered(request, docs):
    return request.param, open_docx(_export(docs, request.param).content)


def _mm(length) -> float:
    return length / 36000  # EMU per millimetre


def test_a4_and_margins(rendered):
    _kind, document = rendered
    section = document.sections[0]
    measured = [
        section.page_width,
        section.page_height,
        section.top_margin,
        section.bottom_margin,
        section.left_margin,
        section.right_margin,
    ]
    for got, want in zip(map(_mm, measured), (210, 297, 37, 35, 28, 26), strict=True):
        assert got == pytest.approx(want, abs=0.5)


def test_title_and_body_type(rendered):
    kind, document = rendered
    title = paragraph_with(document, TITLES[kind])
    assert east_asian_font(title) == "方正小标宋简体"
    assert font_size_pt(title) == 22
    body = body_paragraph(document)
    assert east_asian_font(body) == "仿宋_GB2312"
    assert font_size_pt(body) == 16
    heading = paragraph_with(document, "一、")
    assert (east_asian_font(heading), font_size_pt(heading)) == ("黑体", 16)


def test_recipient_and_time_in_every_footer(rendered, docs):
    kind, document = rendered
    for section in document.sections:
        for footer in (section.footer, section.even_page_footer):
            text = "\n".join(p.text for p in footer.paragraphs)
            assert "本件由 甲县巡察办主任 于 " in text
            assert ("注意保密" in text) == SPECS[kind].confidential
    assert "甲县巡察办主任" in document.core_properties.comments


def test_page_number_field_in_footer(rendered):
    _kind, document = rendered
    footer = document.sections[0].footer._element
    instructions = [node.text.strip() for node in footer.iter(qn("w:instrText"))]
    assert instructions == ["PAGE"]
    assert "— 1 —" in footer_text(document)
    assert document.settings.odd_and_even_pages_header_footer  # odd pages right, even pages left


@pytest.mark.parametrize("kind", [DocumentKind.TEAM_AUTHORISATION, DocumentKind.ENTRY_NOTICE])
def test_red_header_and_separator(docs, kind):
    document = open_docx(_export(docs, kind).content)
    organ = paragraph_with(document, "中共甲县委巡察工作领导小组")
    assert font_color(organ) == "FF0000"
    doc_no = paragraph_with(document, "甲巡")
    assert "〔2026〕" in doc_no.text
    assert bottom_border_color(doc_no) == "FF0000"
    copy_no, secrecy = document.paragraphs[:2]  # "内部" is not a classification: no copy number
    assert copy_no.text == "" and copy_no.style.name == "公文份号"
    assert (secrecy.text, east_asian_font(secrecy), font_size_pt(secrecy)) == ("内部", "黑体", 16)


def test_authorisation_names_the_team_its_members_and_units(docs):
    document = open_docx(team_authorisation_export(actor=docs.a["office"], team=docs.a["team"]).content)
    text = body_text(document)
    for member in docs.a["team"].members.select_related("person"):
        assert member.person.name in text
    assert "组长：" in text and "成员：" in text
    assert "甲县青山镇（常规巡察）" in text and "甲县青山村" in text
    assert "甲县财政局" not in text  # the other team's unit
    assert "授权期限自2026年9月1日至2026年10月31日，一次一授权，巡察结束后自动失效。" in text


def test_entry_notice_addressee_due_date_and_contact(docs):
    document = open_docx(entry_notice_export(actor=docs.a["office"], target=docs.a["town_target"]).content)
    text = body_text(document)
    assert "甲县青山镇：" in text  # no Party organisation name recorded: the unit's name
    for item in ("汇报材料", "资料清单", "谈话名单", "工作联系人"):
        assert item in text
    assert "联系电话：0000-6662001" in text
    due = contexts.cn_date(contexts.entry_notice_due(rnd=docs.a["round"])["date"])
    assert f"{due}前送达" in text


def test_announcement_channels_and_qr_code(docs, settings):
    settings.XUNCHA_PUBLIC_BASE_URL = "https://xc.example.gov.cn/"
    document = open_docx(announcement_export(actor=docs.a["office"], target=docs.a["town_target"]).content)
    text = body_text(document)
    for expected in (
        "0000-6662001",
        "A001信箱",
        "xcz@example.gov.cn",
        "甲县人民路1号",
        "https://xc.example.gov.cn/report/",
    ):
        assert expected in text
    assert "下一级党组织主要负责人和重要岗位领导干部的问题" in text
    assert len(document.inline_shapes) >= 1
    assert _mm(document.inline_shapes[0].width) == pytest.approx(30, abs=0.5)


def test_committed_templates_are_what_the_build_script_makes(tmp_path: Path):
    """templates_docx/ is generated: edit build_templates.py or layout.py and run it, never Word."""
    for path in build_templates.main(tmp_path):
        assert path.read_bytes() == (SPECS[_kind_of(path)].default_path).read_bytes(), path.name


def _kind_of(path: Path) -> str:
    return next(kind for kind, spec in SPECS.items() if spec.default_file == path.name)


def _differences(sample, real, where: str = "") -> list[str]:
    """Where the two contexts differ in keys or value types (a list's items by its first one)."""
    if isinstance(sample, dict) and isinstance(real, dict):
        if set(sample) != set(real):
            return [f"{where}: keys {sorted(set(sample) ^ set(real))}"]
        return [d for key in sample for d in _differences(sample[key], real[key], f"{where}.{key}")]
    if isinstance(sample, list) and isinstance(real, list):
        return _differences(sample[0], real[0], f"{where}[0]") if sample and real else []
    return [] if type(sample) is type(real) else [f"{where}: {type(sample).__name__} vs {type(real).__name__}"]


@pytest.mark.parametrize("kind", PLANNING_KINDS, ids=lambda k: k.value)
def test_sample_context_has_the_shape_of_the_real_one(docs, kind):
    """Uploaded templates are checked against the sample: it must offer exactly the real fields."""
    a = docs.a
    real = {
        DocumentKind.TEAM_AUTHORISATION: lambda: contexts.authorisation_context(a["team"], today=a["round"].entry_date),
        DocumentKind.ENTRY_NOTICE: lambda: contexts.entry_notice_context(a["town_target"], today=a["round"].entry_date),
        DocumentKind.ANNOUNCEMENT: lambda: contexts.announcement_context(
            a["town_target"].announcement, today=a["round"].entry_date
        ),
    }[kind]()
    assert _differences(registry.sample_context(kind), real) == []
