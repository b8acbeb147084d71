"""Test support: copy the database's rows aside and put them back (tests only, never the app).

A transactional test (the browser tests' live server, the worker and concurrency tests) ends
with a flush that empties every table, the rows the data migrations loaded included (the
default focus lists, questionnaire and evaluation sheet). The root conftest keeps a copy of the
freshly migrated database and puts it back after each such test, so a later test in the same
process does not depend on which tests ran before it. The browser tests keep a copy of the
demo county the same way instead of seeding it for every test (tests/e2e/conftest.py).

PostgreSQL copies with ``COPY … (FORMAT BINARY)``, so every type comes back exactly as stored;
SQLite with plain SELECT and INSERT. Foreign keys are deferred to the commit on both databases,
so the order of the tables does not matter.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, transaction

Rows = dict[str, Any]


def _tables() -> list[str]:
    """Every model's table, auto-created many-to-many tables included."""
    return sorted({m._meta.db_table for m in apps.get_models(include_auto_created=True)})


def snapshot_tables() -> Rows:
    """Every model table's rows, as they are now."""
    rows: Rows = {}
    with connection.cursor() as cursor:
        for table in _tables():
            name = connection.ops.quote_name(table)
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {name} TO STDOUT (FORMAT BINARY)") as copy:
                    rows[table] = b"".join(bytes(chunk) for chunk in copy)
            else:
                cursor.execute(f"SELECT * FROM {name}")  # noqa: S608 (a model table's quoted name)
                rows[table] = ([c[0] for c in cursor.description], cursor.fetchall())
    return rows


def restore_tables(rows: Rows) -> None:
    """Make every table hold exactly the rows of ``rows``, with the same keys.

    A flush re-creates content types and permissions (with new keys), so every table is emptied
    first; deleting is much faster than truncating on PostgreSQL when the tables are small."""
    with transaction.atomic(), connection.cursor() as cursor:
        for table in rows:
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(table)}")  # noqa: S608 (as above)
        for table, data in rows.items():
            name = connection.ops.quote_name(table)
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {name} FROM STDIN (FORMAT BINARY)") as copy:
                    copy.write(data)
            elif data[1]:
                columns, values = data
                marks = ", ".join(["%s"] * len(columns))
                names = ", ".join(connection.ops.quote_name(c) for c in columns)
                sql = f"INSERT INTO {name} ({names}) VALUES ({marks})"  # noqa: S608 (quoted names, values bound)
                cursor.executemany(sql, values)
        models = apps.get_models(include_auto_created=True)
        for statement in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(statement)
    ContentType.objects.clear_cache()


# The demo county as the first caller of this process loaded it (see load_demo).
_DEMO: dict[str, Any] = {}


def load_demo() -> None:
    """Put the demo county (``manage.py demo_seed``) in the database.

    Seeding goes through every service and costs 4-8 s; a dozen modules need the demo, so the
    first caller of each test process seeds it and keeps a copy of the tables, and every later
    caller gets the copy back in well under a second. The stored files the demo wrote stay in
    the MEDIA_ROOT it wrote them to, so a different MEDIA_ROOT seeds afresh."""
    key = (connection.vendor, connection.settings_dict["NAME"], str(settings.MEDIA_ROOT))
    if _DEMO.get("key") == key:
        restore_tables(_DEMO["rows"])
        return
    call_command("demo_seed", verbosity=0)
    _DEMO.update(key=key, rows=snapshot_tables(), media_root=settings.MEDIA_ROOT)


def demo_media_root() -> Any:
    """Where the loaded demo's stored files are (a test that changed MEDIA_ROOT sets it back)."""
    return _DEMO["media_root"]


@contextmanager
def rolled_back(django_db_blocker: Any) -> Iterator[None]:
    """Database access for a module-scoped fixture, inside a transaction rolled back at its end:
    what the fixture builds once is seen by each test of the module (each in its own savepoint,
    pytest-django's ``db``) and gone afterwards."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
