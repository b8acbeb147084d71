"""The load test's table: ``bench/results/<date>-load-s<scale>-<db>.md`` (+ ``.json``).

From the Locust process's raw figures (per request name: count, failures, a histogram of response
times in whole ms) it combines rows by kind of request and by role, and checks the issue's goals:
mixed throughput at least 0.3 of the signed-in ceiling, mixed p95 at most 10× the floor, no errors,
every worker at most 300 MB resident after the run. The floor is the median of the trivial page in
the site's layout in the ceiling phase: the same server, the same number of users, the same run, so
both sides of the ratio wait in the same queue. The same page for one user alone (no queue) is
shown beside it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

RATIO_GOAL = 0.3  # mixed throughput / signed-in ceiling, at least
P95_GOAL = 10.0  # mixed p95 / floor, at most
RSS_GOAL_MB = 300.0  # each worker after the run, at most
KINDS = ("list", "detail", "filter", "download", "write")


@dataclass
class Row:
    label: str
    seconds: float
    requests: int = 0
    failures: int = 0
    times: dict[int, int] = field(default_factory=dict)

    def add(self, entry: dict[str, Any]) -> None:
        self.requests += entry["requests"]
        self.failures += entry["failures"]
        for ms, n in entry["times"].items():
            self.times[int(ms)] = self.times.get(int(ms), 0) + n

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def percentile(self, p: float) -> float:
        """Nearest rank over the histogram (Locust keeps times rounded to 2-3 significant digits)."""
        total = sum(self.times.values())
        if not total:
            return 0.0
        rank, seen = max(1, round(p * total + 0.4999)), 0
        for ms in sorted(self.times):
            seen += self.times[ms]
            if seen >= rank:
                return float(ms)
        return float(max(self.times))

    def as_dict(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "requests": self.requests,
            "rps": round(self.rps, 2),
            "p50_ms": self.percentile(0.50),
            "p95_ms": self.percentile(0.95),
            "p99_ms": self.percentile(0.99),
            "errors": self.failures,
        }


def split(name: str) -> tuple[str, str, str]:
    """A mixed request's name "<role> · <kind> · <key>" → (role, kind, key)."""
    parts = name.split(" · ", 2)
    return (parts[0], parts[1], parts[2]) if len(parts) == 3 else ("", "", name)


def grouped(phase: dict[str, Any], key: Any) -> dict[str, Row]:
    rows: dict[str, Row] = {}
    for entry in phase["entries"]:
        label = key(entry["name"])
        rows.setdefault(label, Row(label, phase["seconds"])).add(entry)
    return rows


def total(phase: dict[str, Any], label: str) -> Row:
    return grouped(phase, lambda name: label).get(label, Row(label, phase["seconds"]))


def figures(result: dict[str, Any], rss_after: list[float], roles: list[str]) -> dict[str, Any]:
    """Every row of the tables and the goals, as plain data (the .json keeps them)."""
    mixed = result["mixed"]
    overall, ceiling, bare = (
        total(mixed, "mixed, all"),
        total(result["ceiling"], "ceiling"),
        total(result["bare"], "bare"),
    )
    alone = total(result["floor"], "floor")
    by_kind = grouped(mixed, lambda name: split(name)[1])
    by_role = grouped(mixed, lambda name: split(name)[0])
    by_request = grouped(mixed, lambda name: name)
    floor = ceiling.percentile(0.50)
    errors = sum(r.failures for r in (overall, ceiling, alone, bare)) + len(result["signin"]["failed"])
    errors += sum(e["failures"] for e in result["signin"]["entries"])
    errors += sum(e["count"] for e in result.get("exceptions", []))
    ratio = overall.rps / ceiling.rps if ceiling.rps else 0.0
    p95_ratio = overall.percentile(0.95) / floor if floor else 0.0
    alone_ratio = overall.percentile(0.95) / alone.percentile(0.50) if alone.percentile(0.50) else 0.0
    goals = {
        "throughput_ratio": {"value": round(ratio, 3), "goal": f">= {RATIO_GOAL}", "met": ratio >= RATIO_GOAL},
        "p95_over_floor": {"value": round(p95_ratio, 1), "goal": f"<= {P95_GOAL:g}", "met": 0 < p95_ratio <= P95_GOAL},
        # Not a goal of its own: the same ratio against the page's time without a queue.
        "p95_over_one_user_floor": {"value": round(alone_ratio, 1), "goal": "(for reference)", "met": None},
        "errors": {"value": errors, "goal": "0", "met": errors == 0},
        "worker_rss_mb": {
            "value": rss_after,
            "goal": f"<= {RSS_GOAL_MB:g} each",
            "met": bool(rss_after) and max(rss_after) <= RSS_GOAL_MB,
        },
    }
    return {
        "overall": overall.as_dict(),
        "by_kind": [by_kind[k].as_dict() for k in KINDS if k in by_kind],
        "by_role": [by_role[r].as_dict() for r in roles if r in by_role],
        "by_request": [by_request[k].as_dict() for k in sorted(by_request)],
        "ceiling": ceiling.as_dict(),
        "bare": bare.as_dict(),
        "floor_one_user": alone.as_dict(),
        "floor_ms": floor,
        "goals": goals,
    }


def _row(r: dict[str, Any]) -> str:
    return (
        f"| {r['label']} | {r['requests']} | {r['rps']:.1f} | {r['p50_ms']:.0f} | {r['p95_ms']:.0f} "
        f"| {r['p99_ms']:.0f} | {r['errors']} |"
    )


def _mb(sizes: list[float]) -> str:
    return ", ".join(f"{x:.0f}" for x in sizes) or "—"


def _yes(met: bool) -> str:
    return "**yes**" if met else "**NO**"


def markdown(f: dict[str, Any], meta: dict[str, Any]) -> str:
    return "\n".join(_method(meta) + _goals(f, meta) + _tables(f, meta) + _errors(meta)) + "\n"


def _method(meta: dict[str, Any]) -> list[str]:
    m = meta["machine"]
    counties = f"{meta['counties']} count{'y' if meta['counties'] == 1 else 'ies'}"
    cpu = " Locust warned that its own process was above 90 % CPU." if meta.get("load_cpu_warning") else ""
    return [
        f"# Load test — scale {meta['scale']} ({counties}), {m['database']}, {meta['date']}",
        "",
        f"Machine: {m['cores']} cores ({m['cpu']}), {m['memory']}; Python {m['python']}, Django {m['django']}; "
        "Locust and gunicorn on the same machine.",
        f"Server: gunicorn `config.wsgi:application` (deploy/xuncha.service) with {meta['workers']} workers × "
        f"{meta['threads']} threads on 127.0.0.1, `{meta['settings']}` (DEBUG off, two-factor sign-in enforced, "
        "static files collected and served by WhiteNoise).",
        f"Load: Locust {meta['locust']} headless (FastHttpUser), {meta['users']} users, closed loop (no think "
        f"time); each signed in through the login form ({meta['signin']}). Each phase: {meta['warmup']:g} s "
        f"warm-up (dropped), then mixed {meta['duration']:g} s, ceiling and bare {meta['reference']:g} s each, "
        f"one-user floor {meta['reference'] / 2:g} s.{cpu}",
        "Mixed: each user plays a role (office staff, team member, unit liaison, county leader, city office) "
        "and draws list 3 : detail 3 : filter 2 : download 1 : write 1; a write is the form post and the "
        "page it redirects to. Ceiling: the trivial page in the site's layout, signed in (`/__bench__/layout/`). "
        "Bare: a view with no layout and no session (`/__load__/bare/`). Floor = the ceiling's median. "
        "Times in ms; an error is any answer but the expected one (status, redirect, document type, message).",
    ]


def _goals(f: dict[str, Any], meta: dict[str, Any]) -> list[str]:
    g, o, c = f["goals"], f["overall"], f["ceiling"]
    replaced = "**A worker was replaced during the run** (it died or overran gunicorn's timeout: see the log)."
    return [
        "",
        "## Goals (issue 17)",
        "",
        "| goal | measured | target | met |",
        "|---|---|---|---|",
        f"| mixed throughput / signed-in ceiling | {g['throughput_ratio']['value']:.2f} ({o['rps']:.1f} / "
        f"{c['rps']:.1f} req/s) | ≥ {RATIO_GOAL} | {_yes(g['throughput_ratio']['met'])} |",
        f"| mixed p95 / floor | {g['p95_over_floor']['value']:.1f}× ({o['p95_ms']:.0f} / {f['floor_ms']:.0f} ms) "
        f"| ≤ {P95_GOAL:g}× | {_yes(g['p95_over_floor']['met'])} |",
        f"| (mixed p95 / the layout page for one user alone) | {g['p95_over_one_user_floor']['value']:.1f}× "
        f"({o['p95_ms']:.0f} / {f['floor_one_user']['p50_ms']:.0f} ms) | — | — |",
        f"| errors (sign-in and all phases) | {g['errors']['value']} | 0 | {_yes(g['errors']['met'])} |",
        f"| worker RSS after the run | {_mb(meta['rss_after'])} MB (at start {_mb(meta['rss_before'])}, "
        f"highest seen {_mb(meta['rss_peak'])}) | ≤ {RSS_GOAL_MB:g} MB each "
        f"| {_yes(g['worker_rss_mb']['met'])} |",
        *(["", replaced] if meta.get("workers_replaced") else []),
    ]


def _tables(f: dict[str, Any], meta: dict[str, Any]) -> list[str]:
    head = ["| requests | req/s | p50 | p95 | p99 | errors |", "|---|---|---|---|---|---|---|"]
    return [
        "",
        "## Throughput and latency",
        "",
        "| phase / kind " + head[0],
        head[1],
        _row(f["overall"]),
        *[_row({**r, "label": f"mixed · {r['label']}"}) for r in f["by_kind"]],
        _row({**f["ceiling"], "label": "ceiling: layout page, signed in"}),
        _row({**f["floor_one_user"], "label": "floor: layout page, one user"}),
        _row({**f["bare"], "label": "bare: view without session"}),
        "",
        "## Mixed, by role",
        "",
        "| role " + head[0],
        head[1],
        *[_row(r) for r in f["by_role"]],
        *_missing(meta),
        "",
        "## Mixed, every request",
        "",
        "| request (role · kind · page) " + head[0],
        head[1],
        *[_row(r) for r in f["by_request"]],
    ]


def _missing(meta: dict[str, Any]) -> list[str]:
    """Kinds of request a role has nothing for in this data set (its other kinds share the weight)."""
    gaps = [f"{role}: {', '.join(kinds)}" for role, kinds in meta.get("missing", {}).items() if kinds]
    return (
        ["", "Nothing to request in this data set (the role's other kinds take the share): " + "; ".join(gaps)]
        if gaps
        else []
    )


def _errors(meta: dict[str, Any]) -> list[str]:
    errors = meta.get("error_list") or []
    if not errors:
        return []
    lines = ["", "## Errors", "", "| phase | request | error | count |", "|---|---|---|---|"]
    return lines + [f"| {e['phase']} | {e['name']} | {e['error'][:160]} | {e['count']} |" for e in errors]


def error_list(result: dict[str, Any]) -> list[dict[str, Any]]:
    out = [{"phase": "sign-in", "name": "", "error": failed, "count": 1} for failed in result["signin"]["failed"]]
    for phase in ("signin", "mixed", "ceiling", "floor", "bare"):
        out += [{"phase": phase, **e} for e in result[phase]["errors"]]
    return out + [{"phase": "any", "name": "(exception in a task)", **e} for e in result.get("exceptions", [])]


def write(result: dict[str, Any], meta: dict[str, Any], out_dir: Path) -> tuple[Path, str, dict[str, Any]]:
    out_dir.mkdir(parents=True, exist_ok=True)
    meta = {**meta, "error_list": error_list(result), "load_cpu_warning": result.get("load_cpu_warning", False)}
    f = figures(result, meta["rss_after"], list(meta["accounts"]))
    stem = f"{date.today().isoformat()}-load-s{meta['scale']}-{meta['vendor']}"
    text = markdown(f, meta)
    (out_dir / f"{stem}.md").write_text(text, encoding="utf-8")
    payload = {**meta, **f, "raw": result}
    (out_dir / f"{stem}.json").write_text(json.dumps(payload, ensure_ascii=False, indent=1), encoding="utf-8")
    return out_dir / f"{stem}.md", text, f
