"""Reading a generated .docx back the way Word would: effective fonts, all text, borders.

Text is read as a reader sees it: without the zero-width trace marks each download hides in the
body (``xuncha.documents.trace``), which differ from one download to the next, and a title as one
phrase (the renderer breaks a long title into lines between words, ``documents.typeset``). Tests
of the marks themselves read ``paragraph.text`` directly.
"""

from __future__ import annotations

import io

from docx import Document
from docx.document import Document as DocxDocument
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph

from xuncha.documents.trace import strip_fingerprints


def open_docx(data: bytes) -> DocxDocument:
    return Document(io.BytesIO(data))


TITLE_STYLES = ("公文标题", "公文发文机关标志")  # broken into lines by the renderer


def read(paragraph: Paragraph) -> str:
    """A paragraph's text as read: no trace marks, a title's line breaks joined up."""
    text = strip_fingerprints(paragraph.text)
    if paragraph.style is not None and paragraph.style.name in TITLE_STYLES:
        text = text.replace("\n", "")
    return text


def body_text(document: DocxDocument) -> str:
    return "\n".join(read(p) for p in document.paragraphs)


def footer_text(document: DocxDocument) -> str:
    footers = []
    for section in document.sections:
        footers += [section.footer, section.even_page_footer]
    return "\n".join(p.text for footer in footers for p in footer.paragraphs)


def _style_chain(paragraph: Paragraph):
    style = paragraph.style
    while style is not None:
        yield style
        style = style.base_style


def east_asian_font(paragraph: Paragraph) -> str | None:
    """The East-Asian font a paragraph's text shows in: the run's own, else its style chain's."""
    for run in paragraph.runs:
        fonts = run._element.rPr.rFonts if run._element.rPr is not None else None
        if fonts is not None and fonts.get(qn("w:eastAsia")):
            return fonts.get(qn("w:eastAsia"))
    for style in _style_chain(paragraph):
        r_pr = style.element.rPr
        if r_pr is not None and r_pr.rFonts is not None and r_pr.rFonts.get(qn("w:eastAsia")):
            return r_pr.rFonts.get(qn("w:eastAsia"))
    return None


def font_size_pt(paragraph: Paragraph) -> float | None:
    for run in paragraph.runs:
        if run.font.size is not None:
            return run.font.size.pt
    for style in _style_chain(paragraph):
        if style.font.size is not None:
            return style.font.size.pt
    return None


def font_color(paragraph: Paragraph) -> str | None:
    for style in _style_chain(paragraph):
        if style.font.color is not None and style.font.color.rgb is not None:
            return str(style.font.color.rgb)
    return None


def bottom_border_color(paragraph: Paragraph) -> str | None:
    for owner in (paragraph._p, *(style.element for style in _style_chain(paragraph))):
        p_pr = owner.pPr
        if p_pr is None:
            continue
        bottom = p_pr.find(f"{qn('w:pBdr')}/{qn('w:bottom')}")
        if bottom is not None:
            return bottom.get(qn("w:color"))
    return None


def paragraph_with(document: DocxDocument, text: str) -> Paragraph:
    return next(p for p in document.paragraphs if text in read(p))


def body_paragraph(document: DocxDocument) -> Paragraph:
    """The first paragraph of running text (Normal style, long enough to be prose)."""
    return next(p for p in document.paragraphs if p.style.name == "Normal" and len(p.text) > 20)
