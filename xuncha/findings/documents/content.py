"""What a report version says, read back from its Word file: paragraphs, written parts, problems.

A generated version is snapshotted from what it was made of (the written parts, the problems in
the context) and its paragraphs; a version the team uploads, or one kept before snapshots existed,
is read from its paragraphs here: the written parts are the paragraphs under their first-level
headings ("一、基本情况和总体评价"), the problems the numbered paragraphs "1. title。text" under the
problems heading (a clue report: the "（一）title" blocks). The hash of the paragraphs, with the
date of signing left out, is what "the same content" means for a new version.
"""

from __future__ import annotations

import hashlib
import io
import re
from typing import Any

from django.utils.translation import gettext as _
from docx import Document
from docx.table import Table

from xuncha.documents.trace import strip_fingerprints
from xuncha.findings.models.sections import sections_of

_DATE_ONLY = re.compile(r"^\d{4}年\d{1,2}月\d{1,2}日$")
# The copy number (份号) at the top of a classified document: its placeholder in the stored file, a
# number on each downloaded copy. Which copy it is, not what it says.
_COPY_NO = re.compile(r"^(?:\d{6}|×{6})$")
_HEAD = 3  # the copy number is on the first line, before the secrecy mark and the organ
_HEADING = re.compile(r"^[一二三四五六七八九十]+、\s*(.+)$")
_PROBLEM = re.compile(r"^(\d+)\s*[.．、]\s*(.+?)。(.*)$")
_CLUE = re.compile(r"^（[一二三四五六七八九十]+）\s*(.+)$")
_CLUE_END = "以上线索"
# What the system writes under the "other matters" heading itself (the count of clues).
_SYSTEM_LINES = (re.compile(r"^巡察发现涉及领导干部的问题线索\d+件，另行专题报告。$"),)
_SPACE = re.compile(r"\s+")


class UnreadableDocument(ValueError):
    """The file could not be read as a Word document."""


def split_paragraphs(text: str) -> list[str]:
    """What the team wrote, as the document's paragraphs: split on blank lines, single line breaks
    joined (a line wrapped while typing), the leading full-width indent dropped (the style has it)."""
    out = []
    for block in re.split(r"\n\s*\n", (text or "").replace("\r\n", "\n").replace("\r", "\n")):
        joined = "".join(line.strip() for line in block.split("\n"))
        if joined:
            out.append(joined)
    return out


def _clean(text: str) -> str:
    return _SPACE.sub(" ", strip_fingerprints(text)).strip()


def paragraphs_of(data: bytes) -> list[str]:
    """The non-empty paragraphs of the body, tables' cells included, in order (the invisible
    trace marks and the copy number of a downloaded copy removed, runs of white space made one)."""
    try:
        document = Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises many kinds for a damaged file
        raise UnreadableDocument(str(exc)) from exc
    out: list[str] = []
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            seen: set[int] = set()
            for row in block.rows:
                for cell in row.cells:
                    if id(cell._tc) in seen:  # a merged cell is met once per grid column
                        continue
                    seen.add(id(cell._tc))
                    out += [t for t in (_clean(p.text) for p in cell.paragraphs) if t]
        else:
            text = _clean(block.text)
            if text and not (len(out) < _HEAD and _COPY_NO.match(text)):
                out.append(text)
    return out


def content_hash(paragraphs: list[str]) -> str:
    """sha256 of the paragraphs, the date of signing left out (regenerating the next day with the
    same content is the same content)."""
    kept = [p for p in paragraphs if not _DATE_ONLY.match(p)]
    return hashlib.sha256("\n".join(kept).encode("utf-8")).hexdigest()


def _blocks(paragraphs: list[str]) -> list[tuple[str, int, int]]:
    """(heading text, first index, end index) of each first-level part."""
    heads = [(i, m.group(1).strip()) for i, p in enumerate(paragraphs) if (m := _HEADING.match(p))]
    out = []
    for n, (i, title) in enumerate(heads):
        end = heads[n + 1][0] if n + 1 < len(heads) else _end_of_body(paragraphs, i + 1)
        out.append((title, i + 1, end))
    return out


def _end_of_body(paragraphs: list[str], start: int) -> int:
    """Where the last part ends: before the signer and the date (the short line without a full
    stop just above the first date-only line), or at the end."""
    for i in range(start, len(paragraphs)):
        if _DATE_ONLY.match(paragraphs[i]):
            before = i - 1
            if before >= start and len(paragraphs[before]) <= 30 and not paragraphs[before].endswith("。"):
                return before
            return i
    return len(paragraphs)


def _numbered(paragraphs: list[str]) -> list[dict[str, Any]]:
    out = []
    for p in paragraphs:
        m = _PROBLEM.match(p)
        if m:
            out.append({"number": int(m.group(1)), "title": m.group(2).strip(), "text": m.group(3).strip()})
    return out


def _clues(paragraphs: list[str]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    current: dict[str, Any] | None = None
    for p in paragraphs:
        if p.startswith(_CLUE_END):
            break
        m = _CLUE.match(p)
        if m:
            current = {"number": len(out) + 1, "title": m.group(1).strip(), "lines": []}
            out.append(current)
        elif current is not None:
            current["lines"].append(p)
    return [{"number": c["number"], "title": c["title"], "text": "\n".join(c["lines"])} for c in out]


def structure_of(kind: str, paragraphs: list[str]) -> dict[str, Any]:
    """The written parts and the problems a document of ``kind`` shows, read from its paragraphs."""
    blocks = _blocks(paragraphs)
    sections: dict[str, str] = {}
    for section in sections_of(kind):
        title = str(section.title)
        body = next((paragraphs[a:b] for t, a, b in blocks if t == title), [])
        if section.key == "other":
            body = [p for p in body if not any(r.match(p) for r in _SYSTEM_LINES)]
        sections[section.key] = "\n\n".join(body)
    if kind == "clue":
        problems = _clues(paragraphs)
    else:
        body = next((paragraphs[a:b] for t, a, b in blocks if "主要问题" in t), paragraphs)
        problems = _numbered(body)
    return {"sections": sections, "problems": problems}


def snapshot_of_upload(kind: str, data: bytes) -> dict[str, Any]:
    paragraphs = paragraphs_of(data)
    return {**structure_of(kind, paragraphs), "paragraphs": paragraphs}


def problems_of_context(kind: str, context: dict[str, Any]) -> list[dict[str, Any]]:
    """The problems a generated document lists, as numbered in it."""
    if kind == "clue":
        return [
            {
                "number": n,
                "title": c["title"],
                "text": "\n".join(
                    [
                        _("涉及人员：%(people)s。") % {"people": c["people"]},
                        _("主要问题：%(text)s") % {"text": c["description"]},
                    ]
                ),
            }
            for n, c in enumerate(context.get("clues", []), start=1)
        ]
    return [
        {"number": p["index"], "title": p["title"], "text": p["description"]}
        for group in context.get("groups", [])
        for p in group["problems"]
    ]
