"""Term plan, rounds with their targets, teams, members, announcements, briefings and events.

Dates are laid out over ``sizes.years`` years ending at ``as_of``; each round's state is where
its dates put it on ``as_of`` (old rounds archived, this year's last round on site), and its event
rows walk the state machine's own edges (``ROUND_WORKFLOW``) to that state.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from xuncha.accounts.models import OrgUnit, Person, UnitType
from xuncha.plans.models import (
    Announcement,
    Briefing,
    Round,
    RoundEvent,
    RoundMode,
    RoundState,
    RoundTarget,
    Team,
    TeamMember,
    TeamRole,
    TermPlan,
    TermPlanUnit,
)
from xuncha.plans.models.teams import team_ordinal
from xuncha.plans.workflow import ROUND_WORKFLOW
from xuncha.synth import texts
from xuncha.synth.bulk import at, new
from xuncha.synth.context import County, Run

# Units that staff the teams are not inspected by them in this data set (no self-inspection).
NOT_TARGETS = {"县委", "县委巡察办", "县纪委监委", "县委组织部"}
ORDER = list(RoundState.values)


@dataclass
class TeamPlan:
    team: Team
    members: list[tuple[Person, str]]
    targets: list[RoundTarget] = field(default_factory=list)

    @property
    def leader(self) -> Person:
        return self.members[0][0]


@dataclass
class RoundPlan:
    round: Round
    teams: list[TeamPlan]
    events: list[tuple[str, date]]  # (action, day) up to the round's state

    def reached(self, state: str) -> bool:
        return ORDER.index(self.round.state) >= ORDER.index(state)


def _schedule(run: Run, year: int, number: int, rng: Any) -> dict[str, date]:
    per_year = run.sizes.rounds_per_year
    month = 3 + round((number - 1) * 7 / max(per_year - 1, 1))
    entry = date(year, month, rng.randint(5, 20))
    exit_ = entry + timedelta(days=rng.randint(50, 60))
    approved = entry - timedelta(days=rng.randint(25, 35))
    feedback = exit_ + timedelta(days=rng.randint(30, 45))
    return {"approved": approved, "entry": entry, "exit": exit_, "feedback": feedback}


def _events(days: dict[str, date], as_of: date) -> list[tuple[str, date]]:
    """The round's transitions (action, day) that have happened by ``as_of``."""
    when = {
        "approve": days["approved"],
        "prepare": days["approved"] + timedelta(days=3),
        "enter": days["entry"],
        "leave": days["exit"],
        "feedback": days["feedback"],
        "rectify": days["feedback"] + timedelta(days=7),
        "evaluate": days["feedback"] + timedelta(days=300),
        "archive": days["feedback"] + timedelta(days=420),
    }
    path, state = [], RoundState.DRAFT
    for action in ("approve", "prepare", "enter", "leave", "feedback", "rectify", "evaluate", "archive"):
        transition = ROUND_WORKFLOW.get(action)
        if when[action] > as_of or state not in transition.sources:
            break
        path.append((action, when[action]))
        state = transition.target
    return path


def build_rounds(run: Run, c: County) -> None:
    first_year = run.as_of.year - run.sizes.years + 1
    plan = _term_plan(run, c, first_year)
    candidates = [u for key, u in c.by_name.items() if key not in NOT_TARGETS]
    inspected: dict[int, Round] = {}  # unit id → the last round that inspected it
    counts = {u.pk: 0 for u in candidates}
    serial = 0
    for year in range(first_year, run.as_of.year + 1):
        for number in range(1, run.sizes.rounds_per_year + 1):
            serial += 1
            days = _schedule(run, year, number, c.rng)
            if days["approved"] - timedelta(days=20) > run.as_of:
                continue  # not even drafted yet
            # Units least inspected so far first (全覆盖), in a seeded random order among equals.
            order = sorted(candidates, key=lambda u: (counts[u.pk], c.rng.random()))
            units = order[: run.sizes.targets_per_round]
            rplan = _round(run, c, plan, year, number, serial, days, units, inspected)
            for unit in units:
                counts[unit.pk] += 1
                inspected[unit.pk] = rplan.round
            c.rounds.append(rplan)


def _term_plan(run: Run, c: County, first_year: int) -> TermPlan:
    approved = date(first_year, 3, 15)
    plan = new(
        TermPlan,
        pk=run.ids.next(TermPlan),
        jurisdiction=c.node,
        name=f"{c.name}委第十四届任期巡察工作规划",
        start_year=first_year,
        end_year=first_year + run.sizes.years - 1,
        approved_on=approved,
        approval_meeting=f"{c.name}委巡察工作领导小组{first_year}年第1次会议",
        created_at=at(approved - timedelta(days=20)),
        updated_at=at(approved),
    )
    run.sink.add(plan)
    for unit in c.units:
        if unit.unit_type != UnitType.COMMITTEE:
            year = first_year + c.rng.randrange(run.sizes.years)
            run.sink.add(new(TermPlanUnit, pk=run.ids.next(TermPlanUnit), plan=plan, unit=unit, planned_year=year))
    run.audit.add(plan.created_at, c.head, "plans.term.create", plan, c.node.pk, {"name": plan.name})
    run.audit.add(plan.updated_at, c.head, "plans.term.approve", plan, c.node.pk, {"approved_on": str(approved)})
    return plan


def _round(
    run: Run,
    c: County,
    plan: TermPlan,
    year: int,
    number: int,
    serial: int,
    days: dict[str, date],
    units: list[OrgUnit],
    inspected: dict[int, Round],
) -> RoundPlan:
    events = _events(days, run.as_of)
    state = ROUND_WORKFLOW.get(events[-1][0]).target if events else RoundState.DRAFT
    created = at(days["approved"] - timedelta(days=20))
    rnd = new(
        Round,
        pk=run.ids.next(Round),
        jurisdiction=c.node,
        term_plan=plan,
        year=year,
        number=number,
        name=f"{c.name}委第十四届第{team_ordinal(serial)}轮巡察",
        state=state,
        focus_list=_focus_list(run, c),
        entry_date=days["entry"],
        exit_date=days["exit"],
        approved_on=days["approved"] if events else None,
        approval_meeting=f"{c.name}委巡察工作领导小组{year}年第{number}次会议" if events else "",
        feedback_date=days["feedback"] if any(a == "feedback" for a, _d in events) else None,
        created_at=created,
        updated_at=at(events[-1][1]) if events else created,
    )
    run.sink.add(rnd)
    run.audit.add(created, c.head, "plans.round.create", rnd, c.node.pk, {"name": rnd.name, "year": year})
    _round_events(run, c, rnd, events)
    rplan = RoundPlan(rnd, [], events)
    _teams(run, c, rplan, units, inspected, created)
    if rplan.reached(RoundState.PREPARING):
        _briefings(run, c, rnd)
    return rplan


def _round_events(run: Run, c: County, rnd: Round, events: list[tuple[str, date]]) -> None:
    previous = RoundState.DRAFT
    for action, day in events:
        to_state = ROUND_WORKFLOW.get(action).target
        event = new(
            RoundEvent,
            pk=run.ids.next(RoundEvent),
            round=rnd,
            action=action,
            from_state=previous,
            to_state=to_state,
            actor=c.head,
            created_at=at(day, 10),
        )
        run.sink.add(event)
        run.audit.add(at(day, 10), c.head, f"plans.round.{action}", rnd, c.node.pk, {"state": to_state})
        previous = to_state


def _briefings(run: Run, c: County, rnd: Round) -> None:
    filed = rnd.entry_date - timedelta(days=13)
    for source, title in texts.BRIEFINGS[:3]:
        briefing = new(
            Briefing,
            pk=run.ids.next(Briefing),
            round=rnd,
            source=source,
            title=title,
            summary=title,
            filed_on=filed,
            filed_by=c.head,
            created_at=at(filed),
            updated_at=at(filed),
        )
        run.sink.add(briefing)
        run.audit.add(at(filed), c.head, "plans.briefing.add", briefing, c.node.pk, {"source": source})


def _focus_list(run: Run, c: County) -> Any:
    """The round's focus list: a row of the seeded lists once the field is a relation (the findings
    work turns the recorded name into a foreign key), else the recorded name."""
    field = Round._meta.get_field("focus_list")
    if not field.is_relation:
        return c.rng.choice(texts.FOCUS_LISTS)
    if run.focus_lists is None:
        model = field.related_model
        run.focus_lists = list(model._default_manager.using(run.alias).filter(jurisdiction=None, active=True))
    return c.rng.choice(run.focus_lists) if run.focus_lists else None


def _mode(c: County, unit: OrgUnit, inspected: dict[int, Round]) -> tuple[str, str, Round | None]:
    if unit.unit_type == UnitType.VILLAGE:
        return RoundMode.VILLAGE, "", None
    roll = c.rng.random()
    if roll < 0.12 and unit.pk in inspected:
        return RoundMode.LOOK_BACK, "", inspected[unit.pk]
    if roll < 0.3:
        return RoundMode.THEMATIC, c.rng.choice(texts.THEMES), None
    return RoundMode.REGULAR, "", None


def _teams(
    run: Run, c: County, rplan: RoundPlan, units: list[OrgUnit], inspected: dict[int, Round], created: Any
) -> None:
    rnd, size = rplan.round, run.sizes.targets_per_team
    busy: set[int] = set()
    for number, start in enumerate(range(0, len(units), size), start=1):
        group = units[start : start + size]
        homes = {u.pk for u in group}
        free = [p for p in c.pool if p.pk not in busy and p.unit_id not in homes]
        leaders = [p for p in free if p in c.leaders] or free
        leader = c.rng.choice(leaders)
        others = c.rng.sample([p for p in free if p is not leader], min(run.sizes.team_size - 1, len(free) - 1))
        roles = [TeamRole.DEPUTY, TeamRole.LIAISON] + [TeamRole.MEMBER] * len(others)
        members = [(leader, TeamRole.LEADER), *zip(others, roles, strict=False)]
        busy.update(p.pk for p, _r in members)
        team = new(
            Team,
            pk=run.ids.next(Team),
            round=rnd,
            number=number,
            branch_secretary=leader,
            phone=f"0{c.index % 900 + 100:03d}-66{number:02d}{rnd.pk % 1000:03d}",
            mailbox=f"{c.name}{rnd.year}-{rnd.number}-{number}号信箱",
            email=f"xcz{number}@{c.index:04d}.example.gov.cn",
            created_at=created,
            updated_at=created,
        )
        run.sink.add(team)
        run.audit.add(
            created, c.head, "plans.team.create", team, c.node.pk, {"number": number}, f"第{team_ordinal(number)}巡察组"
        )
        tplan = TeamPlan(team, members)
        for person, role in members:
            grade = c.rng.choice(texts.APPRAISALS) if rplan.reached(RoundState.REPORTING) else ""
            member = new(
                TeamMember,
                pk=run.ids.next(TeamMember),
                team=team,
                person=person,
                role=role,
                appraisal_grade=grade,
                created_at=created,
                updated_at=created,
            )
            run.sink.add(member)
            run.audit.add(
                created,
                c.head,
                "plans.team.member_add",
                team,
                c.node.pk,
                {"person": person.pk, "role": role},
                f"第{team_ordinal(number)}巡察组",
            )
        for unit in group:
            tplan.targets.append(_target(run, c, rplan, team, unit, inspected, created))
        rplan.teams.append(tplan)


def _target(
    run: Run, c: County, rplan: RoundPlan, team: Team, unit: OrgUnit, inspected: dict[int, Round], created: Any
) -> RoundTarget:
    rnd = rplan.round
    mode, theme, original = _mode(c, unit, inspected)
    target = new(
        RoundTarget,
        pk=run.ids.next(RoundTarget),
        round=rnd,
        unit=unit,
        mode=mode,
        theme=theme,
        original_round=original,
        team=team,
        created_at=created,
        updated_at=created,
    )
    target.unit = unit  # keep the instance: generators downstream read its name and path
    run.sink.add(target)
    run.audit.add(
        created,
        c.head,
        "plans.target.add",
        target,
        c.node.pk,
        {"unit": unit.pk, "mode": mode},
        f"{rnd.name} · {unit.name}",
    )
    if rplan.reached(RoundState.PREPARING):
        published = rnd.entry_date - timedelta(days=2)
        ann = new(
            Announcement,
            pk=run.ids.next(Announcement),
            target=target,
            phone=team.phone,
            mailbox=team.mailbox,
            email=team.email,
            address=f"{c.name}人民路1号{c.name}委大院",
            opens_on=rnd.entry_date,
            closes_on=rnd.exit_date,
            published_on=published,
            created_at=at(published),
            updated_at=at(published),
        )
        run.sink.add(ann)
        run.audit.add(
            at(published),
            c.head,
            "plans.announcement.save",
            target,
            c.node.pk,
            {"opens_on": str(rnd.entry_date)},
            f"{rnd.name} · {unit.name}",
        )
    return target
