"""``manage.py loadtest`` end to end at the smallest size: a tiny synthetic county in a SQLite file
of its own, gunicorn with two workers, two Locust users (office staff and team member, both signing
in with a password and an authenticator code) for a few seconds per phase. It checks the run, not
the machine: every request answered as expected, each phase measured, the table and its goals
written. Runs in CI with the rest of the suite (marker ``loadtest``; -m 'not loadtest' skips it)."""

import json
import os
import subprocess
import sys

import pytest
from django.conf import settings

# The Makefile's BENCH_ENV: the benchmark's fixed keys, for synthetic databases only.
BENCH_KEYS = {
    "XUNCHA_MASTER_KEYS": "bench:eHVuY2hhLWJlbmNoLWtleQ==",
    "XUNCHA_AUDIT_MAC_KEYS": "bench:eHVuY2hhLWJlbmNoLW9ubHktYXVkaXQtbWFjLWtleSE=",
    "XUNCHA_AUDIT_SIGNING_KEYS": "bench:eHVuY2hhLWJlbmNoLW9ubHktYXVkaXQtc2lnbmluZyE=",
}


def _manage(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.mark.loadtest
def test_loadtest_runs_end_to_end_on_a_tiny_county(tmp_path):
    env = {
        **os.environ,
        **BENCH_KEYS,
        "DJANGO_SETTINGS_MODULE": "config.settings.bench",
        "DEBUG": "off",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'load.sqlite3'}",
        "MEDIA_ROOT": str(tmp_path / "media"),
    }
    made = _manage(env, "synth", "--counties", "1", "--tiny", "--migrate")
    assert made.returncode == 0, made.stderr[-2000:]
    out = tmp_path / "results"
    run = _manage(
        env, "loadtest", "--scale", "1", "--users", "2", "--time", "3", "--reference", "2", "--warmup", "1",
        "--workdir", str(tmp_path / "work"), "--out", str(out),
    )  # fmt: skip
    assert run.returncode == 0, (run.stdout + run.stderr)[-3000:]

    [table] = out.glob("*-load-s1-sqlite.md")
    result = json.loads(table.with_suffix(".json").read_text(encoding="utf-8"))
    assert result["raw"]["signin"]["signed_in"] == 2 and not result["raw"]["signin"]["failed"]
    assert result["goals"]["errors"]["value"] == 0
    # Users 0 and 1 play office staff and team member (a slow first page may leave one without a
    # finished request in three seconds on a busy machine).
    roles = {row["label"] for row in result["by_role"]}
    assert roles and roles <= {"staff", "member"}
    for phase in ("overall", "ceiling", "floor_one_user", "bare"):
        assert result[phase]["requests"] > 0 and result[phase]["errors"] == 0, phase
    assert len(result["rss_after"]) == 2 and all(mb > 0 for mb in result["rss_after"])
    text = table.read_text(encoding="utf-8")
    assert "mixed throughput / signed-in ceiling" in text and "worker RSS after the run" in text
