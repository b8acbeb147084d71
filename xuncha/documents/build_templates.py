"""Build the default Word templates in ``templates_docx/``.

What each template says is written by the domain that issues the kind (its ``documents``
module registers a builder, see registry.py); this script gives every one the same page, styles,
properties and ZIP. Run ``.venv/bin/python -m xuncha.documents.build_templates`` after changing a
builder or layout.py, and commit both. The output is byte-for-byte reproducible (fixed dates inside and
in the ZIP), so a test can check that the committed files are what this script makes.

The templates are docxtpl templates: ``{{ name }}`` prints a context value, ``{%p for … %}`` /
``{%p if … %}`` in a paragraph of their own repeat or drop paragraphs. An office can open them in
Word, reword them and upload the result as its own template (see services/templates.py).
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import datetime
from pathlib import Path

from django.utils import translation
from docx import Document

from xuncha.documents import layout, registry
from xuncha.documents.kinds import DEFAULTS_DIR, SPECS, DocumentKind

FIXED_TIME = datetime(2026, 1, 1)


def build(kind: str) -> bytes:
    write = registry.builder(kind)  # before any work: an unregistered kind fails with its name
    doc = Document()
    layout.page_setup(doc)
    layout.define_styles(doc)
    layout.page_numbers(doc)
    with translation.override("zh-hans"):
        doc.core_properties.title = str(DocumentKind(kind).label)
    doc.core_properties.author = "Xuncha"
    doc.core_properties.created = doc.core_properties.modified = FIXED_TIME
    doc.core_properties.last_modified_by = "Xuncha"
    doc.core_properties.revision = 1
    write(doc)
    buffer = io.BytesIO()
    doc.save(buffer)
    return _finish(buffer.getvalue())


_FONT_ENTRY = (
    '<w:font w:name="{name}"><w:altName w:val="{alt}"/><w:charset w:val="86"/>'
    '<w:family w:val="auto"/><w:pitch w:val="variable"/></w:font>'
)


def _finish(data: bytes) -> bytes:
    """Rewrite the ZIP: fonts with fallbacks, no python-docx sample thumbnail, fixed timestamps."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename == "docProps/thumbnail.jpeg":
                continue
            body = source.read(info.filename)
            if info.filename == "_rels/.rels":
                body = re.sub(rb"<Relationship [^>]*thumbnail[^>]*/>", b"", body)
            elif info.filename == "word/fontTable.xml":
                entries = "".join(_FONT_ENTRY.format(name=n, alt=a) for n, a in layout.FONT_FALLBACKS.items())
                body = body.replace(b"</w:fonts>", entries.encode() + b"</w:fonts>")
            target.writestr(
                zipfile.ZipInfo(info.filename, date_time=FIXED_TIME.timetuple()[:6]),
                body,
                compress_type=zipfile.ZIP_DEFLATED,
            )
    return out.getvalue()


def main(out_dir: Path = DEFAULTS_DIR) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for kind, spec in SPECS.items():
        path = out_dir / spec.default_file
        path.write_bytes(build(kind))
        written.append(path)
    return written


if __name__ == "__main__":
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    django.setup()  # the kinds' labels are translatable; the domains register their builders
    for path in main():
        print(path)
