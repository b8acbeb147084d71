"""``manage.py loadtest --scale N``: HTTP load on gunicorn as deployed, with the real roles' workload,
and in the same run the same server's ceiling (the signed-in trivial page in the site's layout) and a
bare view; writes ``bench/results/<date>-load-s<N>-<db>.{md,json}``. ``make loadtest`` runs it with
the benchmark's keys (see the Makefile). The parts: xuncha/synth/load/.
"""

from __future__ import annotations

import json
import math
import subprocess
import sys
import tempfile
from datetime import date
from importlib.metadata import version
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS

from xuncha.synth.bench.report import machine
from xuncha.synth.load import plan, report
from xuncha.synth.load.credentials import STEP
from xuncha.synth.load.prepare import SETTINGS, Prepared, prepare
from xuncha.synth.load.server import Server


class Command(BaseCommand):
    help = "HTTP load test: gunicorn, Locust with the five roles' workload, the server's ceiling beside it."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--scale", type=int, default=10, help="counties (the bench's database of that scale)")
        parser.add_argument("--users", type=int, default=10, help="concurrent Locust users (role = user mod 5)")
        parser.add_argument("--time", type=float, default=60, help="seconds of the mixed workload")
        parser.add_argument("--reference", type=float, default=20, help="seconds each of the ceiling and bare phases")
        parser.add_argument("--warmup", type=float, default=10, help="seconds before each phase is measured")
        parser.add_argument("--workers", type=int, default=2)
        parser.add_argument("--threads", type=int, default=2)
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--out", default=str(Path(settings.BASE_DIR) / "bench" / "results"))
        parser.add_argument("--workdir", default=str(Path(settings.BASE_DIR) / "var" / "loadtest"))

    def handle(self, *args: Any, **opts: Any) -> None:
        workdir = Path(opts["workdir"])
        workdir.mkdir(parents=True, exist_ok=True)
        ready = prepare(scale=opts["scale"], seed=opts["seed"], static_root=workdir / "static", out=self.stdout)
        server = Server(env=ready.env, log=workdir / "gunicorn.log", workers=opts["workers"], threads=opts["threads"])
        self.stdout.write(f"gunicorn: {opts['workers']} workers × {opts['threads']} threads …")
        try:
            server.start(cwd=Path(settings.BASE_DIR))
            rss: dict[str, Any] = {"before": server.worker_rss_mb(), "pids_before": server.worker_pids()}
            self.stdout.write(f"Locust: {opts['users']} users on {server.url} …")
            result, rss["samples"] = self._drive(ready, server, opts)
            rss["after"], rss["pids_after"] = server.worker_rss_mb(), server.worker_pids()
        except RuntimeError as exc:  # the server or the Locust process failed: say so, no traceback
            raise CommandError(str(exc))
        finally:
            server.stop()
        meta = self._meta(ready, opts, rss)
        path, text, figures = report.write(result, meta, Path(opts["out"]))
        self.stdout.write("")
        self.stdout.write(text)
        self.stdout.write(f"→ {path} (+ .json)")
        if figures["goals"]["errors"]["value"]:
            raise CommandError(f"{figures['goals']['errors']['value']} 个请求出错，见上表“Errors”。")

    def _drive(self, ready: Prepared, server: Server, opts: dict[str, Any]) -> tuple[dict[str, Any], list[list[float]]]:
        """The Locust process, with the plan (which holds this run's password) in a private temp dir;
        the workers' memory read every few seconds meanwhile."""
        settings_ = {
            "host": server.url,
            "users": opts["users"],
            "duration": opts["time"],
            "reference": opts["reference"],
            "warmup": opts["warmup"],
            "seed": opts["seed"],
            "signin_timeout": signin_timeout(opts["users"], ready.accounts),
        }
        body = plan.as_json(ready.picks, ready.accounts, password=ready.password, keys=ready.keys, **settings_)
        limit = settings_["signin_timeout"] + 4 * opts["warmup"] + opts["time"] + 3 * opts["reference"] + 120
        with tempfile.TemporaryDirectory(prefix="xuncha-load-") as tmp:
            plan_path, out_path = Path(tmp) / "plan.json", Path(tmp) / "result.json"
            plan_path.write_text(json.dumps(body, ensure_ascii=False), encoding="utf-8")
            locust = subprocess.Popen(  # noqa: S603 - this interpreter, our module, our files
                [sys.executable, "-m", "xuncha.synth.load.drive", str(plan_path), str(out_path)], cwd=settings.BASE_DIR
            )
            samples = server.watch(locust, timeout=limit)
            return json.loads(out_path.read_text(encoding="utf-8")), samples

    def _meta(self, ready: Prepared, opts: dict[str, Any], rss: dict[str, Any]) -> dict[str, Any]:
        with_code = sum(1 for people in ready.accounts.values() for u in people if u.username in ready.keys)
        accounts = sum(len(people) for people in ready.accounts.values())
        return {
            "scale": opts["scale"],
            "counties": ready.dataset.first_county + ready.dataset.counties,
            "vendor": ready.vendor,
            "date": date.today().isoformat(),
            "machine": machine(DEFAULT_DB_ALIAS),
            "settings": SETTINGS,
            "workers": opts["workers"],
            "threads": opts["threads"],
            "users": opts["users"],
            "duration": opts["time"],
            "reference": opts["reference"],
            "warmup": opts["warmup"],
            "locust": version("locust"),
            "signin": f"{accounts} accounts, {with_code} with an authenticator code",
            "accounts": {role: [u.username for u in people] for role, people in ready.accounts.items()},
            "rss_before": rss["before"],
            "rss_after": rss["after"],
            "rss_peak": [max(column) for column in zip(*rss["samples"], rss["after"], strict=False)],
            "rss_samples": rss["samples"],
            # gunicorn replaces a worker that died or overran its timeout: then the ids differ.
            "workers_replaced": rss["pids_before"] != rss["pids_after"],
            "missing": plan.missing_kinds(ready.picks, ready.accounts),
        }


def signin_timeout(users: int, accounts: dict[str, list[Any]]) -> float:
    """Enough for users sharing an account to wait for a fresh code step each (30 s apiece)."""
    roles = max(1, len(accounts))
    fewest = min((len(people) for people in accounts.values()), default=1)
    sharing = math.ceil(math.ceil(users / roles) / max(1, fewest))
    return 60.0 + (STEP + 1) * sharing
