"""``manage.py bench --scale N``: build or reuse a synthetic database of N counties, then time every
page and document against its raw SQL and write ``bench/results/<date>-s<N>-<db>.{md,json}``.
Then each kind of .docx is converted to PDF with LibreOffice (``--pdf`` conversions each: one at
scale 1, which CI runs, three otherwise; none, with a note, where LibreOffice is not installed).

Reuse: the database's finished ``SynthDataset`` rows must add up to exactly N counties; an empty
database is generated; anything else is refused (point DATABASE_URL at a bench database).
"""

from __future__ import annotations

import contextlib
import subprocess
from datetime import date
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.utils import OperationalError
from django.test.utils import override_settings

from xuncha.synth.bench.issued import issue
from xuncha.synth.bench.pages import Page, pages, skipped
from xuncha.synth.bench.picks import pick
from xuncha.synth.bench.report import machine, write
from xuncha.synth.bench.runner import Result, clients, fetch, measure, measure_pdf
from xuncha.synth.generate import database_has_data, generate
from xuncha.synth.models import SynthDataset


class Command(BaseCommand):
    help = "Time every page and document on a synthetic database of N counties, next to its raw SQL."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--scale", type=int, default=1, help="counties (1, 10, 100)")
        parser.add_argument("--requests", type=int, default=20)
        parser.add_argument("--warmup", type=int, default=3)
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--as-of", type=date.fromisoformat, default=None)
        parser.add_argument("--only", default="", help="measure only pages whose name contains this")
        parser.add_argument(
            "--doc-requests",
            type=int,
            default=None,
            help="timed requests per document (default: 5 at scale 1, which CI runs, else --requests)",
        )
        parser.add_argument(
            "--pdf",
            type=int,
            default=None,
            help="PDF conversions per kind of .docx (default: 1 at scale 1, else 3; 0: none)",
        )
        parser.add_argument("--out", default=str(Path(settings.BASE_DIR) / "bench" / "results"))
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)

    def handle(self, *args: Any, **opts: Any) -> None:
        alias = opts["database"]
        ensure_database(alias)
        call_command("migrate", database=alias, interactive=False, verbosity=0)
        dataset = self._dataset(alias, opts)
        if settings.DEBUG:
            self.stderr.write("DEBUG is on: times include Django's debug overhead (run with DEBUG=off).")
        picks = pick(alias)
        small = opts["scale"] == 1  # CI's smoke run: fewer document requests and conversions
        doc_requests = opts["doc_requests"] or (min(5, opts["requests"]) if small else opts["requests"])
        for written in issue(picks):
            self.stdout.write(f"  (issued for the benchmark: {written})")
        # The test client's host; the two trivial views sit in front of the site's own URLs.
        with override_settings(ALLOWED_HOSTS=["testserver"], ROOT_URLCONF="xuncha.synth.bench.urls"):
            chosen = [p for p in pages(picks) if opts["only"] in p.key]
            for name in skipped:
                self.stdout.write(f"  (skipped: url name {name} does not exist yet)")
            by_role = clients(picks)
            results = []
            for page in chosen:
                requests = doc_requests if page.kind == "document" else opts["requests"]
                result = measure(page, by_role[page.role], picks, requests=requests, warmup=opts["warmup"], alias=alias)
                self.stdout.write(f"  {page.key:<30} {page.role:<7} {result.median_ms:8.1f} ms  {result.queries:3d} q")
                results.append(result)
            pdf_runs = opts["pdf"] if opts["pdf"] is not None else (1 if small else 3)
            pdf_meta = self._pdf(chosen, by_role, pdf_runs, results)
        floor = next((r.sql_mean_ms for r in results if r.key == "trivial (HttpResponse)"), 0.0)
        for result in results:
            result.floor_sql_ms = floor
        meta = {
            "scale": opts["scale"],
            "counties": dataset.first_county + dataset.counties,
            "vendor": connections[alias].vendor,
            "date": date.today().isoformat(),
            "requests": opts["requests"],
            "doc_requests": doc_requests,
            "warmup": opts["warmup"],
            "machine": machine(alias),
            "generation": dataset.timings,
            "rows": sum(dataset.rows.values()),
            "picks": picks.as_dict(),
            "pdf": pdf_meta,
        }
        path, text = write(results, meta, Path(opts["out"]))
        self.stdout.write("")
        self.stdout.write(text)
        self.stdout.write(f"→ {path} (+ .json)")
        bad = [r for r in results if r.status != 200]
        if bad:
            raise CommandError("pages that did not answer 200: " + ", ".join(f"{r.key} ({r.role})" for r in bad))

    def _pdf(self, chosen: list[Page], by_role: dict[str, Any], runs: int, results: list[Result]) -> dict[str, Any]:
        """Each kind of .docx (its first role's download) converted ``runs`` times; rows of kind "pdf"."""
        from xuncha.documents.pdf import docx_to_pdf, soffice_path

        docs: dict[str, Page] = {}
        for page in chosen:
            if page.kind == "document" and page.key.endswith(".docx"):
                docs.setdefault(page.key, page)
        if not runs or not docs:
            return {"runs": 0, "note": "no conversions asked for" if docs else "no .docx measured"}
        program = soffice_path()
        if program is None:
            note = "LibreOffice (soffice) is not installed"
            self.stdout.write(f"  (PDF: skipped, {note})")
            return {"runs": 0, "note": note}
        version = soffice_version(program)
        first = next(iter(docs.values()))
        status, data = fetch(by_role[first.role], first.url)
        if status == 200:  # warm-up: the first LibreOffice start reads its libraries from disk
            with contextlib.suppress(Exception):  # a failing conversion shows in its own row below
                docx_to_pdf(data)
        for page in docs.values():
            result = measure_pdf(page, by_role[page.role], runs=runs)
            self.stdout.write(f"  {result.key:<30} {page.role:<7} {result.median_ms:8.1f} ms")
            results.append(result)
        return {"runs": runs, "version": version}

    def _dataset(self, alias: str, opts: dict[str, Any]) -> SynthDataset:
        done = SynthDataset.objects.using(alias).filter(finished_at__isnull=False).order_by("id")
        counties = sum(d.counties for d in done)
        if counties == opts["scale"]:
            self.stdout.write(f"复用已有的合成数据库：{counties} 个县。")
            return done.last()
        if counties or database_has_data(alias):
            raise CommandError(
                f"数据库已有其他数据（合成县 {counties} 个，需要 {opts['scale']} 个）：请换一个空的基准测试数据库。"
            )
        self.stdout.write(f"生成合成数据：{opts['scale']} 个县……")
        dataset = generate(alias=alias, counties=opts["scale"], seed=opts["seed"], as_of=opts["as_of"])
        self.stdout.write(f"  用时 {dataset.timings['total']} s：{dataset.timings}")
        return dataset


def soffice_version(program: str) -> str:
    try:
        out = subprocess.run(  # noqa: S603 - the configured LibreOffice program, no user input
            [program, "--version"], capture_output=True, text=True, timeout=60, check=False
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return "LibreOffice"
    return " ".join(out.split()[:2]) or "LibreOffice"


def ensure_database(alias: str) -> None:
    """Create a PostgreSQL bench database that does not exist yet (SQLite creates its file itself)."""
    connection = connections[alias]
    if connection.vendor != "postgresql":
        Path(connection.settings_dict["NAME"]).parent.mkdir(parents=True, exist_ok=True)
        return
    try:
        connection.ensure_connection()
    except OperationalError:
        name = connection.settings_dict["NAME"]
        with connection._nodb_cursor() as cursor:  # Django's own way in (the test runner uses it too)
            cursor.execute(f'CREATE DATABASE "{name}"')
