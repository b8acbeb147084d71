"""A run against the previous kept table of the same scale and database (issue 17): which pages got
slower or cost more queries, which are new, which are gone.

The kept tables are the Markdown files committed under ``bench/results/`` (the JSON beside them is
not kept), so the previous run is read back from its Markdown: the page table's first columns
(page, role, kind, queries, app median)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# A page is a regression when it is both this much slower and slower by more than the noise of a
# shared machine (a 2 ms page that takes 3 ms is not news), or when it costs more queries.
SLOWER_RATIO = 1.5
SLOWER_MS = 5.0
# Every page pays what the trivial page in the site's layout pays (session, user, sign-in checks):
# a query added there is added to every page and is counted once, on that row, not on each page.
FLOOR = "trivial (base template)"

_ROW = re.compile(
    r"^\| (?P<page>[^|]+?) \| (?P<role>[^|]+?) \| (?P<kind>[^|]+?) \| (?P<queries>\d+) \| (?P<median>[\d.]+) \|"
)


@dataclass(frozen=True)
class Row:
    key: str
    role: str
    kind: str
    queries: int
    median_ms: float


def previous_table(out_dir: Path, scale: int, vendor: str, today: str) -> Path | None:
    """The newest table of this scale and database written before today."""
    tables = sorted(p for p in out_dir.glob(f"*-s{scale}-{vendor}.md") if p.name[:10] < today)
    return tables[-1] if tables else None


def read_table(path: Path) -> dict[tuple[str, str], Row]:
    """The page rows of a kept table (the documents table below it has other columns)."""
    rows: dict[tuple[str, str], Row] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):  # the page table is the first; the documents table follows
            break
        match = _ROW.match(line)
        if match:
            row = Row(match["page"], match["role"], match["kind"], int(match["queries"]), float(match["median"]))
            rows[(row.key, row.role)] = row
    return rows


def changes(previous: dict[tuple[str, str], Row], current: list[dict[str, Any]]) -> dict[str, list[str]]:
    """Lines for each kind of change; ``current`` holds the run's results as dictionaries."""
    out: dict[str, list[str]] = {"regressions": [], "faster": [], "new": [], "gone": []}
    seen = set()
    shift = _floor_shift(previous, current)
    speed = machine_ratio(previous, current)
    for r in current:
        key = (r["key"], r["role"])
        seen.add(key)
        before = previous.get(key)
        if before is None:
            out["new"].append(f"{r['key']} ({r['role']})")
            continue
        median = r["median_ms"]
        what = f"{r['key']} ({r['role']}): {before.median_ms:.1f} → {median:.1f} ms"
        if r["queries"] != before.queries:
            what += f", queries {before.queries} → {r['queries']}"
        # The time the page would take now had it not changed: its earlier time on this run's machine.
        expected = before.median_ms * speed
        slower = median > expected * SLOWER_RATIO and median - expected > SLOWER_MS
        more_queries = r["queries"] - before.queries > (0 if r["key"] == FLOOR else shift)
        if slower or more_queries:
            out["regressions"].append(what)
        elif median * SLOWER_RATIO < expected and expected - median > SLOWER_MS:
            out["faster"].append(what)
    out["gone"] = [f"{k} ({role})" for (k, role) in previous if (k, role) not in seen]
    return out


def machine_ratio(previous: dict[tuple[str, str], Row], current: list[dict[str, Any]]) -> float:
    """How much slower this run's machine was than the earlier run's: the median, over the pages both
    runs measured, of each page's time now over then (1 with fewer than three). The same machine's
    speed varied ±40 % between runs of one day and 2.5× between days (issue 17); most pages do not
    change between two runs, so the median is the machine's, and a page is compared with its
    earlier time scaled by it. (The trivial page alone is a poor yardstick: it moved 2.5× while
    the pages around it moved 1.5×.)"""
    ratios = sorted(
        r["median_ms"] / previous[(r["key"], r["role"])].median_ms
        for r in current
        if (r["key"], r["role"]) in previous and previous[(r["key"], r["role"])].median_ms > 0
    )
    if len(ratios) < 3:
        return 1.0
    middle = len(ratios) // 2
    return ratios[middle] if len(ratios) % 2 else (ratios[middle - 1] + ratios[middle]) / 2


def _floor_shift(previous: dict[tuple[str, str], Row], current: list[dict[str, Any]]) -> int:
    """Queries the trivial layout page gained since the previous run (0 if either run lacks it)."""
    before = next((row.queries for (key, _role), row in previous.items() if key == FLOOR), None)
    now = next((r["queries"] for r in current if r["key"] == FLOOR), None)
    return max(0, now - before) if before is not None and now is not None else 0


def section(path: Path | None, current: list[dict[str, Any]]) -> list[str]:
    """The report's comparison section (empty when there is no earlier table)."""
    if path is None:
        return []
    previous = read_table(path)
    found = changes(previous, current)
    lines = [
        "",
        f"## Compared with {path.name}",
        "",
        f"A regression is a page more than {SLOWER_RATIO:g}× and {SLOWER_MS:g} ms slower (median), or with more "
        "queries than the trivial page in the site's layout gained since (each page pays that page's queries); "
        "*faster* the reverse, each against its earlier time scaled by the machine's speed, which varies between "
        f"runs: this run's machine was {machine_ratio(previous, current):.2f}× the earlier one's (the median over "
        "the pages of their time now over then).",
        "",
    ]
    titles = {
        "regressions": "Regressions",
        "faster": "Faster",
        "new": "New pages",
        "gone": "Pages no longer measured",
    }
    for kind, title in titles.items():
        items = found[kind]
        lines.append(f"**{title}** ({len(items)})" + (":" if items else ""))
        lines += [f"- {item}" for item in items]
        lines.append("")
    return lines
