"""``make document-pages``: every kind's first and last page as pictures, with the checker's verdict."""

from __future__ import annotations

import os
import shutil
from io import StringIO

import pytest
from django.core.management import call_command

from xuncha.documents import pdf
from xuncha.documents.kinds import SPECS

needs_tools = pytest.mark.skipif(
    not os.environ.get("CI") and (not pdf.available() or shutil.which("pdftoppm") is None),
    reason="LibreOffice or pdftoppm missing (scripts/system-deps.sh installs them; CI must not skip)",
)


@needs_tools
def test_every_kind_gets_its_pages_and_passes_the_checker(tmp_path):
    out = StringIO()
    call_command("document_pages", out=tmp_path, stdout=out)
    index = (tmp_path / "README.md").read_text(encoding="utf-8")
    for kind, spec in SPECS.items():
        pictures = sorted(tmp_path.glob(f"{kind}-*.png"))
        assert pictures and pictures[0].name == f"{kind}-1.png", kind
        assert all(p.read_bytes().startswith(b"\x89PNG") and p.stat().st_size > 5_000 for p in pictures)
        assert f"| {spec.kind.label} |" in index
    assert "不符合" not in out.getvalue()
    assert index.count("| 符合 |") == len(SPECS)
