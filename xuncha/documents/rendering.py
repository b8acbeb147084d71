"""Rendering a Word template: docxtpl in the sandbox.

``render_docx`` knows nothing about rounds or teams: it takes plain data (contexts.py builds it)
and returns the bytes of the finished .docx, without any trace: what is stored stays as it was
generated, and each hand-over is stamped for its recipient (``trace_files``).
"""

from __future__ import annotations

import io
import re
from collections.abc import Mapping
from dataclasses import dataclass
from os import PathLike
from typing import IO, Any

import qrcode
from docx.oxml import parse_xml
from docx.shared import Mm
from docxtpl import DocxTemplate, InlineImage

from xuncha.documents.limits import LIMITS, RenderLimits
from xuncha.documents.sandbox import document_env
from xuncha.documents.typeset import typeset

TemplateSource = str | PathLike[str] | IO[bytes]


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


def render_docx(
    template_path: TemplateSource,
    context: Mapping[str, Any],
    *,
    strict: bool = False,
    limits: RenderLimits = LIMITS,
) -> bytes:
    """Render ``template_path`` with ``context`` (plain data), within ``limits`` (limits.py).

    Raises ``jinja2.TemplateError`` (``SecurityError`` for a sandbox escape attempt,
    ``RenderLimitExceeded`` for a limit) when the template is bad; ``strict`` also refuses names
    missing from the context (upload checks).
    """
    tpl = DocxTemplate(template_path)
    tpl.render(_bind(tpl, context), jinja_env=document_env(strict=strict, limits=limits), autoescape=True)
    rendered = io.BytesIO()
    # A trace is stamped later on a fresh load of these bytes: docxtpl swaps in new header/footer
    # parts behind python-docx's cached relationships, so edits through ``tpl.docx`` would miss them.
    tpl.save(rendered)
    return typeset(rendered.getvalue())  # title breaks, the organ's width, signature kept with the body


# --- the template's Jinja text, as docxtpl renders it (read without rendering: validation.py) -----


@dataclass(frozen=True)
class TemplateText:
    part: str  # "body", "header", "footer", "footnotes" or "properties.<name>"
    text: str


_PROPERTIES = ("author", "comments", "identifier", "language", "subject", "title")  # what docxtpl renders
_FOOTNOTES = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"


def load_template(template_path: TemplateSource) -> DocxTemplate:
    """Open a Word template (python-docx reads the package: a broken file fails here)."""
    tpl = DocxTemplate(template_path)
    tpl.init_docx()
    return tpl


def _as_rendered(tpl: DocxTemplate, xml: str) -> str:
    # What render_xml_part hands to Jinja: each paragraph starts a line, so a line is a paragraph.
    return re.sub(r"<w:p([ >])", r"\n<w:p\1", tpl.patch_xml(xml))


def template_sources(tpl: DocxTemplate) -> list[TemplateText]:
    """Every text docxtpl renders with Jinja, exactly as it renders it: the body, the headers and
    footers, the footnotes and the document properties."""
    texts = [TemplateText("body", _as_rendered(tpl, tpl.get_xml()))]
    for part_name, uri in (("header", tpl.HEADER_URI), ("footer", tpl.FOOTER_URI)):
        for _key, part in tpl.get_headers_footers(uri):
            texts.append(TemplateText(part_name, _as_rendered(tpl, tpl.xml_to_string(parse_xml(part.blob)))))
    for part in tpl.docx.part.package.parts:
        if part.content_type == _FOOTNOTES:
            blob = part.blob.decode("utf-8") if isinstance(part.blob, bytes) else part.blob
            texts.append(TemplateText("footnotes", _as_rendered(tpl, blob)))
    for name in _PROPERTIES:
        value = getattr(tpl.docx.core_properties, name)
        if value:
            texts.append(TemplateText(f"properties.{name}", value))
    return texts
