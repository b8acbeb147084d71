"""Secondary indexes and constraints set aside while the generator loads a PostgreSQL database, and
made again afterwards, as ``pg_restore`` does: a B-tree built by one sort costs a fraction of
millions of inserts at random places, and a foreign key validated by one join a fraction of a check
per row.

Measured on this machine (the audit log's 770,000 rows of ten counties, COPY): 32 s into an empty
table with its ten indexes, 83 s into a table that already holds 6.9 million rows (what the last
tenth of scale 100 meets), 5 s with no index; the ten indexes then build in ≈ 20 s over 770,000
rows and ≈ 100 s over 6.9 million.

What is dropped is read from the catalogue and put back from the catalogue's own definitions
(``pg_get_indexdef``, ``pg_get_constraintdef``): the same names and the same definitions, so the
schema is the one the migrations made. Primary keys stay (rows point at them while loading), and so
does anything another table's foreign key relies on. Foreign keys come back ``NOT VALID`` and are
then validated, which lets several validations run at once.

SQLite keeps its unique and foreign-key constraints in the table's definition: there the indexes
made by ``CREATE INDEX`` are set aside, the loading connections turn foreign-key enforcement off
(``constraint_checks_disabled``, as ``loaddata`` does) and every table is checked at the end
(``check_constraints``: ``PRAGMA foreign_key_check``).
"""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from typing import Any

from django.db import connections

from xuncha.synth.bulk import in_threads

# Foreign keys and unique constraints defined on the tables (not those another key relies on).
CONSTRAINTS = """
SELECT t.relname, c.conname, pg_get_constraintdef(c.oid), c.contype
FROM pg_constraint c
JOIN pg_class t ON t.oid = c.conrelid
JOIN pg_namespace n ON n.oid = t.relnamespace AND n.nspname = current_schema()
WHERE t.relname = ANY(%s) AND c.contype IN ('f', 'u')
  AND NOT (c.contype = 'u' AND EXISTS (SELECT 1 FROM pg_constraint r WHERE r.contype = 'f' AND r.conindid = c.conindid))
ORDER BY t.relname, c.conname
"""
# Indexes of the tables that back no constraint (not the primary key, not a unique constraint) and
# that no foreign key relies on. Partial indexes stay: they hold a fraction of the rows, and their
# condition as pg_get_indexdef prints it does not read back to the same definition.
INDEXES = """
SELECT t.relname, i.relname, pg_get_indexdef(i.oid)
FROM pg_index x
JOIN pg_class i ON i.oid = x.indexrelid
JOIN pg_class t ON t.oid = x.indrelid
JOIN pg_namespace n ON n.oid = t.relnamespace AND n.nspname = current_schema()
WHERE t.relname = ANY(%s)
  AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid AND c.conrelid = x.indrelid)
  AND NOT EXISTS (SELECT 1 FROM pg_constraint f WHERE f.contype = 'f' AND f.conindid = x.indexrelid)
  AND x.indpred IS NULL
ORDER BY t.relname, i.relname
"""
# SQLite: the indexes made by CREATE INDEX (those of UNIQUE and PRIMARY KEY have no statement).
SQLITE_INDEXES = (
    "SELECT tbl_name, name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN"
)
# Per connection that rebuilds: sorts in memory up to this size, then on disk.
SORT_MEMORY = "128MB"


@dataclass
class SetAside:
    """What was dropped, as (table, statement that makes it again), and the tables whose foreign
    keys are to be checked."""

    tables: list[str]
    indexes: list[tuple[str, str]] = field(default_factory=list)  # CREATE [UNIQUE] INDEX …, ADD … UNIQUE
    foreign: list[tuple[str, str, str]] = field(default_factory=list)  # (table, name, definition)


def set_aside(alias: str, tables: Iterable[str]) -> SetAside:
    """Drop the tables' secondary indexes (and on PostgreSQL their constraints), committed: the
    processes that load see the tables without them."""
    aside = SetAside(sorted(set(tables)))
    connection = connections[alias]
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            marks = ", ".join(["%s"] * len(aside.tables))
            cursor.execute(f"{SQLITE_INDEXES} ({marks})", aside.tables)
            for table, name, definition in cursor.fetchall():
                cursor.execute(f"DROP INDEX {quote(name)}")
                aside.indexes.append((table, definition))
            return aside
        cursor.execute(CONSTRAINTS, [aside.tables])
        constraints = cursor.fetchall()
        cursor.execute(INDEXES, [aside.tables])
        indexes = cursor.fetchall()
        # Foreign keys first: a unique constraint or index may not go while a key still uses it.
        for table, name, definition, kind in sorted(constraints, key=lambda c: c[3] != "f"):
            cursor.execute(f"ALTER TABLE {quote(table)} DROP CONSTRAINT {quote(name)}")
            if kind == "f":
                aside.foreign.append((table, name, definition))
            else:
                add = f"ALTER TABLE {quote(table)} ADD CONSTRAINT {quote(name)} {definition}"
                aside.indexes.append((table, add))
        for table, name, definition in indexes:
            cursor.execute(f"DROP INDEX {quote(name)}")
            aside.indexes.append((table, definition))
    return aside


def checks_off(alias: str, aside: bool) -> AbstractContextManager[Any]:
    """For a loading connection while indexes are set aside: SQLite enforces foreign keys per row
    (PostgreSQL's are dropped meanwhile); ``restore`` checks them all at the end."""
    connection = connections[alias]
    if aside and connection.vendor == "sqlite":
        return connection.constraint_checks_disabled()
    return nullcontext()


def restore(alias: str, aside: SetAside, threads: int = 2) -> None:
    """Indexes and unique constraints on ``threads`` connections at once, the largest tables
    first; then the foreign keys, added unvalidated one by one (each locks two tables for a
    moment) and validated side by side."""
    connection = connections[alias]
    if connection.vendor == "sqlite":  # one writer: one statement after the other
        in_threads(alias, _maintenance, [sql for _table, sql in aside.indexes], 1)
        connection.check_constraints(table_names=aside.tables)
        return
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute("SELECT relname, pg_relation_size(oid) FROM pg_class WHERE relkind = 'r'")
        size = dict(cursor.fetchall())
    indexes = [sql for table, sql in sorted(aside.indexes, key=lambda i: -size.get(i[0], 0))]
    in_threads(alias, _maintenance, indexes, threads)
    with connections[alias].cursor() as cursor:
        for table, name, definition in aside.foreign:
            cursor.execute(f"ALTER TABLE {quote(table)} ADD CONSTRAINT {quote(name)} {definition} NOT VALID")
    foreign = sorted(aside.foreign, key=lambda f: -size.get(f[0], 0))
    validate = [f"ALTER TABLE {quote(t)} VALIDATE CONSTRAINT {quote(n)}" for t, n, _d in foreign]
    in_threads(alias, _maintenance, validate, threads)


def _maintenance(alias: str, sql: str) -> None:
    with connections[alias].cursor() as cursor:
        if connections[alias].vendor == "postgresql":
            cursor.execute(f"SET maintenance_work_mem = '{SORT_MEMORY}'")
        cursor.execute(sql)
