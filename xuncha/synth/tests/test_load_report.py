"""The load test's table: rows combined from Locust's histograms, and the goals judged from them.

No database and no processes: a result shaped as ``drive.py`` writes it, with numbers chosen so each
goal is met or missed on purpose."""

from xuncha.synth.load.report import Row, figures, markdown


def _phase(seconds: float, *entries: tuple[str, dict[int, int], int]) -> dict:
    return {
        "seconds": seconds,
        "entries": [
            {"name": name, "method": "GET", "requests": sum(times.values()), "failures": failures, "times": times}
            for name, times, failures in entries
        ],
        "errors": [],
    }


def _result(*, mixed_failures: int = 0, signin_failed: tuple[str, ...] = ()) -> dict:
    return {
        "signin": {**_phase(5.0), "failed": list(signin_failed), "signed_in": 2},
        # 10 s: 300 list requests (100 ms) and 100 downloads (500-900 ms): 40 req/s, p95 ≥ 500 ms.
        "mixed": _phase(
            10.0,
            ("staff · list · rounds", {100: 300}, mixed_failures),
            ("member · download · authorisation.docx", {500: 60, 900: 40}, 0),
        ),
        "ceiling": _phase(10.0, ("ceiling · layout page, signed in", {60: 1000}, 0)),  # 100 req/s, floor 60 ms
        "floor": _phase(5.0, ("floor · layout page, one user", {12: 400}, 0)),
        "bare": _phase(10.0, ("bare · view without session", {3: 13000}, 0)),
        "exceptions": [],
    }


def test_percentiles_come_from_the_histogram():
    row = Row("r", 1.0, times={10: 50, 20: 45, 400: 5})
    row.requests = 100
    assert (row.percentile(0.5), row.percentile(0.95), row.percentile(0.99)) == (10.0, 20.0, 400.0)
    assert row.rps == 100.0


def test_goals_met_and_missed():
    f = figures(_result(), rss_after=[180.0, 210.0], roles=["staff", "member"])
    assert f["overall"]["rps"] == 40.0 and f["ceiling"]["rps"] == 100.0
    goals = f["goals"]
    assert goals["throughput_ratio"] == {"value": 0.4, "goal": ">= 0.3", "met": True}
    # p95 of the mixed phase: 900 ms (the slowest 10 % are the 40 slow downloads) / floor 60 ms = 15×.
    assert f["overall"]["p95_ms"] == 900.0 and goals["p95_over_floor"]["value"] == 15.0
    assert goals["p95_over_floor"]["met"] is False
    assert goals["p95_over_one_user_floor"]["value"] == 75.0
    assert goals["errors"]["met"] and goals["worker_rss_mb"]["met"]
    assert [r["label"] for r in f["by_role"]] == ["staff", "member"]
    assert [r["label"] for r in f["by_kind"]] == ["list", "download"]


def test_every_error_counts_and_memory_over_300_mb_misses():
    f = figures(_result(mixed_failures=3, signin_failed=("c0000_staff1: HTTP 200",)), [120.0, 301.0], ["staff"])
    assert f["goals"]["errors"]["value"] == 4 and not f["goals"]["errors"]["met"]
    assert not f["goals"]["worker_rss_mb"]["met"]


def test_the_table_says_which_goals_were_missed():
    meta = {
        "machine": {"cores": 2, "cpu": "cpu", "memory": "8 GiB", "python": "3.11", "django": "5.2", "database": "db"},
        **{"scale": 10, "counties": 10, "date": "2026-12-08", "workers": 2, "threads": 2, "settings": "s"},
        **{"users": 10, "locust": "2", "signin": "10 accounts", "warmup": 10, "duration": 60, "reference": 20},
        **{"rss_before": [100.0], "rss_after": [310.0], "rss_peak": [320.0], "accounts": {"staff": []}},
    }
    f = figures(_result(), meta["rss_after"], ["staff", "member"])
    text = markdown(f, meta)
    assert "| mixed throughput / signed-in ceiling | 0.40 (40.0 / 100.0 req/s) | ≥ 0.3 | **yes** |" in text
    assert "| mixed p95 / floor | 15.0× (900 / 60 ms) | ≤ 10× | **NO** |" in text
    assert "highest seen 320) | ≤ 300 MB each | **NO** |" in text
