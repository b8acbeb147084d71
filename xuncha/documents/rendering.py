"""Rendering a Word template: docxtpl in the sandbox.

``render_docx`` knows nothing about rounds or teams: it takes plain data (contexts.py builds it)
and returns the bytes of the finished .docx, without any trace: what is stored stays as it was
generated, and each hand-over is stamped for its recipient (``trace_files``).
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from dataclasses import dataclass
from os import PathLike
from typing import IO, Any

import qrcode
from docx.shared import Mm
from docxtpl import DocxTemplate, InlineImage

from xuncha.documents.sandbox import document_env

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


def render_docx(template_path: TemplateSource, context: Mapping[str, Any], *, strict: bool = False) -> bytes:
    """Render ``template_path`` with ``context`` (plain data).

    Raises ``jinja2.TemplateError`` (``SecurityError`` for a sandbox escape attempt) when the
    template is bad; ``strict`` also refuses names missing from the context (upload checks).
    """
    tpl = DocxTemplate(template_path)
    tpl.render(_bind(tpl, context), jinja_env=document_env(strict=strict), autoescape=True)
    rendered = io.BytesIO()
    # A trace is stamped later on a fresh load of these bytes: docxtpl swaps in new header/footer
    # parts behind python-docx's cached relationships, so edits through ``tpl.docx`` would miss them.
    tpl.save(rendered)
    return rendered.getvalue()
