"""The typesetting a template cannot do: what depends on the rendered text (GB/T 9704-2012).

``render_docx`` runs this on every document it renders, whatever template it came from; it acts
on the paragraphs that carry the 公文 styles (layout.py), so an office's own template gets it as
long as it keeps the styles:

* **title** (公文标题, 7.3.1): a title longer than the text block is broken into lines at word
  boundaries, of about equal length (``title_breaks``), instead of wherever the line runs out;
* **organ's mark** (公文发文机关标志, 7.2.4): its characters are narrowed (character scale) so the
  organ's name fits on one line at the red-header size; a name too long even at
  ``layout.ORGAN_MIN_SCALE`` goes on two or more lines, broken between words;
* **signature and date** (7.3.5): the paragraph before the issuing organ's signature (the last
  lines of the body, or the attachment note) is kept with it, so the date never starts a page on
  its own; when the body ends with a table, its last row is kept with the signature; a 附注
  (7.3.6) stays with the date.
"""

from __future__ import annotations

import copy
import io
import logging
import math

from docx import Document
from docx.document import Document as DocxDocument
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from xuncha.documents import layout, ooxml, title_breaks

logger = logging.getLogger(__name__)

# The styles this pass looks for, by id (layout.define_styles).
TITLE, ORGAN, SIGNATURE, DATE, NOTE = "GWTitle", "GWOrgan", "GWSignature", "GWDate", "GWNote"
ATTACHMENT_NOTE = "GWAttachNote"


def typeset(data: bytes) -> bytes:
    """``data`` (a rendered .docx) typeset; unchanged if the pass fails on an unusual template (an
    office's own): the document is still good to hand out, only less well set, and the log says why."""
    try:
        document = Document(io.BytesIO(data))
        typeset_document(document)
        buffer = io.BytesIO()
        document.save(buffer)
    except Exception:  # a refinement never stops a document
        logger.exception("Typesetting a rendered document failed; it is handed out as rendered")
        return data
    return buffer.getvalue()


def typeset_document(document: DocxDocument) -> None:
    styles = ooxml.Styles(document)
    width = text_width_pt(document)
    body = document.element.body
    for p in body.iter(qn("w:p")):
        style = ooxml.paragraph_style_id(p, styles)
        if style == TITLE:
            _break_title(p, styles, width)
        elif style == ORGAN:
            _fit_organ(p, styles, width)
    _keep_closing_together(body, styles)


def text_width_pt(document: DocxDocument) -> float:
    page = ooxml.page_pt(document.sections[-1])
    return page["page_width"] - page["left_margin"] - page["right_margin"]


def line_width_pt(p, styles: ooxml.Styles, text_width: float) -> float:
    indents = ooxml.indents_pt(p, styles)
    return text_width - indents["left"] - indents["right"]


# --- title ----------------------------------------------------------------------------------------


def _break_title(p, styles: ooxml.Styles, text_width: float) -> None:
    size = ooxml.font_size_pt(p, None, styles) or 22.0
    max_em = line_width_pt(p, styles, text_width) / size
    text = ooxml.paragraph_text(p)
    offsets, at = [], 0
    for segment in text.split("\n"):  # a break the template put there stays
        lines = title_breaks.break_lines(segment, max_em)
        for line in lines[:-1]:
            at += len(line)
            offsets.append(at)
        at += len(lines[-1]) + 1
    for offset in reversed(offsets):
        insert_break(p, offset)


def insert_break(p, offset: int) -> None:
    """A line break before the character at ``offset`` of the paragraph's text (``paragraph_text``:
    a break or tab counts as one character); the run holding it is split, its formatting kept."""
    at = 0
    for r in ooxml.runs(p):
        for child in list(r):
            if child.tag == qn("w:t"):
                length = len(child.text or "")
            elif child.tag in (qn("w:br"), qn("w:cr"), qn("w:tab")):
                length = 1
            else:
                continue
            if at <= offset < at + length and child.tag == qn("w:t"):
                _split_run_at(r, child, offset - at)
                return
            at += length


def _split_run_at(r, t, index: int) -> None:
    text = t.text or ""
    before, after = text[:index], text[index:]
    tail = copy.deepcopy(r)
    # The copy keeps its properties, the break and what follows ``t``; the original keeps what precedes.
    children = [c for c in r if c.tag != qn("w:rPr")]
    position = children.index(t)
    for child in children[position:]:
        r.remove(child)
    if before:
        head_t = copy.deepcopy(t)
        head_t.text = before
        _preserve(head_t)
        r.append(head_t)
    tail_children = [c for c in tail if c.tag != qn("w:rPr")]
    for child in tail_children[:position]:
        tail.remove(child)
    tail_t = tail_children[position]
    tail_t.text = after
    _preserve(tail_t)
    tail_t.addprevious(OxmlElement("w:br"))
    r.addnext(tail)


def _preserve(t) -> None:
    t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")


# --- organ's mark ---------------------------------------------------------------------------------


def organ_layout(text: str, size: float, width: float) -> tuple[list[str], int]:
    """The lines of an organ's mark and the character scale (per cent) that fits them in ``width``."""
    em = title_breaks.text_em(text)
    if not em:
        return [text], 100
    if em * size <= width:
        return [text], 100
    scale = math.floor(100 * width / (em * size))
    if scale >= layout.ORGAN_MIN_SCALE:
        return [text], scale
    lines = title_breaks.break_lines(text, width / (size * layout.ORGAN_MIN_SCALE / 100))
    widest = max(title_breaks.text_em(line) for line in lines)
    return lines, min(100, math.floor(100 * width / (widest * size)))


def _fit_organ(p, styles: ooxml.Styles, text_width: float) -> None:
    size = ooxml.font_size_pt(p, None, styles) or layout.ORGAN_SIZE.pt
    text = ooxml.paragraph_text(p).replace("\n", "")
    lines, scale = organ_layout(text, size, line_width_pt(p, styles, text_width))
    offsets, at = [], 0
    for line in lines[:-1]:
        at += len(line)
        offsets.append(at)
    for offset in reversed(offsets):
        insert_break(p, offset)
    if scale < 100:
        for r in ooxml.runs(p):
            r_pr = r.get_or_add_rPr()
            for old in r_pr.findall(qn("w:w")):
                r_pr.remove(old)
            layout.rpr_child(r_pr, "w").set(qn("w:val"), str(scale))


# --- signature and date ---------------------------------------------------------------------------


def _keep_closing_together(body, styles: ooxml.Styles) -> None:
    signatures = [p for p in body.findall(qn("w:p")) if ooxml.paragraph_style_id(p, styles) == SIGNATURE]
    if not signatures:
        return
    date = signatures[-1].getnext()
    if date is not None and ooxml.paragraph_style_id(date, styles) == DATE:
        note = date.getnext()
        if note is not None and note.tag == qn("w:p") and ooxml.paragraph_style_id(note, styles) == NOTE:
            layout.keep_with_next(date)  # the 附注 on the date's page
    block = signatures[-1].getprevious()
    while block is not None:
        if block.tag == qn("w:tbl"):
            rows = block.findall(qn("w:tr"))
            if rows:
                layout.keep_row_with_next(rows[-1])
            return
        if block.tag == qn("w:p"):
            layout.keep_with_next(block)
            # An empty line, a picture (the QR code under "scan the code below") or the attachment
            # note is not the body's last text: the paragraph before it is kept with it too.
            words = ooxml.paragraph_text(block).strip()
            if words and ooxml.paragraph_style_id(block, styles) != ATTACHMENT_NOTE:
                return
        block = block.getprevious()
