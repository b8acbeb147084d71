"""``manage.py synth --counties N``: a deterministic province-scale data set, by bulk inserts."""

from __future__ import annotations

import time
from datetime import date
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS

from xuncha.synth.context import TINY, Sizes
from xuncha.synth.county import STAGES
from xuncha.synth.digest import dataset_digest
from xuncha.synth.generate import MODELS, POST_STEPS, SynthRefused, check_append, generate

PHASES = ("shared", "indexes", "counties", "audit", *(name for name, _step in POST_STEPS), "total")


class Command(BaseCommand):
    help = (
        "Generate synthetic counties (units, people, rounds, teams, papers, reports, findings, transfers,"
        " rectification, audit rows) by bulk inserts."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--counties", type=int, required=True)
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--as-of", type=date.fromisoformat, default=None, help="the data's today (default: today)")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)
        parser.add_argument(
            "--append", action="store_true", help="add counties to a database that holds synthetic data"
        )
        parser.add_argument(
            "--allow-non-synthetic",
            action="store_true",
            help="with --append: also write into a database that has no synthetic-data marker (a scratch copy)",
        )
        parser.add_argument("--tiny", action="store_true", help="a few rows of everything (for trying it out)")
        parser.add_argument("--migrate", action="store_true", help="apply migrations first")
        parser.add_argument(
            "--workers", type=int, default=None, help="processes generating counties (default: one per CPU)"
        )
        parser.add_argument(
            "--digest", action="store_true", help="print a fingerprint of every generated row (small data sets)"
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        if opts["counties"] < 1:
            raise CommandError("--counties 至少为 1。")
        if opts["workers"] is not None and opts["workers"] < 1:
            raise CommandError("--workers 至少为 1。")
        if opts["append"]:  # before --migrate touches the database
            try:
                check_append(opts["database"], allow_non_synthetic=opts["allow_non_synthetic"])
            except SynthRefused as exc:
                raise CommandError(str(exc))
        if opts["migrate"]:
            call_command("migrate", database=opts["database"], interactive=False, verbosity=0)
        sizes = TINY if opts["tiny"] else Sizes()
        started = time.perf_counter()

        def progress(done: int, timings: dict[str, float]) -> None:
            if done == opts["counties"] or done % 10 == 0 or opts["verbosity"] > 1:
                self.stdout.write(f"  {done}/{opts['counties']} 县  {time.perf_counter() - started:7.1f} s")

        try:
            dataset = generate(
                alias=opts["database"],
                counties=opts["counties"],
                seed=opts["seed"],
                as_of=opts["as_of"],
                sizes=sizes,
                append=opts["append"],
                allow_non_synthetic=opts["allow_non_synthetic"],
                progress=progress,
                workers=opts["workers"],
            )
        except SynthRefused as exc:
            raise CommandError(str(exc))
        self._report(dataset.timings, dataset.rows, opts["counties"])
        if opts["digest"]:
            counts, digest = dataset_digest(opts["database"], MODELS)
            self.stdout.write(f"digest {digest} rows {sum(counts.values())}")

    def _report(self, timings: dict[str, float], rows: dict[str, int], counties: int) -> None:
        t = timings.get
        self.stdout.write(f"合成数据：{counties} 个县，{int(t('workers', 1))} 个进程")
        self.stdout.write("  per county, summed (s):")
        for stage in STAGES:
            self.stdout.write(f"    {stage:<14} {t(stage, 0):8.2f}")
        self.stdout.write("  phases, wall clock (s):")
        for phase in PHASES:
            self.stdout.write(f"    {phase:<14} {t(phase, 0):8.2f}")
        self.stdout.write(f"  CPU            {t('cpu', 0):8.1f} s, {t('cpu_per_county', 0):.1f} s per county")
        self.stdout.write(f"  peak memory    {t('peak_rss_mb', 0):8.0f} MB (all processes at once, upper bound)")
        self.stdout.write(f"  rows           {sum(rows.values()):8d}")
        for label, count in sorted(rows.items(), key=lambda kv: -kv[1]):
            self.stdout.write(f"    {label:<32} {count:9d}")
