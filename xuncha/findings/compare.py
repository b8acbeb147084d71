"""What changed between two versions of a report: part by part, problem by problem, paragraph by
paragraph (difflib; inside a changed paragraph, character by character, as Chinese text is read).

Plain data for the page: every piece of text is a ``(op, text)`` segment, op one of "equal",
"insert", "delete"; the template marks them with <ins>/<del> and escapes the text like any other.
A version's content is its snapshot, or for a version kept before snapshots were, what its Word
file says (``documents/content.py``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import Any

from django.utils.translation import gettext as _

from xuncha.files.storage import open_stored
from xuncha.findings.documents.content import UnreadableDocument, snapshot_of_upload, split_paragraphs
from xuncha.findings.models import InspectionReport, ReportVersion, sections_of

Segments = list[tuple[str, str]]

# Equal runs this short between two changes are shown inside the change ("3.2" → "2.8", not
# "3" → "2", ".", "2" → "8").
_SHORT_EQUAL = 2
# Past this many character pairs a changed paragraph is shown as removed and inserted whole.
_MAX_CELLS = 4_000_000
# Equal paragraphs kept around a change; longer runs of unchanged text fold into one row.
_CONTEXT = 1
# Two paragraphs (or problems) this alike are one changed, not one removed and one added.
_ALIKE = 0.5


@dataclass(frozen=True)
class Row:
    kind: str  # equal | insert | delete | change | skip (``count`` unchanged paragraphs folded)
    segments: Segments = field(default_factory=list)
    count: int = 0


@dataclass(frozen=True)
class SectionDiff:
    key: str
    title: str
    changed: bool
    rows: list[Row]


@dataclass(frozen=True)
class ProblemDiff:
    status: str  # added | removed | changed | same
    old_number: int | None
    new_number: int | None
    title: str
    title_segments: Segments
    text: Segments


@dataclass
class Comparison:
    old: ReportVersion
    new: ReportVersion
    sections: list[SectionDiff]
    problems: list[ProblemDiff]
    paragraphs: list[Row]
    summary: dict[str, int]
    notes: list[str]


def version_content(report: InspectionReport, version: ReportVersion) -> dict[str, Any]:
    """sections / problems / paragraphs of ``version``: its snapshot, else read from its file."""
    snapshot = version.snapshot or {}
    if "paragraphs" in snapshot:
        return {
            "sections": snapshot.get("sections", {}),
            "problems": snapshot.get("problems", []),
            "paragraphs": snapshot["paragraphs"],
        }
    try:
        with open_stored(version.file) as fh:
            return snapshot_of_upload(report.kind, fh.read())
    except (OSError, UnreadableDocument):  # gone from storage, or not a Word file after all
        return {"sections": {}, "problems": [], "paragraphs": [], "unreadable": True}


def inline(old: str, new: str) -> Segments:
    """Character diff of two texts, short equal runs between changes folded into the change."""
    if old == new:
        return [("equal", old)] if old else []
    if len(old) * len(new) > _MAX_CELLS:
        return [s for s in (("delete", old), ("insert", new)) if s[1]]
    matcher = SequenceMatcher(None, old, new, autojunk=False)
    out: Segments = []
    removed, added = "", ""

    def flush() -> None:
        nonlocal removed, added
        if removed:
            out.append(("delete", removed))
        if added:
            out.append(("insert", added))
        removed, added = "", ""

    opcodes = matcher.get_opcodes()
    for n, (tag, i1, i2, j1, j2) in enumerate(opcodes):
        if tag == "equal":
            between = 0 < n < len(opcodes) - 1
            if between and i2 - i1 <= _SHORT_EQUAL and (removed or added):
                removed += old[i1:i2]
                added += new[j1:j2]
                continue
            flush()
            out.append(("equal", old[i1:i2]))
        else:
            removed += old[i1:i2]
            added += new[j1:j2]
    flush()
    return out


def _ratio(a: str, b: str) -> float:
    return SequenceMatcher(None, a, b, autojunk=False).ratio()


def paragraph_rows(old: list[str], new: list[str], *, fold: bool = True) -> list[Row]:
    """Paragraph by paragraph; a replaced paragraph like its old self is one changed row."""
    rows: list[Row] = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if tag == "equal":
            rows += [Row("equal", [("equal", p)]) for p in old[i1:i2]]
            continue
        olds, news = old[i1:i2], new[j1:j2]
        for k in range(max(len(olds), len(news))):
            a = olds[k] if k < len(olds) else None
            b = news[k] if k < len(news) else None
            if a is not None and b is not None and _ratio(a, b) >= _ALIKE:
                rows.append(Row("change", inline(a, b)))
                continue
            if a is not None:
                rows.append(Row("delete", [("delete", a)]))
            if b is not None:
                rows.append(Row("insert", [("insert", b)]))
    return _folded(rows) if fold else rows


def _folded(rows: list[Row]) -> list[Row]:
    """Runs of unchanged paragraphs folded to one row, keeping ``_CONTEXT`` around each change."""
    keep = [row.kind != "equal" for row in rows]
    for i, row in enumerate(rows):
        if row.kind != "equal":
            for j in range(max(0, i - _CONTEXT), min(len(rows), i + _CONTEXT + 1)):
                keep[j] = True
    out: list[Row] = []
    skipped = 0
    for row, kept in zip(rows, keep, strict=True):
        if kept:
            if skipped:
                out.append(Row("skip", count=skipped))
                skipped = 0
            out.append(row)
        else:
            skipped += 1
    if skipped:
        out.append(Row("skip", count=skipped))
    return out


def _whole(problem: dict[str, Any]) -> str:
    return f"{problem.get('title', '')}。{problem.get('text', '')}"


def _pairs(old: list[dict[str, Any]], new: list[dict[str, Any]]) -> list[tuple[dict | None, dict | None]]:
    """Problems matched by title, then the rest by likeness (title and text); the others added or removed."""
    pairs: list[tuple[dict | None, dict | None]] = []
    left = list(old)
    right = list(new)
    for b in list(right):
        a = next((p for p in left if p.get("title") == b.get("title")), None)
        if a is not None:
            pairs.append((a, b))
            left.remove(a)
            right.remove(b)
    scored = sorted(
        ((_ratio(_whole(a), _whole(b)), i, j) for i, a in enumerate(left) for j, b in enumerate(right)),
        key=lambda t: -t[0],
    )
    used_a: set[int] = set()
    used_b: set[int] = set()
    for score, i, j in scored:
        if score < _ALIKE or i in used_a or j in used_b:
            continue
        used_a.add(i)
        used_b.add(j)
        pairs.append((left[i], right[j]))
    pairs += [(a, None) for i, a in enumerate(left) if i not in used_a]
    pairs += [(None, b) for j, b in enumerate(right) if j not in used_b]

    def order(pair: tuple[dict | None, dict | None]) -> tuple[int, int]:
        a, b = pair
        return (b or {}).get("number") or 10_000, (a or {}).get("number") or 10_000

    return sorted(pairs, key=order)


def problem_rows(old: list[dict[str, Any]], new: list[dict[str, Any]]) -> list[ProblemDiff]:
    rows = []
    for a, b in _pairs(old, new):
        if a is None and b is not None:
            rows.append(
                ProblemDiff(
                    "added", None, b.get("number"), b["title"], [("insert", b["title"])], [("insert", b["text"])]
                )
            )
        elif b is None and a is not None:
            rows.append(
                ProblemDiff(
                    "removed", a.get("number"), None, a["title"], [("delete", a["title"])], [("delete", a["text"])]
                )
            )
        elif a is not None and b is not None:
            same = a["title"] == b["title"] and a["text"] == b["text"]
            rows.append(
                ProblemDiff(
                    "same" if same else "changed",
                    a.get("number"),
                    b.get("number"),
                    b["title"],
                    inline(a["title"], b["title"]),
                    inline(a["text"], b["text"]),
                )
            )
    return rows


def compare_versions(report: InspectionReport, old: ReportVersion, new: ReportVersion) -> Comparison:
    before, after = version_content(report, old), version_content(report, new)
    notes = [
        _("第%(n)s稿的文件无法读取，只能显示另一稿的内容。") % {"n": v.number}
        for v, content in ((old, before), (new, after))
        if content.get("unreadable")
    ]
    sections = []
    for section in sections_of(report.kind):
        a = split_paragraphs(before["sections"].get(section.key, ""))
        b = split_paragraphs(after["sections"].get(section.key, ""))
        sections.append(SectionDiff(section.key, str(section.title), a != b, paragraph_rows(a, b, fold=False)))
    problems = problem_rows(before["problems"], after["problems"])
    summary = {status: sum(1 for row in problems if row.status == status) for status in ("added", "removed", "changed")}
    summary["sections"] = sum(1 for s in sections if s.changed)
    return Comparison(
        old=old,
        new=new,
        sections=sections,
        problems=problems,
        paragraphs=paragraph_rows(before["paragraphs"], after["paragraphs"]),
        summary=summary,
        notes=notes,
    )
