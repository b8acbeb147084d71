"""``manage.py bench --scale N``: build or reuse a synthetic database of N counties, then time every
page and document against its raw SQL and write ``bench/results/<date>-s<N>-<db>.{md,json}``.

Reuse: the database's finished ``SynthDataset`` rows must add up to exactly N counties; an empty
database is generated; anything else is refused (point DATABASE_URL at a bench database).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.utils import OperationalError
from django.test.utils import override_settings

from xuncha.synth.bench.pages import pages, skipped
from xuncha.synth.bench.picks import pick
from xuncha.synth.bench.report import machine, write
from xuncha.synth.bench.runner import clients, measure
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
        # The test client's host; the two trivial views sit in front of the site's own URLs.
        with override_settings(ALLOWED_HOSTS=["testserver"], ROOT_URLCONF="xuncha.synth.bench.urls"):
            chosen = [p for p in pages(picks) if opts["only"] in p.key]
            for name in skipped:
                self.stdout.write(f"  (skipped: url name {name} does not exist yet)")
            by_role = clients(picks)
            results = []
            for page in chosen:
                result = measure(
                    page, by_role[page.role], picks, requests=opts["requests"], warmup=opts["warmup"], alias=alias
                )
                self.stdout.write(f"  {page.key:<26} {page.role:<7} {result.median_ms:8.1f} ms  {result.queries:3d} q")
                results.append(result)
        floor = next((r.sql_mean_ms for r in results if r.key == "trivial (HttpResponse)"), 0.0)
        for result in results:
            result.floor_sql_ms = floor
        meta = {
            "scale": opts["scale"],
            "counties": dataset.first_county + dataset.counties,
            "vendor": connections[alias].vendor,
            "date": date.today().isoformat(),
            "requests": opts["requests"],
            "warmup": opts["warmup"],
            "machine": machine(alias),
            "generation": dataset.timings,
            "rows": sum(dataset.rows.values()),
            "picks": picks.as_dict(),
        }
        path, text = write(results, meta, Path(opts["out"]))
        self.stdout.write("")
        self.stdout.write(text)
        self.stdout.write(f"→ {path} (+ .json)")
        bad = [r for r in results if r.status != 200]
        if bad:
            raise CommandError("pages that did not answer 200: " + ", ".join(f"{r.key} ({r.role})" for r in bad))

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
