"""Rendering a Word template: docxtpl in the sandbox, then the recipient's trace in every footer.

``render_docx`` knows nothing about rounds or teams: it takes plain data (contexts.py builds it)
and returns the bytes of the finished .docx.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from os import PathLike
from typing import IO, Any

import qrcode
from django.utils import timezone
from django.utils.translation import gettext as _
from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docxtpl import DocxTemplate, InlineImage

from xuncha.documents.sandbox import document_env

TemplateSource = str | PathLike[str] | IO[bytes]

TRACE_FONT = "仿宋_GB2312"


@dataclass(frozen=True)
class Image:
    """A picture for the context, as plain data; bound to the template only while rendering."""

    png: bytes
    width_mm: float


def qr_image(url: str, *, width_mm: float = 30) -> Image:
    # Error correction M survives a crease or a smudge on a printed notice; box size only sets
    # the pixel resolution, the printed size comes from width_mm.
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=10, border=2)
    code.add_data(url)
    code.make(fit=True)
    buffer = io.BytesIO()
    code.make_image().save(buffer, format="PNG")
    return Image(png=buffer.getvalue(), width_mm=width_mm)


def _bind(tpl: DocxTemplate, value: Any) -> Any:
    if isinstance(value, Image):
        return InlineImage(tpl, io.BytesIO(value.png), width=Mm(value.width_mm))
    if isinstance(value, Mapping):
        return {key: _bind(tpl, item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_bind(tpl, item) for item in value]
    return value


def trace_text(recipient: str, when: datetime, *, confidential: bool = True) -> str:
    local = timezone.localtime(when) if timezone.is_aware(when) else when
    stamp = f"{local:%Y-%m-%d %H:%M}"
    if confidential:
        return _("本件由 %(name)s 于 %(time)s 导出 · 注意保密") % {"name": recipient, "time": stamp}
    return _("本件由 %(name)s 于 %(time)s 导出") % {"name": recipient, "time": stamp}


def _footers(document: DocxDocument) -> list:
    """Every footer a page can show. The first section always gets one (a template without a
    footer still carries the trace); later sections only where they define their own, since a
    linked footer is the previous section's and already stamped."""
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


def stamp_trace(document: DocxDocument, text: str) -> None:
    """Add ``text`` as the last line of every footer, and to the file's properties.

    Added in code, after the template has rendered, so a replacement template cannot leave it out.
    """
    for footer in _footers(document):
        paragraph = footer.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        fmt = paragraph.paragraph_format
        # Direct formatting: the footer style of an uploaded template may have any indent or spacing.
        fmt.first_line_indent, fmt.left_indent, fmt.right_indent = Pt(0), Pt(0), Pt(0)
        fmt.space_before, fmt.space_after, fmt.line_spacing = Pt(0), Pt(0), 1.0
        run = paragraph.add_run(text)
        run.font.size = Pt(9)
        run.font.color.rgb = RGBColor(0x59, 0x59, 0x59)
        run.font.name = TRACE_FONT
        run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), TRACE_FONT)
    document.core_properties.comments = text


def render_docx(
    template_path: TemplateSource,
    context: Mapping[str, Any],
    *,
    recipient: str,
    when: datetime,
    confidential: bool = True,
    strict: bool = False,
) -> bytes:
    """Render ``template_path`` with ``context`` (plain data) for ``recipient`` at ``when``.

    Raises ``jinja2.TemplateError`` (``SecurityError`` for a sandbox escape attempt) when the
    template is bad; ``strict`` also refuses names missing from the context (upload checks).
    """
    tpl = DocxTemplate(template_path)
    tpl.render(_bind(tpl, context), jinja_env=document_env(strict=strict), autoescape=True)
    rendered = io.BytesIO()
    tpl.save(rendered)
    # Stamped on a fresh load of the result: docxtpl swaps in new header/footer parts behind
    # python-docx's cached relationships, so edits through ``tpl.docx`` would miss them.
    rendered.seek(0)
    document = Document(rendered)
    stamp_trace(document, trace_text(recipient, when, confidential=confidential))
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
