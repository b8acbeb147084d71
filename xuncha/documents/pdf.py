"""Word → PDF (版式文件, for the archive) with LibreOffice, in the worker.

``docx_to_pdf`` runs ``soffice --headless --convert-to pdf`` on the bytes of a .docx and returns the
PDF's bytes; ``docx_files_to_pdf`` converts several in one LibreOffice start (a start is most of the
time of a small document). Every call gets a private temporary directory with its own LibreOffice
profile (``-env:UserInstallation``), so conversions running side by side (several workers, a test
and the worker) never share a profile and its lock. The process runs in its own process group and
the whole group is killed when it overruns ``timeout``.

The fonts of 公文 (方正小标宋简体, 仿宋_GB2312, 楷体_GB2312, 黑体) are licensed and rarely on a
server: ``pdf_fonts.conf`` (passed as ``FONTCONFIG_FILE``) points each to the nearest free font
where it is missing, and leaves an installed licensed font alone (docs/deploy.md §17).

The PDF is made from a file already stamped for its recipient (``services.handover``), so it
carries the trace line in its footer and the marks in its text.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

from xuncha.common.exceptions import ServiceError

logger = logging.getLogger(__name__)

PDF_CONTENT_TYPE = "application/pdf"
# A 公文 of a few pages converts in 1–3 s, most of it LibreOffice starting; a long report in
# seconds more. A conversion still running after this is stuck (a damaged file, a full disk).
DEFAULT_TIMEOUT = 120
FONTS_CONF = Path(__file__).resolve().parent / "pdf_fonts.conf"
# writer_pdf_Export with PDF/A-2b (SelectPdfVersion 2): fonts embedded, no external content, the
# form archives keep; tagged, so the text stays in reading order for search and screen readers.
_FILTER = (
    'pdf:writer_pdf_Export:{"SelectPdfVersion":{"type":"long","value":"2"},'
    '"UseTaggedPDF":{"type":"boolean","value":"true"}}'
)


class PdfUnavailable(ServiceError):
    """LibreOffice is not installed (or not where the settings say): nothing can be converted."""


class PdfFailed(ServiceError):
    """LibreOffice ran and produced no PDF, or overran its time."""


def soffice_path() -> str | None:
    """The LibreOffice program: ``XUNCHA_SOFFICE`` if set, else ``soffice`` / ``libreoffice`` on PATH."""
    configured = getattr(settings, "XUNCHA_SOFFICE", "")
    if configured:
        return configured if os.access(configured, os.X_OK) else None
    return shutil.which("soffice") or shutil.which("libreoffice")


def available() -> bool:
    return soffice_path() is not None


def docx_to_pdf(data: bytes, *, timeout: float = DEFAULT_TIMEOUT) -> bytes:
    """The PDF of the .docx ``data``; ``PdfUnavailable`` / ``PdfFailed`` (``ServiceError``s) otherwise."""
    return docx_files_to_pdf([data], timeout=timeout)[0]


def docx_files_to_pdf(files: Sequence[bytes], *, timeout: float = DEFAULT_TIMEOUT) -> list[bytes]:
    """The PDFs of several .docx files, in order, from one LibreOffice run (``timeout`` for all)."""
    program = soffice_path()
    if program is None:
        raise PdfUnavailable(
            _("服务器未安装 LibreOffice，无法生成 PDF 文件，请联系系统管理员。"), code="pdf_unavailable"
        )
    if not files:
        return []
    with tempfile.TemporaryDirectory(prefix="xuncha-pdf-") as tmp:
        work = Path(tmp)
        inputs, outdir, profile = work / "in", work / "out", work / "profile"
        for folder in (inputs, outdir, profile):
            folder.mkdir()
        paths = []
        for index, data in enumerate(files):
            path = inputs / f"{index:03d}.docx"
            path.write_bytes(data)
            paths.append(path)
        command = [
            program,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--invisible",
            "--nologo",
            "--nodefault",
            "--norestore",
            "--nolockcheck",
            "--convert-to",
            _FILTER,
            "--outdir",
            str(outdir),
            *map(str, paths),
        ]
        started = time.monotonic()
        _run(command, env=_environment(work), timeout=timeout)
        results = []
        for path in paths:
            pdf = outdir / f"{path.stem}.pdf"
            if not pdf.is_file() or pdf.stat().st_size == 0:
                logger.error("LibreOffice produced no PDF for %s (of %d files)", path.name, len(paths))
                raise PdfFailed(_("PDF 文件生成失败，请稍后重试；如仍失败请联系系统管理员。"), code="pdf_failed")
            results.append(pdf.read_bytes())
        logger.info("Converted %d file(s) to PDF in %.1f s", len(paths), time.monotonic() - started)
        return results


def _environment(work: Path) -> dict[str, str]:
    """The process's environment: a home and temporary directory of its own (the service user has no
    home, and LibreOffice writes into both), and the 公文 font aliases."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "XUNCHA_"))}
    env.update(HOME=str(work), TMPDIR=str(work), LC_ALL="C.UTF-8")
    env.setdefault("FONTCONFIG_FILE", str(FONTS_CONF))
    return env


def _run(command: list[str], *, env: dict[str, str], timeout: float) -> None:
    try:
        process = subprocess.Popen(  # noqa: S603 - a fixed program and our own temporary paths
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
            cwd=env["HOME"],
            start_new_session=True,  # its own process group, killed whole on a timeout
        )
    except OSError as exc:
        logger.error("LibreOffice could not be started: %s", exc)
        raise PdfUnavailable(
            _("服务器未安装 LibreOffice，无法生成 PDF 文件，请联系系统管理员。"), code="pdf_unavailable"
        ) from exc
    try:
        out, err = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill_group(process)
        logger.error("LibreOffice overran %s s and was stopped", timeout)
        raise PdfFailed(_("PDF 文件生成超时，请稍后重试；如仍失败请联系系统管理员。"), code="pdf_timeout") from None
    if process.returncode != 0:
        logger.error(
            "LibreOffice exited with %s: %s", process.returncode, (err or out).decode("utf-8", "replace")[-2000:]
        )
        raise PdfFailed(_("PDF 文件生成失败，请稍后重试；如仍失败请联系系统管理员。"), code="pdf_failed")


def _kill_group(process: subprocess.Popen) -> None:
    with contextlib.suppress(ProcessLookupError):  # the group ended on its own meanwhile
        os.killpg(process.pid, signal.SIGKILL)
    process.communicate()
