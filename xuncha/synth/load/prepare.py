"""Everything the load test needs before the server starts, done by itself:

* the scale's synthetic database, reused or generated exactly as ``manage.py bench`` does, and the
  issued documents the downloads need (``bench.issued``);
* sign-in for the accounts the load test uses: a password for this run and, where the roles require
  a second factor, an authenticator (``manage.py synth_password``, synthetic databases only);
* the server's environment: a throwaway 40+ character SECRET_KEY for the run, the settings module
  ``config.settings.loadtest``, and the static files collected with that module's storage.
The master and audit keys are the benchmark's (the Makefile's BENCH_ENV): the synthetic data was
encrypted and chained with them.
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError, OutputWrapper
from django.db import DEFAULT_DB_ALIAS, connections

from xuncha.accounts.models import User
from xuncha.accounts.twofactor import policy
from xuncha.synth.bench.issued import issue
from xuncha.synth.bench.picks import Picks, pick
from xuncha.synth.load import plan
from xuncha.synth.load.credentials import new_password, new_secret_key, totp_key
from xuncha.synth.management.commands.bench import Command as BenchCommand
from xuncha.synth.management.commands.bench import ensure_database
from xuncha.synth.models import SynthDataset

SETTINGS = "config.settings.loadtest"


@dataclass
class Prepared:
    picks: Picks
    dataset: SynthDataset
    vendor: str
    accounts: dict[str, list[User]]
    password: str
    keys: dict[str, str]  # username → authenticator secret (hex), for accounts that have one
    env: dict[str, str] = field(repr=False, default_factory=dict)


def prepare(*, scale: int, seed: int, static_root: Path, out: OutputWrapper) -> Prepared:
    if not (settings.XUNCHA_MASTER_KEYS or settings.XUNCHA_MASTER_KEY_FILE):
        raise CommandError("缺少基准测试的主密钥：请用 make loadtest 运行（它设置 BENCH_ENV）。")
    alias = DEFAULT_DB_ALIAS
    ensure_database(alias)
    call_command("migrate", database=alias, interactive=False, verbosity=0)
    # The bench's own rule for reusing or generating the scale's database (one place decides it).
    dataset = BenchCommand(stdout=out)._dataset(alias, {"scale": scale, "seed": seed, "as_of": None})
    picks = pick(alias)
    for written in issue(picks):
        out.write(f"  (issued for the load test: {written})")
    accounts = plan.accounts(picks)
    password = new_password()
    usernames = sorted({user.username for people in accounts.values() for user in people})
    call_command("synth_password", *usernames, password=password, authenticator=True, stdout=out)
    env = server_env(static_root)
    collect_static(env, static_root)
    return Prepared(
        picks=picks,
        dataset=dataset,
        vendor=connections[alias].vendor,
        accounts=accounts,
        password=password,
        keys=authenticator_keys(usernames, password),
        env=env,
    )


def authenticator_keys(usernames: list[str], password: str) -> dict[str, str]:
    keys = {}
    for user in User.objects.filter(username__in=usernames):
        device = policy.totp_device(user)
        if device is not None and device.key == totp_key(password, user.username):
            keys[user.username] = device.key
    return keys


def server_env(static_root: Path) -> dict[str, str]:
    """This process's environment (the database and the bench's keys) with the server's settings."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": SETTINGS,
        "DEBUG": "off",
        "SECRET_KEY": new_secret_key(),
        "STATIC_ROOT": str(static_root),
        # As deploy/xuncha.service runs it: two malloc arenas per worker, not one per thread
        # (glibc's default, 8 per core, keeps freed memory in each thread's arena).
        "MALLOC_ARENA_MAX": os.environ.get("MALLOC_ARENA_MAX", "2"),
    }


def collect_static(env: dict[str, str], static_root: Path) -> None:
    """collectstatic with the server's settings (hashed names; copies only what changed)."""
    static_root.mkdir(parents=True, exist_ok=True)
    subprocess.run(  # noqa: S603 - this interpreter and manage.py, fixed arguments
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
        cwd=settings.BASE_DIR,
        env=env,
        check=True,
    )
