"""What the stages of one generation share: the run (database, ids, sizes) and one county's state."""

from __future__ import annotations

import random
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from xuncha.synth.bulk import Ids
from xuncha.synth.sink import Sink


@dataclass(frozen=True)
class Sizes:
    """Volumes per county. The defaults are the province-scale profile of issue 8."""

    years: int = 5
    rounds_per_year: int = 3
    targets_per_round: int = 15
    targets_per_team: int = 3
    team_size: int = 5
    papers_per_target: int = 20
    records_per_target: int = 12
    reports_per_target: int = 5
    townships: int = 8
    villages_per_township: int = 3
    extra_staff: int = 3  # cadres beyond the titled posts, per department and township
    relations: int = 40
    pool_per_source: int = 5

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


# A few of everything: for tests, where the point is shape and counts, not volume.
TINY = Sizes(
    years=2,
    rounds_per_year=2,
    targets_per_round=4,
    targets_per_team=2,
    team_size=3,
    papers_per_target=3,
    records_per_target=3,
    reports_per_target=2,
    townships=2,
    villages_per_township=2,
    extra_staff=1,
    relations=5,
    pool_per_source=2,
)


@dataclass
class Run:
    alias: str
    seed: int
    as_of: date
    sizes: Sizes
    ids: Ids
    sink: Sink
    audit: Any  # xuncha.synth.audit.AuditLog: this county's events (or the run's shared rows')
    tags: list[Any] = field(default_factory=list)  # ExpertiseTag rows
    focus_lists: list[Any] | None = None  # the seeded focus lists, once Round.focus_list is a relation
    focus_items: dict[int, list[Any]] = field(default_factory=dict)  # focus list id → its leaf items
    finding_tags: list[Any] = field(default_factory=list)  # findings.Tag rows in use
    sheet: Any = None  # the default rectification evaluation sheet


@dataclass
class County:
    """One county while it is generated; dropped once its rows are written."""

    index: int
    rng: random.Random
    node: Any  # the county OrgUnit
    name: str
    units: list[Any] = field(default_factory=list)  # every unit under the county, not the county
    by_name: dict[str, Any] = field(default_factory=dict)
    people: dict[int, list[Any]] = field(default_factory=dict)  # unit id → people whose post is there
    main_leader: dict[int, Any] = field(default_factory=dict)  # unit id → person
    pool: list[Any] = field(default_factory=list)
    leaders: list[Any] = field(default_factory=list)  # pool people fit to lead a team
    account: dict[int, Any] = field(default_factory=dict)  # person id → user
    head: Any = None  # the office head's account: the actor of office events
    staff: Any = None
    rounds: list[Any] = field(default_factory=list)  # RoundPlan, oldest first
    signed: dict[int, list[Any]] = field(default_factory=dict)  # target id → its signed working papers
    fed: list[Any] = field(default_factory=list)  # findings.Fed: units fed back, oldest round first
    accounts_by_role: dict[str, list[Any]] = field(default_factory=dict)  # extra roles: receivers, leaders
    unit_users: dict[int, tuple[Any, Any]] = field(default_factory=dict)  # unit id → (liaison, leader) accounts

    def user_for(self, person: Any) -> Any:
        return self.account.get(person.pk) if person is not None else None
