"""The machine, and the results as a Markdown table and a JSON file under ``bench/results/``."""

from __future__ import annotations

import json
import os
import platform
import sqlite3
from datetime import date
from pathlib import Path
from typing import Any

import django
from django.conf import settings
from django.db import connections

from xuncha.synth.bench import compare
from xuncha.synth.bench.runner import Result, pdf_key

RATIO_LIMIT = 3.0  # issue 8: every list page within 3× of its raw SQL
FLOOR_LIMIT = 10.0  # issue 17: every page within 10× of the trivial page in the site's layout
FLOOR_PAGE = "trivial (base template)"


def machine(alias: str) -> dict[str, Any]:
    connection = connections[alias]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            db = f"PostgreSQL {cursor.fetchone()[0]}"
    else:
        db = f"SQLite {sqlite3.sqlite_version}"
    memory = ""
    cpu = platform.processor()
    try:
        meminfo = Path("/proc/meminfo").read_text().splitlines()
        memory = f"{int(meminfo[0].split()[1]) / 1024 / 1024:.1f} GiB"
        cpu = next(
            (
                line.split(":", 1)[1].strip()
                for line in Path("/proc/cpuinfo").read_text().splitlines()
                if "model name" in line
            ),
            cpu,
        )
    except OSError:
        pass
    return {
        "cores": os.cpu_count(),
        "memory": memory,
        "cpu": cpu,
        "database": db,
        "python": platform.python_version(),
        "django": django.get_version(),
        "debug": settings.DEBUG,
    }


def _fmt(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}"


def _floor_ms(results: list[Result]) -> float | None:
    return next((r.median_ms for r in results if r.key == FLOOR_PAGE), None)


def markdown(
    results: list[Result], meta: dict[str, Any], baseline: dict[str, int] | None, previous: Path | None = None
) -> str:
    m = meta["machine"]
    floor = _floor_ms(results)
    lines = [
        f"# Benchmark — scale {meta['scale']} ({meta['counties']} counties), {m['database']}, {meta['date']}",
        "",
        f"Machine: {m['cores']} cores ({m['cpu']}), {m['memory']}; Python {m['python']}, Django {m['django']}, "
        f"DEBUG={m['debug']}.",
        f"Method: Django test client in process (no network, no gunicorn), {meta['requests']} timed requests "
        f"per page ({meta.get('doc_requests', meta['requests'])} per document) after {meta['warmup']} warm-up; "
        "raw SQL by the database driver's cursor, same rows, filter, order and count; times in ms (median / p95).",
        f"Data: {meta['rows']:,} rows; generated in {meta['generation'].get('total', '?')} s.",
        "",
        "Columns: *queries* per request; *app* = whole request (middleware, session, ORM, template); *app SQL* = "
        "time inside the driver during the request (mean); *raw* = the hand-written SQL; *app/raw* compares the "
        "page with its SQL floor; *SQL/raw* compares the page's ORM SQL (app SQL less the trivial view's: session "
        "and user) with the hand-written SQL. The two trivial views give the framework's own floor; a page "
        f"slower than {FLOOR_LIMIT:g}× the trivial page in the site's layout is flagged.",
        "",
        "| page | role | kind | queries | app median | app p95 | app SQL | raw | app/raw | SQL/raw | flag |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        flags = []
        if r.kind == "list" and r.ratio and r.ratio > RATIO_LIMIT:
            flags.append(f">{RATIO_LIMIT:g}× raw")
        if r.sql_ratio and r.sql_ratio > RATIO_LIMIT and r.page_sql_ms > 1:
            flags.append(f"SQL >{RATIO_LIMIT:g}× raw")
        if floor and r.kind not in ("ceiling", "document", "pdf") and r.median_ms > FLOOR_LIMIT * floor:
            flags.append(f">{FLOOR_LIMIT:g}× floor")
        key = f"{r.key}|{r.role}"
        if baseline and key in baseline and baseline[key] != r.queries:
            flags.append(f"queries {baseline[key]} at scale 1")
        if r.raw_error:
            flags.append("conversion failed" if r.kind == "pdf" else "raw SQL error")
        if r.status != 200:
            flags.append(f"HTTP {r.status}")
        ratio = f"{r.ratio:.1f}×" if r.ratio else "—"
        sql_ratio = f"{r.sql_ratio:.1f}×" if r.sql_ratio else "—"
        lines.append(
            f"| {r.key} | {r.role} | {r.kind} | {r.queries} | {_fmt(r.median_ms)} | {_fmt(r.p95_ms)} "
            f"| {_fmt(r.sql_mean_ms)} | {_fmt(r.raw_median_ms)} | {ratio} | {sql_ratio} | {', '.join(flags)} |"
        )
    errors = [r for r in results if r.raw_error]
    if errors:
        lines += ["", "Errors (raw SQL, PDF):", *[f"- {r.key} ({r.role}): {r.raw_error}" for r in errors]]
    lines += documents(results, meta)
    lines += compare.section(previous, [r.as_dict() for r in results])
    return "\n".join(lines) + "\n"


def _kb(size: int) -> str:
    return f"{size / 1024:.0f}" if size else "—"


def documents(results: list[Result], meta: dict[str, Any]) -> list[str]:
    """The documents again, one row each with its PDF conversion next to the download."""
    docs = [r for r in results if r.kind == "document"]
    if not docs:
        return []
    pdfs = {(r.key, r.role): r for r in results if r.kind == "pdf"}
    pdf = meta.get("pdf", {})
    if pdf.get("runs"):
        how = (
            f"*PDF* = converting the downloaded .docx with LibreOffice (`docx_to_pdf`, a LibreOffice start each "
            f"time as in the worker), median / p95 of {pdf['runs']} conversion(s) after one warm-up; {pdf['version']}."
        )
    else:
        how = f"*PDF*: not measured ({pdf.get('note') or 'no conversions asked for'})."
    lines = [
        "",
        "## Documents",
        "",
        f"The largest object of each kind in the county (most problems or tasks). *.docx* = the download "
        f"(request, rendering or stamping of the stored file, the hand-over's audit row), median / p95 of "
        f"{meta.get('doc_requests', meta['requests'])} requests. {how} Times in ms, sizes in KB.",
        "",
        "| document | role | queries | .docx median | .docx p95 | .docx KB | PDF median | PDF p95 | PDF KB |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in docs:
        p = pdfs.get((pdf_key(r.key), r.role))
        converted = f"{_fmt(p.median_ms)} | {_fmt(p.p95_ms)} | {_kb(p.size)}" if p and p.status == 200 else "— | — | —"
        docx = f"{_fmt(r.median_ms)} | {_fmt(r.p95_ms)} | {_kb(r.size)}"
        lines.append(f"| {r.key} | {r.role} | {r.queries} | {docx} | {converted} |")
    return lines


def baseline_counts(out_dir: Path, vendor: str, scale: int) -> dict[str, int] | None:
    """Query counts of the newest scale-1 run on the same database, to see counts that grow."""
    if scale == 1:
        return None
    runs = sorted(out_dir.glob(f"*-s1-{vendor}.json"))
    if not runs:
        return None
    data = json.loads(runs[-1].read_text())
    return {f"{r['key']}|{r['role']}": r["queries"] for r in data["results"]}


def write(results: list[Result], meta: dict[str, Any], out_dir: Path) -> tuple[Path, str]:
    out_dir.mkdir(parents=True, exist_ok=True)
    vendor = meta["vendor"]
    today = date.today().isoformat()
    stem = f"{today}-s{meta['scale']}-{vendor}"
    previous = compare.previous_table(out_dir, meta["scale"], vendor, today)
    text = markdown(results, meta, baseline_counts(out_dir, vendor, meta["scale"]), previous)
    (out_dir / f"{stem}.md").write_text(text, encoding="utf-8")
    payload = {**meta, "results": [r.as_dict() for r in results]}
    (out_dir / f"{stem}.json").write_text(json.dumps(payload, ensure_ascii=False, indent=1), encoding="utf-8")
    return out_dir / f"{stem}.md", text
