"""Putting a download's trace into a .docx or .xlsx, and reading it back from a leaked copy.

Three copies of the trace code go into each file (see ``trace`` for the code and the mark):

* the **footer line** of every page ("本件由 李明 于 … 导出 · 追溯码 XC-7K3M-Q9TD · 注意保密"), what
  identifies a printout, a photo or a retyped copy;
* the **custom property** ``XunchaTrace`` (docProps/custom.xml), what identifies the file itself;
* the **zero-width mark** in the body text, what identifies text copied out of the file.

Where the marks go. In Word: after the end of a sentence (。！？；) that has more text after it
in the same paragraph, at most one per ``MARK_SPACING`` characters — body and table paragraphs
alike. Between sentences, so that a search in Word for a phrase still finds it, and repeated, so
that any copied passage of two sentences or more carries a whole mark. In Excel: at the end of
every text cell of at least ``XLSX_MIN_CHARS`` characters (descriptions, measures), never in short
labels and numbers, which people look up and compare.

A file is cleaned before it is stamped (an earlier trace line, property and marks removed), so a
document stored before issue 13, or a downloaded version uploaded again, carries exactly one
trace: the current recipient's.

A classified document's template carries a copy number placeholder (份号, GB/T 9704 7.2.1: the
paragraph in the style 公文份号, see ``build_parts.secrecy_block``); the stamp writes this copy's
6-digit number there (``copy_no``: the hand-over's count, see ``services.handover``; derived from
the trace code when none is given). An empty 公文份号 paragraph (a document that is not
classified) stays empty.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor
from lxml import etree
from openpyxl import load_workbook
from openpyxl.packaging.custom import StringProperty
from openpyxl.workbook.workbook import Workbook

from xuncha.documents import trace
from xuncha.files import guard

PROPERTY = "XunchaTrace"
TRACE_FONT = "仿宋_GB2312"
MARK_SPACING = 100
XLSX_MIN_CHARS = 20
# A leaked file is opened to be read; one that unpacks to more than this is not a document of ours.
MAX_UNPACKED_BYTES = 200 * 1024 * 1024

_CUSTOM_NS = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
_VT_NS = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
_FMTID = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"  # the one format id for user-defined properties
_SENTENCE_END = re.compile(r"[。！？；][”’）」』》]*(?=\S)")


class NotOfficeFile(ValueError):
    """Neither a Word nor an Excel file we can read."""


@dataclass(frozen=True)
class Clues:
    """What a file says about where it came from."""

    property_code: str | None
    fingerprints: list[str] = field(default_factory=list)
    printed: list[str] = field(default_factory=list)


def file_format(data: bytes) -> str:
    """ "docx" or "xlsx" (from the package's parts, not the name); ``NotOfficeFile`` otherwise."""
    try:
        with guard.open_zip(data, guard.Limits.from_settings(max_unpacked=MAX_UNPACKED_BYTES)) as archive:
            names = set(archive.namelist())
    except (guard.HostileFile, *guard.ZIP_ERRORS):
        raise NotOfficeFile from None
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        return "xlsx"
    raise NotOfficeFile


def stamp(data: bytes, *, line: str, code: str, copy_no: str | None = None) -> bytes:
    """``data`` (a .docx or .xlsx) with its old trace removed and this one put in; a Word file's
    copy number (份号) is ``copy_no``, else derived from ``code``."""
    if file_format(data) == "docx":
        return stamp_docx(data, line=line, code=code, copy_no=copy_no)
    return stamp_xlsx(data, line=line, code=code)


def read_clues(data: bytes) -> Clues:
    """The trace left in a file someone uploaded; ``guard.HostileFile`` before parsing a bomb."""
    guard.check_zip(data)
    if file_format(data) == "docx":
        return _docx_clues(data)
    return _xlsx_clues(data)


# --- Word -------------------------------------------------------------------------------------


def stamp_docx(data: bytes, *, line: str, code: str, copy_no: str | None = None) -> bytes:
    document = Document(io.BytesIO(data))
    _clean_docx(document)
    _copy_number(document, copy_no or copy_number(code))
    _footer_line(document, line)
    _set_docx_property(document, code)
    _mark_paragraphs(document, trace.fingerprint(code))
    document.core_properties.comments = line
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


COPY_NO_STYLE = "GWCopyNo"  # layout.define_styles: 公文份号
COPY_NO = re.compile(r"^\d{6}$")


def copy_number(code: str) -> str:
    """A 6-digit copy number for ``code`` (for a stamp that is given none): the code's low digits."""
    return f"{trace.code_value(code) % 1_000_000:06d}"


def _copy_number(document: DocxDocument, number: str) -> None:
    """Write ``number`` over the placeholder (or an earlier copy's number) of the 公文份号 paragraphs."""
    ids = {COPY_NO_STYLE} | {s.style_id for s in document.styles if s.name == "公文份号"}
    for paragraph in document.paragraphs:
        # The style id as written in the paragraph (w:pStyle): ``paragraph.style`` resolves every
        # unstyled paragraph to the default style through a scan of all styles, a fifth of a
        # download's time; a paragraph without w:pStyle is never a copy number.
        p_pr = paragraph._p.pPr
        if p_pr is None or p_pr.style not in ids or not paragraph.text.strip():
            continue
        runs = paragraph.runs
        for run in runs[1:]:
            run._r.getparent().remove(run._r)
        runs[0].text = number


def _all_footers(document: DocxDocument) -> list:
    """Every footer part the document defines (linked ones belong to an earlier section)."""
    found = []
    for section in document.sections:
        for footer in (section.footer, section.even_page_footer, section.first_page_footer):
            if not footer.is_linked_to_previous:
                found.append(footer)
    return found


def _printed_footers(document: DocxDocument) -> list:
    """The footers a page can show. The first section always gets one (a template without a
    footer still carries the trace); later sections only where they define their own."""
    odd_and_even = document.settings.odd_and_even_pages_header_footer
    found = []
    for index, section in enumerate(document.sections):
        candidates = [section.footer]
        if odd_and_even:
            candidates.append(section.even_page_footer)
        if section.different_first_page_header_footer:
            candidates.append(section.first_page_footer)
        found += [f for f in candidates if index == 0 or not f.is_linked_to_previous]
    return found


def _clean_docx(document: DocxDocument) -> None:
    for footer in _all_footers(document):
        paragraphs = footer.paragraphs
        for paragraph in paragraphs:
            if trace.TRACE_LINE.search(paragraph.text):
                paragraph._p.getparent().remove(paragraph._p)
        if len(paragraphs) and not footer.paragraphs:
            footer.add_paragraph()  # a footer part must keep one paragraph
    for node in document.element.body.iter(qn("w:t")):
        if node.text and any(ch in node.text for ch in trace.ZERO_WIDTH):
            node.text = trace.strip_fingerprints(node.text)


def _footer_line(document: DocxDocument, line: str) -> None:
    """``line`` as the last line of every printed footer; added in code after rendering, so a
    replacement template cannot leave it out."""
    for footer in _printed_footers(document):
        paragraph = footer.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        fmt = paragraph.paragraph_format
        # Direct formatting: the footer style of an uploaded template may have any indent or spacing.
        fmt.first_line_indent, fmt.left_indent, fmt.right_indent = Pt(0), Pt(0), Pt(0)
        fmt.space_before, fmt.space_after, fmt.line_spacing = Pt(0), Pt(0), 1.0
        # Off the document grid: a 9 pt line snapped to a grid of 16 pt characters spreads out.
        snap = OxmlElement("w:snapToGrid")
        snap.set(qn("w:val"), "0")
        paragraph._p.get_or_add_pPr().insert_element_before(
            snap, "w:spacing", "w:ind", "w:contextualSpacing", "w:jc", "w:textAlignment", "w:rPr", "w:sectPr"
        )
        run = paragraph.add_run(line)
        run.font.size = Pt(9)
        run.font.color.rgb = RGBColor(0x59, 0x59, 0x59)
        run.font.name = TRACE_FONT
        run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), TRACE_FONT)


def _custom_part(document: DocxDocument) -> Part | None:
    try:
        return document.part.package.part_related_by(RT.CUSTOM_PROPERTIES)
    except KeyError:
        return None


def _set_docx_property(document: DocxDocument, code: str) -> None:
    part = _custom_part(document)
    if part is None:
        root = etree.Element(f"{{{_CUSTOM_NS}}}Properties", nsmap={None: _CUSTOM_NS, "vt": _VT_NS})
    else:
        root = etree.fromstring(part.blob)
        for old in root.findall(f"{{{_CUSTOM_NS}}}property[@name='{PROPERTY}']"):
            root.remove(old)
    pids = [int(p.get("pid", "1")) for p in root.findall(f"{{{_CUSTOM_NS}}}property")]
    prop = etree.SubElement(
        root, f"{{{_CUSTOM_NS}}}property", fmtid=_FMTID, pid=str(max(pids, default=1) + 1), name=PROPERTY
    )
    etree.SubElement(prop, f"{{{_VT_NS}}}lpwstr").text = code
    blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    if part is None:
        package = document.part.package
        part = Part(PackURI("/docProps/custom.xml"), CT.OFC_CUSTOM_PROPERTIES, blob, package)
        package.relate_to(part, RT.CUSTOM_PROPERTIES)
    else:
        part._blob = blob


def _docx_property(document: DocxDocument) -> str | None:
    part = _custom_part(document)
    if part is None:
        return None
    try:
        root = etree.fromstring(part.blob)
    except etree.XMLSyntaxError:
        return None
    node = root.find(f"{{{_CUSTOM_NS}}}property[@name='{PROPERTY}']/{{{_VT_NS}}}lpwstr")
    return trace.normalise_code(node.text or "") if node is not None else None


def _mark_positions(text: str) -> list[int]:
    """Where in a paragraph's text the marks go: after sentence ends, ``MARK_SPACING`` apart."""
    chosen: list[int] = []
    for match in _SENTENCE_END.finditer(text):
        if not chosen or match.end() - chosen[-1] >= MARK_SPACING:
            chosen.append(match.end())
    return chosen


def _mark_paragraphs(document: DocxDocument, mark: str) -> None:
    for paragraph in document.element.body.iter(qn("w:p")):
        nodes = [t for t in paragraph.iter(qn("w:t")) if t.text]
        positions = _mark_positions("".join(t.text for t in nodes))
        start = 0
        for node in nodes:
            end = start + len(node.text)
            # Insert from the back so the earlier offsets in this node stay right.
            for position in reversed([p for p in positions if start < p <= end]):
                offset = position - start
                node.text = node.text[:offset] + mark + node.text[offset:]
            start = end


def _paragraph_texts(element) -> list[str]:
    # A mark can end up split over runs once Word has edited the text: read paragraph by paragraph.
    return ["".join(t.text or "" for t in p.iter(qn("w:t"))) for p in element.iter(qn("w:p"))]


def _docx_clues(data: bytes) -> Clues:
    document = Document(io.BytesIO(data))
    body = "\n".join(_paragraph_texts(document.element.body))
    footers = "\n".join(text for f in _all_footers(document) for text in _paragraph_texts(f._element))
    return Clues(
        property_code=_docx_property(document),
        fingerprints=trace.fingerprints_in(body + "\n" + footers),
        printed=trace.printed_codes_in(footers),
    )


# --- Excel ------------------------------------------------------------------------------------


def stamp_xlsx(data: bytes, *, line: str, code: str) -> bytes:
    workbook = load_workbook(io.BytesIO(data))
    mark = trace.fingerprint(code)
    printed = line.replace("&", "&&")  # "&" starts a code in Excel's header/footer language
    for sheet in workbook.worksheets:
        for footer in (sheet.oddFooter, sheet.evenFooter, sheet.firstFooter):
            footer.center.text, footer.center.size = printed, 8
        for row in sheet.iter_rows():
            for cell in row:
                _text_not_formula(cell)
                _mark_cell(cell, mark)
    _set_xlsx_property(workbook, code)
    workbook.properties.description = line
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# The first characters that make a spreadsheet treat typed text as a formula or a command (OWASP,
# "CSV injection"): in a cell they are harmless only while the cell stays text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _text_not_formula(cell) -> None:
    """Formula injection: Xuncha writes no formulas, so a cell that would be one holds text someone
    typed (a task's measure "=HYPERLINK(…)", "=cmd|' /C calc'!A0"). Every workbook leaves through
    this stamp, so this is the one place that keeps it text: stored as a string with Excel's quote
    prefix (the "'" a user would type), it shows as typed, is never evaluated, and stays text when
    someone edits the cell and presses Enter."""
    if cell.data_type == "f":
        cell.data_type = "s"
    if cell.data_type == "s" and isinstance(cell.value, str) and cell.value.startswith(FORMULA_STARTS):
        cell.quotePrefix = True


def _mark_cell(cell, mark: str) -> None:
    value = cell.value
    if not isinstance(value, str) or value.startswith("="):
        return
    clean = trace.strip_fingerprints(value)
    cell.value = clean + mark if len(clean) >= XLSX_MIN_CHARS else clean


def _set_xlsx_property(workbook: Workbook, code: str) -> None:
    props = workbook.custom_doc_props
    props.props = [p for p in props.props if p.name != PROPERTY]
    props.append(StringProperty(name=PROPERTY, value=code))


def _xlsx_clues(data: bytes) -> Clues:
    workbook = load_workbook(io.BytesIO(data))
    prop = next((p for p in workbook.custom_doc_props.props if p.name == PROPERTY), None)
    cells, footers = [], []
    for sheet in workbook.worksheets:
        for part in (sheet.oddFooter, sheet.evenFooter, sheet.firstFooter, sheet.oddHeader):
            footers += [p.text or "" for p in (part.left, part.center, part.right)]
        cells += [c for row in sheet.iter_rows(values_only=True) for c in row if isinstance(c, str)]
    return Clues(
        property_code=trace.normalise_code(str(prop.value)) if prop is not None else None,
        fingerprints=trace.fingerprints_in("\n".join(cells)),
        printed=trace.printed_codes_in("\n".join(footers)),
    )
