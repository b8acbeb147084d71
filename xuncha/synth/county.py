"""One county of a run: generated stage after stage and written in one transaction, its audit
events spooled to a file (``county_job``); the counties of a run one after the other or in forked
worker processes (``run_counties``)."""

from __future__ import annotations

import multiprocessing
import random
import resource
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor, as_completed
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

from django.db import connections, transaction

from xuncha.synth import org
from xuncha.synth.audit import AuditLog
from xuncha.synth.bulk import IdBlocks
from xuncha.synth.context import County, Run, Sizes
from xuncha.synth.fieldwork import build_fieldwork
from xuncha.synth.findings import build_findings
from xuncha.synth.indexes import checks_off
from xuncha.synth.intake import build_reports
from xuncha.synth.rectification import build_rectification, notifications
from xuncha.synth.rounds import build_rounds
from xuncha.synth.sink import Sink
from xuncha.synth.supervision import build_supervision, supervising_leaders
from xuncha.synth.transfers import build_transfers

COUNTY_STAGES = ("org", "rounds", "fieldwork", "intake", "findings", "transfers", "rectification")
# Per county (summed over counties): the stages, the county's transaction, its audit file.
STAGES = (*COUNTY_STAGES, "write", "spool")
T = TypeVar("T")


@dataclass(frozen=True)
class Layout:
    """What every county of a run needs from the run: picklable, a worker process gets a copy."""

    alias: str
    seed: int
    as_of: date
    sizes: Sizes
    blocks: IdBlocks
    first: int
    tags: list[Any]  # ExpertiseTag rows
    paths: dict[int, str]  # county index → the tree path kept for its node
    spool_dir: str
    aside: bool = False  # indexes and foreign-key checks set aside while loading (``indexes``)


@dataclass
class CountyResult:
    index: int
    timings: dict[str, float]
    written: dict[str, int]
    spool: Path
    cpu: float  # seconds of this process's CPU
    rss_mb: float  # the process's peak resident memory so far


def county_job(layout: Layout, index: int) -> CountyResult:
    """Generate county ``index`` and write it in one transaction; its audit events go to a file."""
    cpu = time.process_time()
    alias = layout.alias
    ids = layout.blocks.ids(index - layout.first + 1)
    run = Run(
        alias=alias, seed=layout.seed, as_of=layout.as_of, sizes=layout.sizes, ids=ids, sink=Sink(alias, ids),
        audit=AuditLog(alias, index), tags=layout.tags,
    )  # fmt: skip
    timings: dict[str, float] = {}

    def stage(name: str, build: Callable[[], T]) -> T:
        started = time.perf_counter()
        out = build()
        run.sink.flush()  # rows become tuples: instances the county does not keep are freed
        timings[name] = time.perf_counter() - started
        return out

    tree = org.Tree()
    c = stage("org", lambda: _org(run, tree, index, layout.paths[index]))
    tree.flushed()
    stage("rounds", lambda: build_rounds(run, c))
    stage("fieldwork", lambda: build_fieldwork(run, c))
    stage("intake", lambda: build_reports(run, c))
    stage("findings", lambda: build_findings(run, c))
    stage("transfers", lambda: build_transfers(run, c))
    stage("rectification", lambda: _rectification(run, c))
    started = time.perf_counter()
    with _write_lock(), checks_off(alias, layout.aside), transaction.atomic(using=alias):
        run.sink.write()
    timings["write"] = time.perf_counter() - started
    spool = stage("spool", lambda: run.audit.spool(Path(layout.spool_dir) / f"county-{index:06d}.pickle"))
    return CountyResult(index, timings, dict(run.sink.written), spool, time.process_time() - cpu, peak_rss_mb())


def _org(run: Run, tree: org.Tree, index: int, path: str) -> County:
    node = org.county_node(run, tree, index, path)
    c = County(index=index, rng=random.Random(f"{run.seed}:{index}"), node=node, name=node.name)
    org.build_county(run, tree, c)
    return c


def _rectification(run: Run, c: County) -> None:
    """Plans, tasks and their supervision in one stage: a clean-up marks tasks before they are written."""
    leaders = supervising_leaders(run, c)
    plans = build_rectification(run, c)
    notifications(run, c, plans, leaders)
    build_supervision(run, c, plans, leaders)


# --- counties in worker processes ------------------------------------------------------------------
# SQLite has one writer at a time: workers take turns for their county's transaction (holding it
# while generating would make the other wait for minutes), and generate while the other writes.
_WRITE_LOCK: Any = None


def _write_lock() -> AbstractContextManager[Any]:
    return _WRITE_LOCK if _WRITE_LOCK is not None else nullcontext()


def _worker_start(lock: Any) -> None:
    global _WRITE_LOCK
    _WRITE_LOCK = lock


def _worker_job(layout: Layout, index: int) -> CountyResult:
    try:
        return county_job(layout, index)
    finally:
        connections[layout.alias].close()  # os._exit ends a worker: say goodbye to the server now


def run_counties(
    layout: Layout, workers: int, progress: Callable[[int, dict[str, float]], None] | None
) -> list[CountyResult]:
    indices = sorted(layout.paths)
    results: list[CountyResult] = []

    def done(result: CountyResult) -> None:
        results.append(result)
        if progress:
            progress(len(results), stage_sums(results))

    if workers == 1:
        for index in indices:
            done(county_job(layout, index))
        return results
    # Forked workers inherit the settings and the switched-off auto_now; each opens its own
    # connection, so the parent's must not be open (a shared socket would mix two sessions).
    connections.close_all()
    context = multiprocessing.get_context("fork")
    lock = context.Lock() if connections[layout.alias].vendor == "sqlite" else None
    with ProcessPoolExecutor(workers, mp_context=context, initializer=_worker_start, initargs=(lock,)) as pool:
        futures = [pool.submit(_worker_job, layout, index) for index in indices]
        try:
            for future in as_completed(futures):
                done(future.result())
        except BaseException:
            for future in futures:
                future.cancel()
            raise
    return sorted(results, key=lambda r: r.index)


def stage_sums(results: Iterable[CountyResult]) -> dict[str, float]:
    sums: dict[str, float] = defaultdict(float)
    for result in results:
        for name, seconds in result.timings.items():
            sums[name] += seconds
    return dict(sums)


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux
