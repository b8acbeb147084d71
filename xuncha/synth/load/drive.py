"""``python -m xuncha.synth.load.drive PLAN OUT``: the load test's Locust process (headless, as a
library, so the phases follow each other on the same users and the same server).

All users start at once and sign in (phase ``idle``); when every one has signed in (or failed to),
the phases run in turn, each a warm-up whose figures are dropped and then a measured stretch:
``mixed`` for the plan's ``duration``, then ``ceiling`` and ``bare`` for its ``reference`` seconds,
and ``floor`` (one user) for half that.
Each phase's figures are written raw (per request name: count, failures, the histogram of response
times in ms, bytes), so the report can combine them by role and kind of request without Locust.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any

import gevent
from locust.env import Environment

from xuncha.synth.load.locustfile import STATE, Official

PHASES = ("mixed", "ceiling", "floor", "bare")


def snapshot(env: Environment, seconds: float) -> dict[str, Any]:
    entries = [
        {
            "name": e.name,
            "method": e.method,
            "requests": e.num_requests,
            "failures": e.num_failures,
            "times": {str(ms): n for ms, n in e.response_times.items()},
            "bytes": e.total_content_length,
        }
        for e in env.stats.entries.values()
        if e.num_requests or e.num_failures
    ]
    errors = [
        {"name": err.name, "method": err.method, "error": str(err.error), "count": err.occurrences}
        for err in env.stats.errors.values()
    ]
    return {"seconds": round(seconds, 3), "entries": entries, "errors": errors}


def sign_in(env: Environment, users: int, timeout: float) -> dict[str, Any]:
    started = time.monotonic()
    while STATE.signed_in + len(STATE.failed) < users and time.monotonic() - started < timeout:
        gevent.sleep(0.2)
    result = snapshot(env, time.monotonic() - started)
    result |= {"signed_in": STATE.signed_in, "failed": list(STATE.failed), "users": users}
    return result


def phase(env: Environment, name: str, warmup: float, seconds: float) -> dict[str, Any]:
    STATE.phase = name
    gevent.sleep(warmup)
    env.stats.reset_all()
    started = time.monotonic()
    gevent.sleep(seconds)
    return snapshot(env, time.monotonic() - started)


def run(plan: dict[str, Any]) -> dict[str, Any]:
    STATE.configure(plan, phase="idle")
    env = Environment(user_classes=[Official], host=plan["host"])
    runner = env.create_local_runner()
    users = plan["users"]
    runner.start(users, spawn_rate=users)
    out: dict[str, Any] = {"signin": sign_in(env, users, plan["signin_timeout"])}
    env.stats.reset_all()
    reference = plan["reference"]
    durations = {"mixed": plan["duration"], "ceiling": reference, "floor": reference / 2, "bare": reference}
    for name in PHASES:
        out[name] = phase(env, name, plan["warmup"], durations[name])
    # A task that raised is no request and no failure in the figures: reported (and counted) apart.
    out["exceptions"] = [{"count": e["count"], "error": e["msg"]} for e in runner.exceptions.values()]
    out["load_cpu_warning"] = runner.cpu_warning_emitted  # Locust's own process above 90 % CPU
    runner.quit()
    return out


def main(argv: list[str]) -> int:
    plan_path, out_path = argv
    plan = json.loads(Path(plan_path).read_text(encoding="utf-8"))
    result = run(plan)
    Path(out_path).write_text(json.dumps(result, ensure_ascii=False), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
