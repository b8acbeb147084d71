"""Rows of the generator on their way into the database: per model, the columns worked out once
(``Table``), instances buffered per stage and turned into rows (``Sink``), written by COPY
(PostgreSQL, psycopg 3) or one prepared INSERT run over every row (SQLite).

``bulk_create`` spent two thirds of a county's time compiling SQL and adapting values field by
field (cProfile, one county: 30 of 46 s); here plain values are read with one ``attrgetter`` call
per row, and only the fields that need the database's form (dates on SQLite, JSON, decimals,
UUIDs on SQLite) go through ``get_db_prep_save``.
"""

from __future__ import annotations

import functools
import operator
import queue
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import Any

from django.db import connections, models

from xuncha.synth.bulk import Ids

COPY_ROWS = 50_000  # rows per executemany batch on SQLite (bounds the driver's memory)
# Field classes whose Python value is already what both drivers take (no conversion, no copy).
PLAIN_FIELDS = (
    models.AutoField,
    models.BigAutoField,
    models.SmallAutoField,
    models.BigIntegerField,
    models.BooleanField,
    models.CharField,
    models.IntegerField,
    models.PositiveBigIntegerField,
    models.PositiveIntegerField,
    models.PositiveSmallIntegerField,
    models.SmallIntegerField,
    models.TextField,
)


class Table:
    """How rows of one model become database values: the columns, and per row one ``attrgetter``
    call plus a conversion of the few fields that need one on this database."""

    def __init__(self, model: type[models.Model], alias: str, database_ids: bool = False) -> None:
        connection = connections[alias]
        fields = [f for f in model._meta.concrete_fields if not getattr(f, "generated", False)]
        if database_ids:  # the database numbers the rows
            fields = [f for f in fields if not f.primary_key]
        self.model, self.table = model, model._meta.db_table
        self.columns = [f.column for f in fields]
        self.get = operator.attrgetter(*(f.attname for f in fields))
        self.convert: list[tuple[int, Callable[[Any], Any]]] = [
            (i, db_value(f, connection)) for i, f in enumerate(fields) if not _plain(f, connection.vendor)
        ]

    def row(self, obj: models.Model) -> tuple:
        values = self.get(obj)
        if not self.convert:
            return values if isinstance(values, tuple) else (values,)
        out = list(values)
        for i, convert in self.convert:
            if out[i] is not None:
                out[i] = convert(out[i])
        return tuple(out)


def _plain(field: models.Field, vendor: str) -> bool:
    if type(field) in (models.ForeignKey, models.OneToOneField):
        return _plain(field.target_field, vendor)
    # PostgreSQL stores UUIDs natively: Django hands psycopg the UUID object as it is.
    return type(field) in PLAIN_FIELDS or (vendor == "postgresql" and type(field) is models.UUIDField)


def db_value(field: models.Field, connection: Any) -> Callable[[Any], Any]:
    """The field's value as Django sends it to this database (``get_db_prep_save``)."""

    def convert(value: Any) -> Any:
        return field.get_db_prep_save(value, connection)

    # Generated times fall on a few thousand distinct office hours and days per county, and turning
    # one into SQLite's text (or checking it for PostgreSQL) costs more than the rest of its row.
    if isinstance(field, (models.DateField, models.DecimalField)):  # DateTimeField is a DateField
        return functools.lru_cache(maxsize=1 << 16)(convert)
    return convert


class Sink:
    """Rows waiting to be written, per model. ``flush`` turns the buffered model instances into
    database rows (at the end of each stage, so instances not kept by a county are freed early);
    ``write`` sends them, in the caller's transaction."""

    def __init__(self, alias: str, ids: Ids | None = None) -> None:
        self.alias, self.ids = alias, ids
        self.rows: dict[type[models.Model], list[models.Model]] = defaultdict(list)
        self.ready: dict[type[models.Model], list[tuple]] = defaultdict(list)
        self.tables: dict[type[models.Model], Table] = {}
        self.written: dict[str, int] = defaultdict(int)
        self.seconds: dict[str, float] = defaultdict(float)  # write time per model label

    def add(self, obj: models.Model) -> models.Model:
        if obj.pk is None and self.ids is not None:  # many-to-many rows: ids from the county's block too
            obj.pk = self.ids.next(type(obj))
        self.rows[type(obj)].append(obj)
        return obj

    def extend(self, objs: Iterable[models.Model]) -> None:
        for obj in objs:
            self.add(obj)

    def table(self, model: type[models.Model]) -> Table:
        if model not in self.tables:
            self.tables[model] = Table(model, self.alias)
        return self.tables[model]

    def flush(self) -> None:
        for model, objs in self.rows.items():
            if objs:
                row = self.table(model).row
                self.ready[model].extend(map(row, objs))
                objs.clear()

    def write(self) -> None:
        """Every ready row into the database. Foreign keys are deferred on both databases (Django
        creates them DEFERRABLE INITIALLY DEFERRED), so the order of models does not matter."""
        self.flush()
        for model, rows in self.ready.items():
            if not rows:
                continue
            started = time.perf_counter()
            table = self.table(model)
            insert_rows(self.alias, table.table, table.columns, rows)
            label = model._meta.label
            self.seconds[label] += time.perf_counter() - started
            self.written[label] += len(rows)
        self.ready.clear()


def insert_rows(alias: str, table: str, columns: list[str], rows: Iterable[tuple]) -> None:
    """COPY on PostgreSQL (psycopg 3), one prepared INSERT over all rows on SQLite."""
    connection = connections[alias]
    quote = connection.ops.quote_name
    names = ", ".join(quote(c) for c in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.copy(f"COPY {quote(table)} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        marks = ", ".join(["%s"] * len(columns))
        sql = f"INSERT INTO {quote(table)} ({names}) VALUES ({marks})"  # noqa: S608 — names from the models
        batch: list[tuple] = []
        for row in rows:
            batch.append(row)
            if len(batch) >= COPY_ROWS:
                cursor.executemany(sql, batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)


# COPY's text format: a tab between columns, \N for NULL, and these four escaped.
COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t"})


def copy_text(values: Iterable[Any]) -> str:
    """Columns in COPY's text format (PostgreSQL parses each by its column's type): for values
    whose ``str`` PostgreSQL reads back as they were — numbers, text, aware datetimes, JSON text."""
    return "\t".join(
        ["\\N" if v is None else v.translate(COPY_ESCAPES) if v.__class__ is str else str(v) for v in values]
    )


def copy_lines(alias: str, table: str, columns: list[str], lines: list[str]) -> None:
    """Lines of COPY text (``copy_text``) into a PostgreSQL table, in one COPY."""
    quote = connections[alias].ops.quote_name
    sql = f"COPY {quote(table)} ({', '.join(quote(c) for c in columns)}) FROM STDIN"
    with connections[alias].cursor() as cursor, cursor.copy(sql) as copy:
        copy.write("".join(lines))


class ParallelCopy:
    """Lines of COPY text for one PostgreSQL table, written by ``threads`` connections at once, each
    batch one COPY in autocommit (its foreign keys, if any, checked when it ends): the server's
    side of a COPY into a table with its indexes costs about three times the producer's side, and
    two backends take it in turns while the producer goes on. A failed batch stops the next
    ``put`` with its error; batches already written stay."""

    def __init__(self, alias: str, table: str, columns: list[str], threads: int = 2) -> None:
        self.alias, self.table, self.columns = alias, table, columns
        self.queue: queue.Queue[list[str] | None] = queue.Queue(maxsize=2 * threads)
        self.error: BaseException | None = None
        self.threads = [threading.Thread(target=self._run, daemon=True) for _ in range(threads)]
        for thread in self.threads:
            thread.start()

    def put(self, lines: list[str]) -> None:
        if self.error is not None:
            raise self.error
        self.queue.put(lines)

    def close(self) -> None:
        for _thread in self.threads:
            self.queue.put(None)
        for thread in self.threads:
            thread.join()
        if self.error is not None:
            raise self.error

    def _run(self) -> None:
        try:
            while (lines := self.queue.get()) is not None:
                if self.error is None:  # after a failure: drain, so that put() never blocks
                    copy_lines(self.alias, self.table, self.columns, lines)
        except BaseException as exc:  # handed to the producer by put() or close()
            self.error = exc
            while self.queue.get() is not None:
                pass
        finally:
            connections[self.alias].close()  # this thread's own connection
