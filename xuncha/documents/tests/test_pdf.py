"""Word → PDF with LibreOffice (``documents.pdf``): every kind of document of the demo county, as its
download hands it over (stamped for the office head), converted in one LibreOffice run and read
back with pypdf: pages, the Chinese text, and no page led by the date or the signing organ alone.

Without LibreOffice the conversion tests are skipped on a developer's machine and FAIL in CI (``CI``
set): CI installs it (scripts/system-deps.sh), and a PDF path that nobody tests is not tested.
"""

from __future__ import annotations

import io
import os
import re
import time
from pathlib import Path

import pytest
from pypdf import PdfReader

from xuncha.documents import pdf, trace

SOFFICE_MISSING = (
    "LibreOffice (soffice) is not installed: apt-get install libreoffice-writer-nogui (scripts/system-deps.sh)"
)


@pytest.fixture
def soffice():
    if pdf.available():
        return
    if os.environ.get("CI"):
        pytest.fail(f"{SOFFICE_MISSING}. CI must convert, not skip.")
    pytest.skip(SOFFICE_MISSING)


@pytest.fixture(autouse=True)
def media():
    """The demo's stored files (feedback opinion, letters, report versions) stay where the demo
    wrote them: no per-test MEDIA_ROOT here (documents/tests/conftest.py makes one)."""


# --- the converter itself (no LibreOffice needed) ------------------------------------------------


def test_missing_libreoffice_is_a_clear_refusal(settings):
    settings.XUNCHA_SOFFICE = "/nonexistent/soffice"
    assert not pdf.available()
    with pytest.raises(pdf.PdfUnavailable, match="未安装 LibreOffice"):
        pdf.docx_to_pdf(b"PK")


def _fake_soffice(tmp_path: Path, body: str) -> str:
    program = tmp_path / "soffice"
    program.write_text(f"#!/bin/sh\n{body}\n", encoding="utf-8")
    program.chmod(0o755)
    return str(program)


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(") ")[1][0]
    except (FileNotFoundError, IndexError):
        return False
    return state != "Z"  # a zombie is dead, only not yet reaped (PID 1 of a container may not reap)


def test_an_overrun_kills_the_whole_process_group(settings, tmp_path):
    pid_file = tmp_path / "child.pid"
    # LibreOffice starts a child process (oosplash → soffice.bin): the child must die too.
    settings.XUNCHA_SOFFICE = _fake_soffice(tmp_path, f"sleep 60 & echo $! > {pid_file}\nwait")
    started = time.monotonic()
    with pytest.raises(pdf.PdfFailed, match="超时") as caught:
        pdf.docx_to_pdf(b"PK", timeout=1)
    assert caught.value.code == "pdf_timeout"
    assert time.monotonic() - started < 10
    child = int(pid_file.read_text())
    for _ in range(50):
        if not _alive(child):
            break
        time.sleep(0.05)
    assert not _alive(child)


def test_a_failed_conversion_is_a_clear_refusal(settings, tmp_path):
    settings.XUNCHA_SOFFICE = _fake_soffice(tmp_path, "echo 'Error: source file could not be loaded' >&2; exit 1")
    with pytest.raises(pdf.PdfFailed, match="PDF 文件生成失败"):
        pdf.docx_to_pdf(b"PK")
    settings.XUNCHA_SOFFICE = _fake_soffice(tmp_path, "exit 0")  # exits happily, writes nothing
    with pytest.raises(pdf.PdfFailed, match="PDF 文件生成失败"):
        pdf.docx_to_pdf(b"PK")


# --- every kind of the demo county ---------------------------------------------------------------


def _downloads() -> list[tuple[str, str, bytes]]:
    """(kind, a name the document must show, the .docx) for every kind, as each download hands
    it to the office head."""
    from xuncha.accounts.models import User
    from xuncha.analytics.situation_exports import comprehensive_docx_export, situation_docx_export
    from xuncha.documents.services import stored_docx_export
    from xuncha.files.storage import open_stored
    from xuncha.findings.documents.pdf import feedback_document_export
    from xuncha.findings.models import Feedback, InspectionReport
    from xuncha.findings.services import reports as report_services
    from xuncha.plans.documents.exports import announcement_export, entry_notice_export, team_authorisation_export
    from xuncha.plans.models import Announcement, Round, RoundState
    from xuncha.rectification.models import EscalationLetter, PlanReport, RectificationPlan
    from xuncha.rectification.services.letters import letter_export
    from xuncha.rectification.services.reports import plan_docx_export, report_draft, report_file_export
    from xuncha.transfers.models import Transfer
    from xuncha.transfers.pdf import transfer_letter_export

    oh = User.objects.get(username="xcb_zhuren")
    round8 = Round.objects.get(state=RoundState.ON_SITE)
    round7 = Round.objects.get(state=RoundState.RECTIFYING)
    target8 = Announcement.objects.select_related("target__unit", "target__team").filter(target__round=round8)
    target8 = target8.first().target
    plan = RectificationPlan.objects.select_related("feedback__target__unit").filter(letters__isnull=False).first()
    plan_unit = plan.feedback.target.unit.name
    found = [
        ("team_authorisation", target8.unit.name, team_authorisation_export(actor=oh, team=target8.team)),
        ("entry_notice", target8.unit.name, entry_notice_export(actor=oh, target=target8)),
        ("announcement", target8.unit.name, announcement_export(actor=oh, target=target8)),
        ("situation_report", round7.jurisdiction.name, situation_docx_export(actor=oh, rnd=round7)),
        ("comprehensive_report", round7.jurisdiction.name, comprehensive_docx_export(actor=oh, rnd=round7)),
        ("escalation_letter", plan_unit, letter_export(actor=oh, letter=EscalationLetter.objects.filter(plan=plan)[0])),
        ("rectification_plan", plan_unit, plan_docx_export(actor=oh, plan=plan)),
        ("rectification_report", plan_unit, report_draft(actor=oh, plan=plan, kind="unit")),
        ("leader_report", plan_unit, report_draft(actor=oh, plan=plan, kind="leader")),
    ]
    feedback = Feedback.objects.select_related("target__unit").filter(document__isnull=False, target__round=round7)[0]
    found.append(("feedback_opinion", feedback.target.unit.name, feedback_document_export(actor=oh, feedback=feedback)))
    transfer = Transfer.objects.select_related("target__unit").filter(letter__isnull=False)[0]
    found.append(("transfer_letter", transfer.target.unit.name, transfer_letter_export(actor=oh, transfer=transfer)))
    submitted = PlanReport.objects.select_related("plan__feedback__target__unit").first()
    if submitted is not None:
        unit = submitted.plan.feedback.target.unit.name
        found.append((f"submitted {submitted.kind} report", unit, report_file_export(actor=oh, report=submitted)))
    # The report drafts (巡察报告, 专题报告, 线索报告): their first version, as version_download hands it.
    for kind in ("inspection", "thematic", "clue"):
        draft = InspectionReport.objects.select_related("target__unit").filter(kind=kind, versions__number=1).first()
        if draft is None:
            continue
        version = draft.versions.select_related("file").get(number=1)
        with open_stored(version.file) as fh:
            data = fh.read()
        export = stored_docx_export(
            actor=oh, data=data, kind=report_services.DOC_KIND[draft.kind], filename="v1.docx", target=draft
        )
        found.append((f"{kind}_report", draft.target.unit.name if draft.target_id else round7.name, export))
    return [(kind, name, export.content) for kind, name, export in found]


@pytest.fixture(scope="module")
def converted(request, django_db_blocker):
    """[(kind, expected name, PdfReader)], all converted in one LibreOffice run (nothing is built
    when LibreOffice is missing: the tests then skip, or fail in CI, through ``soffice``)."""
    if not pdf.available():
        return None
    request.getfixturevalue("demo_loaded")
    with django_db_blocker.unblock():
        downloads = _downloads()
    started = time.monotonic()
    pdfs = pdf.docx_files_to_pdf([content for _kind, _name, content in downloads])
    seconds = time.monotonic() - started
    print(f"\n{len(downloads)} documents converted to PDF in one LibreOffice run: {seconds:.1f} s")
    return [
        (kind, name, PdfReader(io.BytesIO(data))) for (kind, name, _docx), data in zip(downloads, pdfs, strict=True)
    ]


DATE_LINE = re.compile(r"^\s*(\d{4}|[〇○零一二三四五六七八九]{4})\s*年\s*\S{1,3}\s*月\s*\S{1,3}\s*日\s*$")
PAGE_NUMBER = re.compile(r"^\s*[—–-]\s*\d+\s*[—–-]\s*$")
SENTENCE = re.compile(r"[。；：，、！？]")


def _lines(page) -> list[str]:
    text = trace.strip_fingerprints(page.extract_text() or "")
    lines = [line.strip() for line in text.splitlines()]
    return [line for line in lines if line and not PAGE_NUMBER.match(line) and not trace.TRACE_LINE.match(line)]


# Every kind the demo county issues (the thematic report has no version in the demo).
KINDS = [
    "team_authorisation",
    "entry_notice",
    "announcement",
    "situation_report",
    "comprehensive_report",
    "escalation_letter",
    "rectification_plan",
    "rectification_report",
    "leader_report",
    "feedback_opinion",
    "transfer_letter",
    "inspection_report",
    "clue_report",
]


def test_every_kind_converts_with_its_chinese_text(soffice, converted, db):
    assert set(KINDS) <= {kind for kind, _name, _reader in converted}
    for kind, name, reader in converted:
        assert len(reader.pages) >= 1, kind
        text = re.sub(r"\s+", "", trace.strip_fingerprints("".join(p.extract_text() or "" for p in reader.pages)))
        assert name in text, f"{kind}: {name} not in the PDF's text"
        assert "追溯码" in text, f"{kind}: the trace line is not printed"  # stamped before converting


def _leading_signature(reader) -> list[str]:
    bad = []
    for number, page in enumerate(reader.pages[1:], start=2):
        lines = _lines(page)
        if not lines:
            continue
        first = lines[0]
        if DATE_LINE.match(first):
            bad.append(f"p.{number} starts with the date {first!r}")
        elif len(lines) > 1 and DATE_LINE.match(lines[1]) and not SENTENCE.search(first) and len(first) <= 30:
            bad.append(f"p.{number} starts with the signature {first!r} and the date")
    return bad


@pytest.mark.parametrize("kind", KINDS)
def test_no_page_is_led_by_the_date_or_the_signature_alone(soffice, converted, db, kind):
    """GB/T 9704 7.3.5: the signing organ and the date stay with the text; a page must not start
    with the date, nor with the organ's name followed by the date."""
    _kind, _name, reader = next(item for item in converted if item[0] == kind)
    bad = _leading_signature(reader)
    assert not bad, f"{kind}: " + "; ".join(bad)


def test_the_fonts_are_embedded_and_chinese(soffice, converted, db):
    """The PDF carries its fonts (an archive copy renders the same anywhere), and the 公文 fonts
    fell back to CJK faces, not to a Latin font with boxes (pdf_fonts.conf)."""
    _kind, _name, reader = next(item for item in converted if item[0] == "entry_notice")
    fonts = set()
    for page in reader.pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            font = font.get_object()
            descriptor = font.get("/FontDescriptor") or (font.get("/DescendantFonts") or [{}])[0].get_object().get(
                "/FontDescriptor"
            )
            embedded = descriptor is not None and any(
                key in descriptor.get_object() for key in ("/FontFile", "/FontFile2", "/FontFile3")
            )
            fonts.add((str(font.get("/BaseFont")), embedded))
    assert fonts and all(embedded for _name, embedded in fonts), fonts
    assert any("CJK" in name or "Kai" in name or "GB2312" in name or "小标宋" in name for name, _e in fonts), fonts
