"""Bulk writing for the generator: ids handed out in Python, rows buffered per model.

Ids are assigned before insertion (max id + 1 onwards) so that rows can point at each other,
sealed report content can name its report id and audit rows can name their targets, all without
a read-back. PostgreSQL's sequences are moved past the new ids at the end (``reset_sequences``).
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import date, datetime
from datetime import time as dtime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.management.color import no_style
from django.db import connections, models
from django.db.models import Max

BATCH_SIZE = 2000
TZ = ZoneInfo(settings.TIME_ZONE)


def at(day: date, hour: int = 9, minute: int = 0) -> datetime:
    """An aware datetime on ``day`` (office hours, local time)."""
    return datetime.combine(day, dtime(hour, minute), tzinfo=TZ)


class Ids:
    """The next free primary key per model in one database, starting after what is there."""

    def __init__(self, alias: str) -> None:
        self.alias = alias
        self._next: dict[type[models.Model], int] = {}

    def next(self, model: type[models.Model]) -> int:
        if model not in self._next:
            top = model._default_manager.using(self.alias).aggregate(m=Max("pk"))["m"] or 0
            self._next[model] = top + 1
        value = self._next[model]
        self._next[model] = value + 1
        return value


class Sink:
    """Rows waiting to be inserted, per model; ``flush`` writes them with ``bulk_create``."""

    def __init__(self, alias: str) -> None:
        self.alias = alias
        self.rows: dict[type[models.Model], list[models.Model]] = defaultdict(list)
        self.written: dict[str, int] = defaultdict(int)
        self.seconds: dict[str, float] = defaultdict(float)  # insert time per model label

    def add(self, obj: models.Model) -> models.Model:
        self.rows[type(obj)].append(obj)
        return obj

    def extend(self, objs: Iterable[models.Model]) -> None:
        for obj in objs:
            self.add(obj)

    def flush(self) -> None:
        # Foreign keys are deferred on both databases (Django creates them DEFERRABLE INITIALLY
        # DEFERRED), so the order of models inside the caller's transaction does not matter.
        for model, objs in list(self.rows.items()):
            if not objs:
                continue
            started = time.perf_counter()
            model._default_manager.using(self.alias).bulk_create(objs, batch_size=BATCH_SIZE)
            label = model._meta.label
            self.seconds[label] += time.perf_counter() - started
            self.written[label] += len(objs)
            objs.clear()


@contextmanager
def explicit_timestamps(model_list: Iterable[type[models.Model]]) -> Iterator[None]:
    """Let rows carry their own ``created_at``/``updated_at`` (history spread over five years).

    ``auto_now``/``auto_now_add`` would stamp every row with the generation time, and the lists
    ordered by creation time would then show data in insertion order. Restored on exit.
    """
    saved = []
    for model in model_list:
        for field in model._meta.concrete_fields:
            if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                saved.append((field, field.auto_now, field.auto_now_add))
                field.auto_now = field.auto_now_add = False
    try:
        yield
    finally:
        for field, now, now_add in saved:
            field.auto_now, field.auto_now_add = now, now_add


def reset_sequences(alias: str, model_list: Iterable[type[models.Model]]) -> None:
    """Move PostgreSQL's id sequences past explicitly inserted ids (a no-op on SQLite)."""
    connection = connections[alias]
    statements = connection.ops.sequence_reset_sql(no_style(), list(model_list))
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)


def vacuum_analyze(alias: str, model_list: Iterable[type[models.Model]]) -> None:
    """VACUUM ANALYZE after a bulk load (PostgreSQL; SQLite's planner needs nothing here).

    A database in use has had autovacuum through it: planner statistics, and visibility maps that
    let counts run as index-only scans (the audit log's count over one county: 2 ms after a
    vacuum, 360 ms by a sequential scan before). A benchmark straight after generation would
    otherwise measure a state no real installation is in.
    """
    connection = connections[alias]
    if connection.vendor != "postgresql":
        return
    tables = {m._meta.db_table for m in model_list}
    tables |= {f.remote_field.through._meta.db_table for m in model_list for f in m._meta.local_many_to_many}
    with connection.cursor() as cursor:
        for table in sorted(tables):
            cursor.execute(f'VACUUM ANALYZE "{table}"')
