"""On-site records, working papers with evidence and events, immediate-fix notices.

Only rounds that have entered have fieldwork. A round on site has papers in every state and
planned interviews still to hold; from the report phase on, every paper is signed and every
notice accepted. Evidence rows point at ``StoredFile`` rows whose bytes are not written: pages
list evidence, and nothing in the benchmark downloads it.
"""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from xuncha.fieldwork.models import (
    FieldRecord,
    FixEvent,
    FixNotice,
    FixState,
    PaperEvent,
    PaperEvidence,
    PaperState,
    RecordKind,
    WorkingPaper,
)
from xuncha.files.models import Kind, StoredFile
from xuncha.plans.models import RoundState, RoundTarget
from xuncha.synth import texts
from xuncha.synth.bulk import at, new
from xuncha.synth.context import County, Run
from xuncha.synth.rounds import RoundPlan, TeamPlan

ON_SITE_MIX = [(PaperState.DRAFT, 0.3), (PaperState.SUBMITTED, 0.2), (PaperState.TEAM_APPROVED, 0.2)]
STEPS = [
    ("submit", PaperState.DRAFT, PaperState.SUBMITTED),
    ("approve", PaperState.SUBMITTED, PaperState.TEAM_APPROVED),
]
STEPS.append(("sign", PaperState.TEAM_APPROVED, PaperState.SIGNED))
PAPER_ORDER = list(PaperState.values)


def build_fieldwork(run: Run, c: County) -> None:
    for rplan in c.rounds:
        if not rplan.reached(RoundState.ON_SITE):
            continue
        for tplan in rplan.teams:
            numbers = iter(range(1, 10_000))
            for target in tplan.targets:
                interviews = _records(run, c, rplan, tplan, target)
                _papers(run, c, rplan, tplan, target, interviews, numbers)


def _progress(rplan: RoundPlan, as_of: date) -> float:
    """How far through its on-site period the round is (1 once it has left)."""
    rnd = rplan.round
    if rplan.reached(RoundState.REPORTING):
        return 1.0
    span = max((rnd.exit_date - rnd.entry_date).days, 1)
    return min(max((as_of - rnd.entry_date).days / span, 0.05), 1.0)


def _day_on_site(c: County, rplan: RoundPlan, as_of: date) -> date:
    rnd = rplan.round
    last = min(rnd.exit_date, as_of)
    return rnd.entry_date + timedelta(days=c.rng.randint(0, max((last - rnd.entry_date).days, 0)))


def _records(run: Run, c: County, rplan: RoundPlan, tplan: TeamPlan, target: RoundTarget) -> list[FieldRecord]:
    rng, unit = c.rng, target.unit
    people = c.people.get(unit.pk, [])
    progress = _progress(rplan, run.as_of)
    through = FieldRecord.interviewers.through
    held: list[FieldRecord] = []
    for n in range(run.sizes.records_per_target):
        kind, title, category = _record_kind(rng, n)
        planned = rng.random() > progress
        day = None if planned else _day_on_site(c, rplan, run.as_of)
        interviewee = None
        if kind == RecordKind.INTERVIEW and people and category not in ("retired", "public"):
            interviewee = c.main_leader.get(unit.pk) if category == "main_leader" else rng.choice(people)
        recorder = c.user_for(tplan.members[-1][0])
        created = at(day or rplan.round.entry_date, rng.randint(9, 17))
        record = new(
            FieldRecord,
            pk=run.ids.next(FieldRecord),
            team=tplan.team,
            target=target,
            kind=kind,
            title=title,
            planned=planned,
            occurred_on=day,
            place=f"{unit.name}{rng.choice(texts.PLACES_IN_UNIT)}" if day else "",
            content="" if planned else texts.INTERVIEW_CONTENT.format(texts.paper_title(rng)[0]),
            interviewee=interviewee,
            interviewee_name="" if interviewee else ("" if kind != RecordKind.INTERVIEW else "群众代表"),
            category=category,
            confirmed_on=day if kind == RecordKind.INTERVIEW else None,
            provider=rng.choice(texts.PROVIDERS) if kind == RecordKind.DOCUMENTS else "",
            handed_over_on=day if kind == RecordKind.DOCUMENTS else None,
            returned_on=(day + timedelta(days=10)) if kind == RecordKind.DOCUMENTS and day and progress >= 1 else None,
            recorded_by=recorder,
            created_at=created,
            updated_at=created,
        )
        run.sink.add(record)
        run.audit.add(
            created,
            recorder,
            "fieldwork.record.create",
            record,
            c.node.pk,
            {"kind": kind},
            f"{record.get_kind_display()}：{title}",
        )
        if kind == RecordKind.INTERVIEW:
            pair = [p for p, _role in tplan.members[:2]]  # always two inspectors
            run.sink.extend(new(through, fieldrecord_id=record.pk, person_id=p.pk) for p in pair)
            if not planned:
                held.append(record)
    return held


def _record_kind(rng: Any, n: int) -> tuple[str, str, str]:
    if n % 12 < 8:
        category, title = texts.INTERVIEW_CATEGORIES[n % len(texts.INTERVIEW_CATEGORIES)]
        return RecordKind.INTERVIEW, title, category
    if n % 12 < 10:
        return RecordKind.DOCUMENTS, rng.choice(texts.DOCUMENT_TITLES), ""
    if n % 12 == 10:
        return RecordKind.VISIT, rng.choice(texts.VISIT_TITLES), ""
    kind, title = rng.choice(texts.OTHER_RECORDS)
    return kind, title, ""


def _paper_count(run: Run, c: County, rplan: RoundPlan) -> int:
    base = run.sizes.papers_per_target * c.rng.uniform(0.5, 1.5)
    return max(1, round(base * _progress(rplan, run.as_of)))


def _state(c: County, rplan: RoundPlan) -> str:
    if rplan.reached(RoundState.REPORTING):
        return PaperState.SIGNED  # old rounds: everything signed
    roll, acc = c.rng.random(), 0.0
    for state, share in ON_SITE_MIX:
        acc += share
        if roll < acc:
            return state
    return PaperState.SIGNED


def _papers(
    run: Run,
    c: County,
    rplan: RoundPlan,
    tplan: TeamPlan,
    target: RoundTarget,
    interviews: list[FieldRecord],
    numbers: Any,
) -> None:
    rng = c.rng
    leader_user = c.user_for(tplan.leader)
    sources = WorkingPaper.sources.through
    for _ in range(_paper_count(run, c, rplan)):
        writer = rng.choice(tplan.members[1:] or tplan.members)[0]
        day = _day_on_site(c, rplan, run.as_of)
        # Steps two days apart, never after as_of (a round on site signs nothing in the future).
        steps = [min(day + timedelta(days=2 * n), run.as_of) for n in range(4)]
        paper = _paper(run, c, rplan, tplan, target, writer, steps, next(numbers))
        if paper.state == PaperState.SIGNED:
            c.signed.setdefault(target.pk, []).append(paper)  # problems are assembled from these
        repr_ = f"{tplan.team.number}-{paper.number:03d} {paper.title}"
        writer_user = c.user_for(writer)
        run.audit.add(
            paper.created_at, writer_user, "fieldwork.paper.create", paper, c.node.pk, {"title": paper.title}, repr_
        )
        if interviews and rng.random() < 0.6:
            run.sink.add(new(sources, workingpaper_id=paper.pk, fieldrecord_id=rng.choice(interviews).pk))
        draft = paper.state == PaperState.DRAFT
        _evidence(run, c, paper, writer_user, day, 0 if draft and rng.random() < 0.5 else rng.randint(1, 2))
        _history(run, c, paper, steps, writer_user, leader_user, repr_)
        if not draft and rng.random() < 0.12:
            _fix(run, c, rplan, paper, target.unit, day, leader_user, repr_)


def _paper(
    run: Run, c: County, rplan: RoundPlan, tplan: TeamPlan, target: RoundTarget, writer: Any, steps: list, number: int
) -> WorkingPaper:
    rng, unit, day = c.rng, target.unit, steps[0]
    state = _state(c, rplan)
    reached = PAPER_ORDER.index(state)
    signed = state == PaperState.SIGNED
    amount = Decimal(rng.randint(2_000, 3_000_000)) if rng.random() < 0.45 else None
    accused = rng.choice(c.people.get(unit.pk) or [writer]).name
    paper = new(
        WorkingPaper,
        pk=run.ids.next(WorkingPaper),
        team=tplan.team,
        target=target,
        number=number,
        title=texts.paper_title(rng)[0],
        state=state,
        occurred=f"{day.year - rng.randint(1, 3)}年至{day.year}年",
        place=unit.name,
        people_involved=accused,
        amount=amount,
        facts=texts.paper_facts(rng, unit.name, accused, float(amount) if amount else None),
        basis=rng.choice(texts.BASES),
        resp_principal=True,
        resp_first=rng.random() < 0.6,
        resp_leading=rng.random() < 0.3,
        resp_supervisory=rng.random() < 0.3,
        responsibility=rng.choice(texts.RESPONSIBILITY),
        finder=writer,
        writer=writer,
        meeting_opinion=rng.choice(texts.MEETING_OPINIONS) if reached >= 2 else "",
        signed_by=c.user_for(tplan.leader) if signed else None,
        signed_on=steps[3] if signed else None,
        created_at=at(day, rng.randint(9, 17)),
        updated_at=at(steps[reached], 17),
    )
    run.sink.add(paper)
    return paper


def _history(
    run: Run, c: County, paper: WorkingPaper, steps: list, writer_user: Any, leader_user: Any, repr_: str
) -> None:
    """The paper's events up to its state (submit, approve, sign) and the sign-off's audit row."""
    reached = PAPER_ORDER.index(paper.state)
    for step, (action, from_state, to_state) in enumerate(STEPS[:reached], start=1):
        run.sink.add(
            new(
                PaperEvent,
                pk=run.ids.next(PaperEvent),
                paper=paper,
                action=action,
                from_state=from_state,
                to_state=to_state,
                actor=writer_user if action == "submit" else leader_user,
                comment=paper.meeting_opinion if action == "approve" else "",
                created_at=at(steps[step], 15),
            )
        )
    if paper.state == PaperState.SIGNED:
        when = at(steps[3], 15)
        run.audit.add(when, leader_user, "fieldwork.paper.sign", paper, c.node.pk, {"state": paper.state}, repr_)


def _evidence(run: Run, c: County, paper: WorkingPaper, user: Any, day: date, count: int) -> None:
    rng = c.rng
    for number in range(1, count + 1):
        file_id = uuid.UUID(int=rng.getrandbits(128), version=4)
        stored = new(
            StoredFile,
            id=file_id,
            original_name=f"{rng.choice(texts.EVIDENCE)}{number}.pdf",
            kind=Kind.PDF,
            content_type="application/pdf",
            size=rng.randint(40_000, 4_000_000),
            sha256=f"{rng.getrandbits(256):064x}",
            sm3=f"{rng.getrandbits(256):064x}",
            storage_name=f"synth/{file_id.hex}",
            uploaded_by=user,
            uploaded_at=at(day, 16),
            effective_date=day - timedelta(days=rng.randint(30, 700)),
            scope_unit=c.node,
        )
        run.sink.add(stored)
        run.sink.add(
            new(
                PaperEvidence,
                pk=run.ids.next(PaperEvidence),
                paper=paper,
                number=number,
                file=stored,
                description=stored.original_name[:-5],
                added_by=user,
                added_at=at(day, 16),
            )
        )


def _fix(
    run: Run, c: County, rplan: RoundPlan, paper: WorkingPaper, unit: Any, day: date, reviewer: Any, repr_: str
) -> None:
    rng = c.rng
    issued = min(day + timedelta(days=rng.randint(2, 6)), run.as_of)
    if rplan.reached(RoundState.REPORTING):
        state = FixState.ACCEPTED
    else:
        state = rng.choice(
            [
                FixState.ISSUED,
                FixState.ISSUED,
                FixState.ANSWERED,
                FixState.ANSWERED,
                FixState.RETURNED,
                FixState.ACCEPTED,
            ]
        )
    answered = state != FixState.ISSUED
    responded = min(issued + timedelta(days=rng.randint(5, 15)), run.as_of) if answered else None
    reviewed = state in (FixState.ACCEPTED, FixState.RETURNED)
    reviewed_on = min(responded + timedelta(days=3), run.as_of) if reviewed and responded else None
    # The unit's main leader answers (FIX_RESPOND comes with the role over the unit), when it has an account.
    responder = c.user_for(c.main_leader.get(unit.pk)) if answered else None
    notice = new(
        FixNotice,
        pk=run.ids.next(FixNotice),
        paper=paper,
        unit=unit,
        state=state,
        issued_on=issued,
        due_on=issued + timedelta(days=rng.randint(15, 30)),
        requirement=rng.choice(texts.FIX_REQUIREMENTS),
        response=rng.choice(texts.FIX_RESPONSES) if answered else "",
        responded_on=responded,
        review_comment="整改到位，同意验收。"
        if state == FixState.ACCEPTED
        else ("整改不彻底，请继续整改。" if reviewed else ""),
        reviewed_by=c.staff if reviewed else None,
        reviewed_on=reviewed_on,
        responded_by=responder,
        created_at=at(issued),
    )
    run.sink.add(notice)
    label = f"{unit.name} 立行立改：{paper.title}"
    run.audit.add(at(issued, 11), reviewer, "fieldwork.fix.issue", notice, unit.pk, {"paper": paper.pk}, label)
    # FIX_WORKFLOW's steps up to the state: respond, then accept or return.
    history = [("respond", FixState.ISSUED, FixState.ANSWERED, responder, "", at(responded, 11))] if responded else []
    if reviewed_on:
        verdict = "accept" if state == FixState.ACCEPTED else "return"
        history.append((verdict, FixState.ANSWERED, state, c.staff, notice.review_comment, at(reviewed_on, 15)))
    for action, from_state, to_state, actor, comment, when in history:
        event = new(
            FixEvent,
            pk=run.ids.next(FixEvent),
            notice=notice,
            action=action,
            from_state=from_state,
            to_state=to_state,
            actor=actor,
            comment=comment,
            created_at=when,
        )
        run.sink.add(event)
        run.audit.add(when, actor, f"fieldwork.fix.{action}", notice, unit.pk, {"state": to_state}, label)
    notice.updated_at = history[-1][-1] if history else notice.created_at
