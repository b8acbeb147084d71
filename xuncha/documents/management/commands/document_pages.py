"""Pictures of every kind of document as officials get it: page 1 and the last page, from the PDF.

``make document-pages`` (or ``manage.py document_pages [--out docs/documents]``) renders each kind's
default template with its sample context (the made-up data an uploaded template is checked with,
registry.py), stamps it as a download is stamped (trace line, copy number), converts all of them to
PDF in one LibreOffice run (pdf.py) and turns page 1 and the last page into PNG with ``pdftoppm``
(Debian ``poppler-utils``). ``docs/documents/README.md`` lists them with the GB/T 9704 checker's
verdict on each file, so a reviewer sees at a glance what the committee and the units hold in their
hands, and whether a change to a template or to layout.py moved anything.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from datetime import datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from pypdf import PdfReader

from xuncha.documents import conformance, pdf, registry, trace, trace_files
from xuncha.documents.kinds import SPECS
from xuncha.documents.rendering import render_docx

DEFAULT_OUT = Path(settings.BASE_DIR) / "docs" / "documents"
# 60 dpi: an A4 page is 496 × 702 pixels, enough to judge the layout, small enough to commit.
DPI = 60
SAMPLE_TIME = datetime(2026, 1, 1, 9, 0)


class Command(BaseCommand):
    help = "Render every kind of document to PDF and save page 1 and the last page as PNG (docs/documents/)."

    def add_arguments(self, parser):
        parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="where the pictures go")

    def handle(self, *args: Any, out: Path, **options: Any) -> None:
        if not pdf.available():
            raise CommandError("需要 LibreOffice（libreoffice-writer-nogui），见 docs/deploy.md §17。")
        if shutil.which("pdftoppm") is None:
            raise CommandError("需要 pdftoppm（apt-get install poppler-utils）。")
        kinds = sorted(SPECS)
        with translation.override(settings.LANGUAGE_CODE):
            files = [_handed_over(kind) for kind in kinds]
        pdfs = pdf.docx_files_to_pdf(files, timeout=600)
        out.mkdir(parents=True, exist_ok=True)
        rows = []
        with tempfile.TemporaryDirectory() as work:
            for kind, docx, data in zip(kinds, files, pdfs, strict=True):
                source = Path(work) / f"{kind}.pdf"
                source.write_bytes(data)
                pages = len(PdfReader(source).pages)
                names = [_page_png(source, 1, out / f"{kind}-1.png")]
                if pages > 1:
                    names.append(_page_png(source, pages, out / f"{kind}-{pages}.png"))
                for stale in out.glob(f"{kind}-*.png"):
                    if stale.name not in names:
                        stale.unlink()
                report = conformance.check(docx, kind=kind)
                rows.append((kind, pages, names, report))
                verdict = "符合" if report.ok else "不符合"
                self.stdout.write(f"{SPECS[kind].kind.label}: {pages} 页，{verdict} GB/T 9704")
        (out / "README.md").write_text(_index(rows), encoding="utf-8")
        self.stdout.write(self.style.SUCCESS(f"已生成 {len(rows)} 类文书的页面图片：{out}"))


def _handed_over(kind: str) -> bytes:
    data = render_docx(SPECS[kind].default_path, registry.sample_context(kind))
    # A fixed code and time: the pictures change only when the documents do.
    code = f"{trace.PREFIX}-SAMP-LE22"
    line = trace.trace_line("示例收件人", SAMPLE_TIME, code, confidential=SPECS[kind].confidential)
    return trace_files.stamp(data, line=line, code=code, copy_no="000001")


def _page_png(source: Path, page: int, target: Path) -> str:
    stem = target.with_suffix("")
    command = ["pdftoppm", "-png", "-r", str(DPI), "-f", str(page), "-l", str(page), "-singlefile"]
    subprocess.run([*command, str(source), str(stem)], check=True, timeout=120)  # noqa: S603 (our files)
    return target.name


def _index(rows: list[tuple[str, int, list[str], Any]]) -> str:
    lines = [
        "# 文书样张（每类文书的第1页和最后一页）",
        "",
        "由 `make document-pages` 生成：默认模板 + 示例数据（registry 的 sample），按下载时的样子加印",
        "追溯行和份号，经 LibreOffice 转为 PDF 后取页面图片。字体为服务器上的替代字体（docs/deploy.md §17）；",
        "装有方正小标宋简体、仿宋_GB2312 等字体的机器上字形更接近正式公文。",
        "",
        "| 文书 | 页数 | GB/T 9704 检查 | 第1页 | 最后一页 |",
        "|---|---|---|---|---|",
    ]
    for kind, pages, names, report in rows:
        verdict = "符合" if report.ok else "；".join(f"{f.rule} {f.message}" for f in report.faults[:3])
        first = f"![]({names[0]})"
        last = f"![]({names[1]})" if len(names) > 1 else "（同第1页）"
        lines.append(f"| {SPECS[kind].kind.label} | {pages} | {verdict} | {first} | {last} |")
    return "\n".join(lines) + "\n"
