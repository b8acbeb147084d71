"""The generator: county after county, stage after stage, each county in one transaction.

Every county draws from its own ``random.Random(f"{seed}:{index}")``, so a county's data depends
only on the seed, its index and ``as_of`` — the same on SQLite and PostgreSQL, and the same
whether it was generated alone or after others (``--append``).
"""

from __future__ import annotations

import random
import time
from collections import defaultdict
from collections.abc import Callable
from datetime import date

from django.db import connections, transaction
from django.utils import timezone

from xuncha.accounts.models import OrgUnit, Person, Post, Relationship, RoleAssignment, User
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
from xuncha.synth.audit import AuditLog
from xuncha.synth.bulk import Ids, Sink, explicit_timestamps, reset_sequences, vacuum_analyze
from xuncha.synth.context import County, Run, Sizes
from xuncha.synth.fieldwork import build_fieldwork
from xuncha.synth.findings import build_findings
from xuncha.synth.intake import build_reports
from xuncha.synth.models import SynthDataset
from xuncha.synth.rectification import build_rectification, notifications
from xuncha.synth.rounds import build_rounds
from xuncha.synth.supervision import build_supervision, supervising_leaders
from xuncha.synth.transfers import build_transfers
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
STAGES = ("org", "rounds", "fieldwork", "intake", "findings", "transfers", "rectification", "audit")


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
) -> SynthDataset:
    if database_has_data(alias):
        if not append:
            raise SynthRefused("数据库中已有数据：加 --append 在其后追加合成数据，或换一个空数据库。")
        check_append(alias, allow_non_synthetic=allow_non_synthetic)
    sizes, as_of = sizes or Sizes(), as_of or timezone.localdate()
    previous = SynthDataset.objects.using(alias).filter(finished_at__isnull=False)
    first = sum(d.counties for d in previous)
    dataset = SynthDataset.objects.using(alias).create(
        seed=seed, counties=counties, first_county=first, as_of=as_of, sizes=sizes.as_dict(),
        vendor=connections[alias].vendor, started_at=timezone.now(),
    )  # fmt: skip
    run = Run(alias=alias, seed=seed, as_of=as_of, sizes=sizes, ids=Ids(alias), sink=Sink(alias), audit=AuditLog(alias))
    run.tags = [ExpertiseTag.objects.using(alias).get_or_create(name=name)[0] for name in TAGS]
    timings: dict[str, float] = defaultdict(float)
    started = time.perf_counter()
    tree = org.Tree()
    with explicit_timestamps(MODELS):
        for index in range(first, first + counties):
            _county(run, tree, index, timings)
            if progress:
                progress(index - first + 1, dict(timings))
        _audit(run, timings)
    reset_sequences(alias, MODELS)
    # VACUUM cannot run inside a transaction: skipped when the caller holds one (tests).
    if not connections[alias].in_atomic_block:
        vacuum_analyze(alias, MODELS)
    timings["total"] = time.perf_counter() - started
    dataset.timings = {k: round(v, 2) for k, v in timings.items()}
    dataset.rows = dict(run.sink.written)
    dataset.finished_at = timezone.now()
    dataset.save(using=alias)
    return dataset


def _county(run: Run, tree: org.Tree, index: int, timings: dict[str, float]) -> None:
    def stage(name: str, build: Callable[[], object]) -> None:
        started = time.perf_counter()
        build()
        run.sink.flush()
        timings[name] += time.perf_counter() - started

    with transaction.atomic(using=run.alias):
        c: County | None = None

        def build_org() -> None:
            nonlocal c
            _province, city = org.province_and_city(run, tree, index)
            node = org.county_node(run, tree, city, index)
            c = County(index=index, rng=random.Random(f"{run.seed}:{index}"), node=node, city=city, name=node.name)
            org.build_county(run, tree, c)

        stage("org", build_org)
        tree.flushed()
        tree.save_grown(run.alias)
        assert c is not None
        stage("rounds", lambda: build_rounds(run, c))
        stage("fieldwork", lambda: build_fieldwork(run, c))
        stage("intake", lambda: build_reports(run, c))
        stage("findings", lambda: build_findings(run, c))
        stage("transfers", lambda: build_transfers(run, c))
        stage("rectification", lambda: _rectification(run, c))
    started = time.perf_counter()
    run.audit.end_county()
    timings["audit"] += time.perf_counter() - started


def _rectification(run: Run, c: County) -> None:
    """Plans, tasks and their supervision in one stage: a clean-up marks tasks before they are written."""
    leaders = supervising_leaders(run, c)
    plans = build_rectification(run, c)
    notifications(run, c, plans, leaders)
    build_supervision(run, c, plans, leaders)


def _audit(run: Run, timings: dict[str, float]) -> None:
    """The audit rows of every county, merged in time order and chained, in one transaction."""
    started = time.perf_counter()

    def insert(rows: list[AuditEntry]) -> None:
        run.sink.extend(rows)
        run.sink.flush()

    with transaction.atomic(using=run.alias):
        run.audit.write(insert)
        run.audit.save_head()
    timings["audit"] += time.perf_counter() - started
