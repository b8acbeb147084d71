"""Ids and instances for the generator, and what a bulk load needs around it.

Ids are assigned before insertion so that rows can point at each other, sealed report content can
name its report id and audit rows can name their targets, all without a read-back. Each county
takes its ids from its own block (``IdBlocks``): the ids of county *k* do not depend on how many
rows the counties before it made, so counties can be generated in any order, by any number of
processes, and still get the same ids. PostgreSQL's sequences are moved past the new ids at the end
(``reset_sequences``). The rows themselves go in through ``sink``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from datetime import time as dtime
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.management.color import no_style
from django.db import connections, models
from django.db.models import Max
from django.db.models.base import ModelState

TZ = ZoneInfo(settings.TIME_ZONE)
M = TypeVar("M", bound=models.Model)
# Ids per county and model: a county of the default sizes makes at most ≈ 40,000 rows of one model
# (task updates), so a county's rows are easy to tell apart by id (id // BLOCK).
BLOCK = 1_000_000


def at(day: date, hour: int = 9, minute: int = 0) -> datetime:
    """An aware datetime on ``day`` (office hours, local time)."""
    return datetime.combine(day, dtime(hour, minute), tzinfo=TZ)


@dataclass(frozen=True)
class IdBlocks:
    """Where each model's new ids start in one database: ``base`` (max id + 1 when the run began)
    and a block of ``BLOCK`` ids per slot. Slot 0 holds the rows shared by the run (province,
    cities), slot *n* the n-th county of the run. Picklable: worker processes get a copy."""

    base: dict[str, int]
    block: int = BLOCK

    @classmethod
    def read(cls, alias: str, model_list: Iterable[type[models.Model]]) -> IdBlocks:
        base = {}
        for model in model_list:
            top = model._default_manager.using(alias).aggregate(m=Max("pk"))["m"]
            base[model._meta.label] = (top or 0) + 1
        return cls(base)

    def ids(self, slot: int) -> Ids:
        return Ids(self, slot)


class Ids:
    """The next free primary key per model within one slot of ``IdBlocks``."""

    def __init__(self, blocks: IdBlocks, slot: int) -> None:
        self.blocks, self.slot = blocks, slot
        self._next: dict[type[models.Model], int] = {}

    def next(self, model: type[models.Model]) -> int:
        value = self._next.get(model)
        if value is None:
            value = self.blocks.base[model._meta.label] + self.slot * self.blocks.block
        if value >= self.blocks.base[model._meta.label] + (self.slot + 1) * self.blocks.block:
            raise OverflowError(f"{model._meta.label}: more than {self.blocks.block} rows in one county")
        self._next[model] = value + 1
        return value


class _Maker:
    """What ``new`` needs of one model: defaults by attribute name, relations by field name."""

    def __init__(self, model: type[models.Model]) -> None:
        fields = model._meta.concrete_fields
        computed = [f for f in fields if f.has_default() and callable(f.default)]  # list, dict, uuid4
        self.defaults = {f.attname: f.get_default() for f in fields if f not in computed}
        self.computed = [(f.attname, f.name, f.get_default) for f in computed]
        # field name → (attribute for the id, the instance cache's key, the id's attribute on the target)
        self.relations = {f.name: (f.attname, f.cache_name, f.target_field.attname) for f in fields if f.is_relation}
        self.names = {f.attname for f in fields}
        self.pk = model._meta.pk.attname


_MAKERS: dict[type[models.Model], _Maker] = {}


def new(model: type[M], /, **values: Any) -> M:
    """``model(**values)`` at a quarter of the cost: the generator makes ≈ 190,000 instances per
    county, and ``Model.__init__`` (a descriptor call per field, a router check per relation) was a
    third of a county's time. Takes what the generator passes: field values by field or attribute
    name, related instances (kept in the instance's cache, as ``__init__`` keeps them), ``pk``.
    The models have no ``__init__`` of their own and nothing listens to ``pre_init``/``post_init``
    (a test holds both)."""
    maker = _MAKERS.get(model)
    if maker is None:
        maker = _MAKERS[model] = _Maker(model)
    obj = model.__new__(model)
    state = obj._state = ModelState()
    attrs = obj.__dict__
    attrs.update(maker.defaults)
    for attname, name, default in maker.computed:
        if attname not in values and name not in values:
            attrs[attname] = default()
    for name, value in values.items():
        relation = maker.relations.get(name)
        if relation is not None:
            attname, cache_name, target = relation
            attrs[attname] = None if value is None else getattr(value, target)
            state.fields_cache[cache_name] = value
        elif name in maker.names:
            attrs[name] = value
        elif name == "pk":
            attrs[maker.pk] = value
        else:
            raise TypeError(f"{model.__name__}: unexpected field {name!r}")
    return obj


def db_tables(model_list: Iterable[type[models.Model]]) -> set[str]:
    """The models' tables and those of their many-to-many fields."""
    tables = {m._meta.db_table for m in model_list}
    return tables | {f.remote_field.through._meta.db_table for m in model_list for f in m._meta.local_many_to_many}


def id_models(model_list: Iterable[type[models.Model]]) -> list[type[models.Model]]:
    """The models with integer ids handed out by ``Ids``, many-to-many tables included."""
    out = []
    for model in model_list:
        out.append(model)
        out.extend(f.remote_field.through for f in model._meta.local_many_to_many)
    return [m for m in out if isinstance(m._meta.pk, models.IntegerField)]  # every integer and auto field


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


def vacuum_analyze(alias: str, model_list: Iterable[type[models.Model]], threads: int = 1) -> None:
    """VACUUM ANALYZE after a bulk load (PostgreSQL; SQLite's planner needs nothing here), on
    ``threads`` connections at once, largest tables first.

    A database in use has had autovacuum through it: planner statistics, and visibility maps that
    let counts run as index-only scans (the audit log's count over one county: 2 ms after a
    vacuum, 360 ms by a sequential scan before). A benchmark straight after generation would
    otherwise measure a state no real installation is in.
    """
    connection = connections[alias]
    if connection.vendor != "postgresql":
        return
    tables = db_tables(model_list)
    with connection.cursor() as cursor:
        cursor.execute("SELECT relname FROM pg_class WHERE relkind = 'r' ORDER BY pg_relation_size(oid) DESC, relname")
        ordered = [name for (name,) in cursor.fetchall() if name in tables]

    def vacuum(alias: str, table: str) -> None:
        with connections[alias].cursor() as cursor:
            cursor.execute(f'VACUUM ANALYZE "{table}"')

    in_threads(alias, vacuum, ordered, threads)


def in_threads(alias: str, work: Callable[[str, str], None], items: list[str], threads: int) -> None:
    """``work(alias, item)`` for each item on ``threads`` threads at once (PostgreSQL runs each
    statement in its own backend), each thread with its own connection (Django's are per thread),
    closed after each item; in the caller's thread and connection when ``threads`` is 1."""
    if threads <= 1:
        for item in items:
            work(alias, item)
        return

    def one(item: str) -> None:
        try:
            work(alias, item)
        finally:
            connections[alias].close()

    with ThreadPoolExecutor(threads) as pool:
        list(pool.map(one, items))
