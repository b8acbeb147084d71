"""The generator in worker processes: the same rows as one process makes, a valid audit chain, and
(on PostgreSQL) the indexes and constraints set aside for the load made again as the migrations
made them. Each run goes into its own copy of the freshly migrated test database, through
``manage.py`` in a subprocess, as it runs for the benchmark."""

from __future__ import annotations

import os
import re
import sqlite3
import subprocess
import sys
from collections.abc import Iterator

import psycopg
import pytest
from django.conf import settings
from django.db import connection

from xuncha.synth.tests.conftest import AS_OF

POSTGRESQL = "postgresql" in settings.DATABASES["default"]["ENGINE"]
SCHEMA = """
SELECT tablename || ' ' || indexname || ' ' || indexdef FROM pg_indexes WHERE schemaname = current_schema()
UNION ALL
SELECT conrelid::regclass || ' ' || conname || ' ' || pg_get_constraintdef(oid) || ' ' || convalidated
FROM pg_constraint WHERE connamespace = current_schema()::regnamespace
ORDER BY 1
"""


def _pg_url(name: str) -> str:
    db = settings.DATABASES["default"]
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{name}"


def _pg_admin() -> psycopg.Connection:
    return psycopg.connect(_pg_url("postgres"), autocommit=True)


@pytest.fixture
def copies(transactional_db, tmp_path) -> Iterator[list[str]]:
    """Two copies of the migrated test database, as DATABASE_URLs."""
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        urls = []
        for name in ("one", "two"):
            target = sqlite3.connect(tmp_path / f"{name}.sqlite3")
            connection.connection.backup(target)
            target.close()
            urls.append(f"sqlite:///{tmp_path / name}.sqlite3")
        yield urls
        return
    template = connection.settings_dict["NAME"]
    names = [f"{template}_synth_{name}" for name in ("one", "two")]
    # Copied by pg_dump, not CREATE DATABASE … TEMPLATE: that needs the template without other
    # sessions, and the e2e tests' live server (session-scoped) keeps one open in this worker.
    dump = subprocess.run(  # noqa: S603 - fixed arguments, the test database
        ["pg_dump", "--no-owner", "--no-privileges", _pg_url(template)], capture_output=True, check=True
    ).stdout
    with _pg_admin() as admin:
        for name in names:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            admin.execute(f'CREATE DATABASE "{name}" TEMPLATE template0')
    for name in names:
        subprocess.run(  # noqa: S603 - fixed arguments
            ["psql", "-q", "-v", "ON_ERROR_STOP=1", _pg_url(name)], input=dump, capture_output=True, check=True
        )
    yield [_pg_url(name) for name in names]
    with _pg_admin() as admin:
        for name in names:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _manage(url: str, *args: str) -> str:
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "config.settings.test"}
    result = subprocess.run(
        [sys.executable, "manage.py", *args], env=env, cwd=settings.BASE_DIR, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


def _synth(url: str, workers: int) -> tuple[str, str]:
    out = _manage(url, "synth", "--counties", "3", "--tiny", "--seed", "7", "--as-of", AS_OF.isoformat(),
                  "--workers", str(workers), "--digest")  # fmt: skip
    assert f"{workers} 个进程" in out  # the run did use that many processes
    match = re.search(r"^digest (\w+) rows (\d+)$", out, re.MULTILINE)
    assert match, out
    rows = "\n".join(line for line in out.splitlines() if re.match(r"^ {4}\w+\.\w+ +\d+$", line))
    return match.group(1), rows


def test_two_workers_make_the_rows_one_process_makes(copies):
    serial, parallel = copies
    digest_one, rows_one = _synth(serial, workers=1)
    digest_two, rows_two = _synth(parallel, workers=2)
    assert "fieldwork.WorkingPaper" in rows_one and "audit.AuditEntry" in rows_one
    assert rows_two == rows_one  # rows per model
    assert digest_two == digest_one  # every column of every row, ids included
    assert "审计链完好" in _manage(parallel, "audit_verify")


@pytest.mark.skipif(not POSTGRESQL, reason="indexes are set aside on PostgreSQL only")
def test_indexes_set_aside_for_the_load_come_back_as_migrated(copies):
    _synth(copies[0], workers=2)
    schemas = []
    # Against the other copy, restored the same way and left alone: the schema as migrated.
    for url in copies:
        with psycopg.connect(url) as db:
            schemas.append([row[0] for row in db.execute(SCHEMA).fetchall()])
    generated, migrated = schemas
    assert any("audit_auditentry_hash_key" in line for line in generated)
    assert generated == migrated
