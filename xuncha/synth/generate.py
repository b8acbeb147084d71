"""The generator: the rows a run shares (province, cities), then the counties — in worker
processes when the database allows it — then the audit chain over all of them, then the steps that
follow a bulk load (``POST_STEPS``).

Every county draws from its own ``random.Random(f"{seed}:{index}")`` and takes its ids from its own
block (``bulk.IdBlocks``), so a county's data depends only on the seed, its index, ``as_of`` and
what the database held when the run began: the same on SQLite and PostgreSQL, the same with one
process or several, and the same whether it was generated alone or after others (``--append``).
Each county is written in its own transaction; its audit events wait in a file until every county
is in, and are then chained in time order in one pass (``audit.AuditChain``).
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from functools import partial
from pathlib import Path
from typing import TypeVar

from django.db import connections, transaction
from django.utils import timezone

from xuncha.accounts.models import OrgUnit, Person, Post, Relationship, RoleAssignment, User
from xuncha.analytics.rollups import rebuild_rollups
from xuncha.audit.models import AuditEntry
from xuncha.fieldwork.models import FieldRecord, FixEvent, FixNotice, PaperEvent, PaperEvidence, WorkingPaper
from xuncha.files.models import StoredFile
from xuncha.findings.models import (
    DraftEvent,
    Feedback,
    FeedbackCopy,
    InspectionReport,
    Problem,
    ReportVersion,
    ReviewDecision,
)
from xuncha.intake.models import Report, ReportEvent, ReportMessage
from xuncha.notify.models import Notification
from xuncha.plans.demo import TAGS
from xuncha.plans.models import (
    Announcement,
    Briefing,
    ExpertiseTag,
    PoolEntry,
    Round,
    RoundEvent,
    RoundTarget,
    Team,
    TeamMember,
    TermPlan,
    TermPlanUnit,
    TrainingRecord,
)
from xuncha.rectification import models as rect
from xuncha.synth import org
from xuncha.synth.audit import COLUMNS, AuditChain, AuditLog
from xuncha.synth.bulk import IdBlocks, db_tables, explicit_timestamps, id_models, reset_sequences, vacuum_analyze
from xuncha.synth.context import Run, Sizes
from xuncha.synth.county import CountyResult, Layout, peak_rss_mb, run_counties, stage_sums
from xuncha.synth.indexes import SetAside, checks_off, restore, set_aside
from xuncha.synth.models import SynthDataset
from xuncha.synth.sink import ParallelCopy, Sink, copy_lines, insert_rows
from xuncha.transfers.models import Transfer, TransferEvent

MODELS = [
    OrgUnit, Person, Post, Relationship, User, RoleAssignment, PoolEntry, TrainingRecord, TermPlan, TermPlanUnit,
    Round, RoundEvent, RoundTarget, Team, TeamMember, Announcement, Briefing, FieldRecord, WorkingPaper,
    PaperEvidence, PaperEvent, FixNotice, FixEvent, StoredFile, Report, ReportEvent, ReportMessage, Problem,
    InspectionReport, ReportVersion, ReviewDecision, DraftEvent, Feedback, FeedbackCopy, Transfer, TransferEvent,
    rect.RectificationPlan, rect.PlanEvent, rect.Task, rect.TaskEvent, rect.TaskUpdate, rect.PlanReview,
    rect.LifeMeeting, rect.PlanReport, rect.LeaderAssignment, rect.LeaderComment, rect.Campaign, rect.CampaignReport,
    rect.EscalationLetter, rect.ReturnVisit, rect.VisitFinding, rect.Evaluation, rect.Accountability, rect.Mechanism,
    rect.MoneyRecovery, rect.Disclosure,
    Notification, AuditEntry,
]  # fmt: skip
T = TypeVar("T")


class SynthRefused(Exception):
    """The database already holds data and the caller did not ask to append, or asked to append to
    a database the generator did not make."""


NOT_SYNTHETIC = (
    "该数据库中的数据不是合成数据（没有 SynthDataset 标记），可能是真实的巡察数据：拒绝向其中追加合成数据。"
    "请换一个合成或测试数据库；确属可以写入假数据的测试库时，加 --allow-non-synthetic。"
)


def _has_table(alias: str, model: type) -> bool:
    return model._meta.db_table in connections[alias].introspection.table_names()


def database_has_data(alias: str) -> bool:
    return OrgUnit.objects.using(alias).exists() or User.objects.using(alias).exists()


def database_is_synthetic(alias: str) -> bool:
    """A generator run (``SynthDataset``) marks the database: its data is fake and may be added to."""
    return _has_table(alias, SynthDataset) and SynthDataset.objects.using(alias).exists()


def check_append(alias: str, *, allow_non_synthetic: bool = False) -> None:
    """Appending writes fake people, reports and audit rows next to what is there, so only into a
    database the generator made, unless the caller says explicitly that this one may take them."""
    if allow_non_synthetic or not _has_table(alias, OrgUnit) or not database_has_data(alias):
        return
    if not database_is_synthetic(alias):
        raise SynthRefused(NOT_SYNTHETIC)


def generate(
    *,
    alias: str = "default",
    counties: int,
    seed: int = 2026,
    as_of: date | None = None,
    sizes: Sizes | None = None,
    append: bool = False,
    allow_non_synthetic: bool = False,
    progress: Callable[[int, dict[str, float]], None] | None = None,
    workers: int | None = None,
) -> SynthDataset:
    """``workers``: processes generating counties (default: one per CPU); one when the caller holds
    a transaction or the database lives in memory, which other processes cannot see."""
    if database_has_data(alias):
        if not append:
            raise SynthRefused("数据库中已有数据：加 --append 在其后追加合成数据，或换一个空数据库。")
        check_append(alias, allow_non_synthetic=allow_non_synthetic)
    sizes, as_of = sizes or Sizes(), as_of or timezone.localdate()
    first = sum(d.counties for d in SynthDataset.objects.using(alias).filter(finished_at__isnull=False))
    dataset = SynthDataset.objects.using(alias).create(
        seed=seed, counties=counties, first_county=first, as_of=as_of, sizes=sizes.as_dict(),
        vendor=connections[alias].vendor, started_at=timezone.now(),
    )  # fmt: skip
    workers = usable_workers(alias, counties, workers)
    timings: dict[str, float] = defaultdict(float)
    started, cpu = time.perf_counter(), time.process_time()
    spool_dir = Path(tempfile.mkdtemp(prefix="xuncha-synth-"))
    try:
        with explicit_timestamps(MODELS):
            shared_rows = partial(_shared, alias, seed, as_of, sizes, first, counties, spool_dir)
            layout, shared = _timed(timings, "shared", shared_rows)
            aside = _timed(timings, "indexes", partial(_set_aside, alias, counties, first))
            layout = replace(layout, aside=aside is not None)
            try:
                results = _timed(timings, "counties", lambda: run_counties(layout, workers, progress))
                timings["rss_counties_mb"] = peak_rss_mb()  # this process's, while the workers ran
                spools = [shared.spool, *(r.spool for r in results)]
                audit_rows = _timed(timings, "audit", lambda: _audit(alias, spools, layout.aside))
            finally:
                if aside is not None:
                    _timed(timings, "indexes", partial(restore, alias, aside, threads=os.cpu_count() or 1))
        for name, step in POST_STEPS:
            _timed(timings, name, partial(step, alias))
    finally:
        shutil.rmtree(spool_dir, ignore_errors=True)
    timings["total"] = time.perf_counter() - started
    _summarise(timings, results, workers, counties, time.process_time() - cpu)
    dataset.timings = {k: round(v, 2) for k, v in timings.items()}
    dataset.rows = _rows([shared, *results], audit_rows)
    dataset.finished_at = timezone.now()
    dataset.save(using=alias)
    return dataset


def usable_workers(alias: str, counties: int, asked: int | None) -> int:
    connection = connections[alias]
    in_memory = connection.vendor == "sqlite" and connection.is_in_memory_db()
    if connection.in_atomic_block or in_memory:
        return 1  # the caller's uncommitted rows (or a private database) are invisible to other processes
    return max(1, min(asked or os.cpu_count() or 1, counties))


def _set_aside(alias: str, counties: int, first: int) -> SetAside | None:
    """Load without secondary indexes and foreign-key checks (``indexes``) when the run at least
    doubles what the database holds, outside a caller's transaction (it could not see them come
    back); an append of a few counties goes into the indexes as they are."""
    if counties < first or connections[alias].in_atomic_block:
        return None
    return set_aside(alias, db_tables(MODELS))


def _timed(timings: dict[str, float], name: str, work: Callable[[], T]) -> T:
    started = time.perf_counter()
    out = work()
    timings[name] += time.perf_counter() - started
    return out


def _shared(
    alias: str, seed: int, as_of: date, sizes: Sizes, first: int, counties: int, spool_dir: Path
) -> tuple[Layout, CountyResult]:
    """The province and the cities (with their office accounts) the run needs, and a place in the
    tree for each county, committed before any county starts: workers read them from the database."""
    blocks = IdBlocks.read(alias, id_models(MODELS))
    ids = blocks.ids(0)
    run = Run(
        alias=alias, seed=seed, as_of=as_of, sizes=sizes, ids=ids, sink=Sink(alias, ids), audit=AuditLog(alias, -1)
    )
    tree = org.Tree()
    paths = {}
    with transaction.atomic(using=alias):
        tags = [ExpertiseTag.objects.using(alias).get_or_create(name=name)[0] for name in TAGS]
        for index in range(first, first + counties):
            _province, city = org.province_and_city(run, tree, index)
            paths[index] = tree.reserve(run, city)
        run.sink.write()
        tree.save_grown(alias)
    spool = run.audit.spool(spool_dir / "shared.pickle")
    layout = Layout(alias, seed, as_of, sizes, blocks, first, tags, paths, str(spool_dir))
    return layout, CountyResult(-1, {}, dict(run.sink.written), spool, 0.0, 0.0)


# --- after the counties ----------------------------------------------------------------------------


def _audit(alias: str, spools: list[Path], aside: bool) -> int:
    """Every county's audit events, merged in time order and chained. On PostgreSQL outside a
    transaction, two connections write the chained batches (each a COPY that commits), and the
    head moves once all rows are in; otherwise all in one transaction."""
    chain = AuditChain(alias)
    connection = connections[alias]
    table = AuditEntry._meta.db_table
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        copy = ParallelCopy(alias, table, COLUMNS, threads=2)
        try:
            count = chain.write(spools, copy.put)
        finally:
            copy.close()
        with transaction.atomic(using=alias):
            chain.save_head()
        return count
    insert = copy_lines if connection.vendor == "postgresql" else insert_rows
    with checks_off(alias, aside), transaction.atomic(using=alias):
        count = chain.write(spools, partial(insert, alias, table, COLUMNS))
        chain.save_head()
    return count


def _sequences(alias: str) -> None:
    reset_sequences(alias, id_models(MODELS))


def _vacuum(alias: str) -> None:
    # VACUUM cannot run inside a transaction: skipped when the caller holds one (tests).
    if not connections[alias].in_atomic_block:
        vacuum_analyze(alias, MODELS, threads=os.cpu_count() or 1)


# What follows the load, in order, each timed under its name. The statistics rollups are recounted
# from the new rows (else the first statistics page after a run would do it), before the vacuum
# that analyses the tables.
POST_STEPS: list[tuple[str, Callable[[str], object]]] = [
    ("sequences", _sequences),
    ("rollups", rebuild_rollups),
    ("vacuum", _vacuum),
]


def _summarise(
    timings: dict[str, float], results: list[CountyResult], workers: int, counties: int, parent_cpu: float
) -> None:
    """Stage sums, CPU per county (the generator's processes; the database server's is not in it)
    and peak memory: the larger of this process's peak and, while the workers ran, this process's
    peak then plus each worker's peak (an upper bound: pages shared since the fork count twice)."""
    timings.update(stage_sums(results))
    county_cpu = sum(r.cpu for r in results) if workers > 1 else 0.0  # else in this process's
    timings["cpu"] = parent_cpu + county_cpu
    timings["cpu_per_county"] = timings["cpu"] / counties
    timings["workers"] = workers
    worker_rss = max((r.rss_mb for r in results), default=0.0) if workers > 1 else 0.0
    during = timings.pop("rss_counties_mb", 0.0) + workers * worker_rss
    timings["peak_rss_mb"] = max(peak_rss_mb(), during)


def _rows(results: list[CountyResult], audit_rows: int) -> dict[str, int]:
    rows: dict[str, int] = defaultdict(int)
    for result in results:
        for label, count in result.written.items():
            rows[label] += count
    rows[AuditEntry._meta.label] += audit_rows
    return dict(rows)
