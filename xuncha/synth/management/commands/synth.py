"""``manage.py synth --counties N``: a deterministic province-scale data set, by bulk inserts."""

from __future__ import annotations

import time
from datetime import date
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS

from xuncha.synth.context import TINY, Sizes
from xuncha.synth.generate import STAGES, SynthRefused, check_append, generate


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

    def handle(self, *args: Any, **opts: Any) -> None:
        if opts["counties"] < 1:
            raise CommandError("--counties 至少为 1。")
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
            )
        except SynthRefused as exc:
            raise CommandError(str(exc))
        self.stdout.write(f"合成数据 seed={dataset.seed} as_of={dataset.as_of} 县 {dataset.first_county}..")
        for stage in (*STAGES, "total"):
            self.stdout.write(f"  {stage:<10} {dataset.timings.get(stage, 0):8.2f} s")
        total = sum(dataset.rows.values())
        self.stdout.write(f"  rows       {total:8d}")
        for label, count in sorted(dataset.rows.items(), key=lambda kv: -kv[1]):
            self.stdout.write(f"    {label:<32} {count:9d}")
