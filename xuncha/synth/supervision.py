"""Supervision and results of rectification, sprinkled in proportion: county leaders' key items
(one per ≈ 20 problems) with their comments, one sector clean-up per county, the escalation letters
of units with overdue tasks, return visits, evaluations of older rounds, accountability, rules made,
money recovered and disclosures.

No audit rows here: the services that write these rows are being added alongside, and their action
names are theirs to choose; the rows themselves are what the pages read.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from xuncha.accounts.permissions import Role
from xuncha.plans.models import RoundState
from xuncha.rectification.models import (
    FORMS_BY_SUBJECT,
    LETTER_ORDER,
    Accountability,
    Campaign,
    CampaignReport,
    CampaignState,
    Disclosure,
    DisclosureChannel,
    DisclosureState,
    EscalationLetter,
    Evaluation,
    EvaluationSheet,
    Exemption,
    LeaderAssignment,
    LeaderComment,
    LetterKind,
    Mechanism,
    MoneyRecovery,
    ReturnVisit,
    SubjectKind,
    TaskState,
    VisitFinding,
)
from xuncha.synth import texts_rect as t
from xuncha.synth.bulk import at, new
from xuncha.synth.context import County, Run
from xuncha.synth.org import _grant, _user
from xuncha.synth.rectification import PlanRun

LEADERS_PER_COUNTY = 3
# Days overdue at which each letter of the ladder goes out.
LADDER_DAYS = {"notice": 5, "guidance": 25, "reminder": 45, "warning": 65, "accountability": 95}


def supervising_leaders(run: Run, c: County) -> list[Any]:
    when = at(run.as_of.replace(year=run.as_of.year - run.sizes.years, month=2, day=14))
    committee = c.by_name["县委"]
    people = [p for p in c.people.get(committee.pk, []) if p is not c.main_leader.get(committee.pk)]
    leaders = []
    for n, person in enumerate(people[:LEADERS_PER_COUNTY], start=1):
        user = _user(run, f"c{c.index:04d}_xld{n}", person.name, committee, person, when)
        c.account[person.pk] = user
        _grant(run, user, Role.SUPERVISING_LEADER, c.node, when)
        leaders.append(user)
    c.accounts_by_role[Role.SUPERVISING_LEADER] = leaders
    return leaders


def build_supervision(run: Run, c: County, plans: list[PlanRun], leaders: list[Any]) -> None:
    if run.sheet is None:
        run.sheet = EvaluationSheet.objects.using(run.alias).filter(jurisdiction=None).order_by("-version").first()
    for prun in plans:
        if leaders:
            _assignments(run, c, prun, leaders)
    _every_leader_has_an_item(run, c, plans, leaders)
    for prun in plans:
        if not prun.approved:
            continue
        letters = _letters(run, c, prun)
        _visit(run, c, prun)
        poor = _evaluation(run, c, prun)
        if letters == len(LETTER_ORDER) or poor or c.rng.random() < 0.02:
            _accountability(run, c, prun)
        _results(run, c, prun)
        _disclosures(run, c, prun)
    _campaign(run, c, plans)


def _assignments(run: Run, c: County, prun: PlanRun, leaders: list[Any]) -> None:
    rng = c.rng
    problems = prun.fed.problems
    for problem, _papers in problems:
        if rng.random() >= 1 / 20:
            continue
        day = prun.fed.sent_on + timedelta(days=rng.randint(3, 15))
        if day > run.as_of:
            return
        assignment = new(
            LeaderAssignment,
            pk=run.ids.next(LeaderAssignment),
            problem=problem,
            leader=rng.choice(leaders),
            note=rng.choice(t.LEADER_NOTES),
            assigned_by=c.head,
            created_at=at(day, 10),
            updated_at=at(day, 10),
        )
        run.sink.add(assignment)
        for n in range(rng.randint(0, 2)):
            when = day + timedelta(days=10 + 20 * n)
            if when <= run.as_of:
                _comment(run, assignment, None, LeaderComment.Kind.COMMENT, rng.choice(t.LEADER_COMMENTS[:2]), when)
        for task in prun.tasks:
            if task.problem is problem and task.state == TaskState.CLOSED and task.closed_on:
                when = task.closed_on - timedelta(days=1)
                _comment(run, assignment, task, LeaderComment.Kind.CONCUR, t.LEADER_COMMENTS[2], when)


def _every_leader_has_an_item(run: Run, c: County, plans: list[PlanRun], leaders: list[Any]) -> None:
    """A county leader is named to supervise at least one problem of the latest plans (a small
    data set might otherwise leave one with nothing to open)."""
    busy = {row.leader.pk for row in run.sink.rows[LeaderAssignment]}
    recent = sorted((p for p in plans if p.fed.problems), key=lambda p: p.fed.sent_on, reverse=True)
    for leader, prun in zip([u for u in leaders if u.pk not in busy], recent, strict=False):
        day = min(prun.fed.sent_on + timedelta(days=5), run.as_of)
        run.sink.add(
            new(
                LeaderAssignment,
                pk=run.ids.next(LeaderAssignment),
                problem=prun.fed.problems[-1][0],
                leader=leader,
                note=t.LEADER_NOTES[0],
                assigned_by=c.head,
                created_at=at(day, 10),
                updated_at=at(day, 10),
            )
        )


def _comment(run: Run, assignment: LeaderAssignment, task: Any, kind: str, text: str, day: date) -> None:
    run.sink.add(
        new(
            LeaderComment,
            pk=run.ids.next(LeaderComment),
            assignment=assignment,
            task=task,
            kind=kind,
            text=text,
            actor=assignment.leader,
            created_at=at(day, 16),
        )
    )


def _overdue(run: Run, prun: PlanRun) -> list[Any]:
    return [x for x in prun.tasks if x.state == TaskState.IN_PROGRESS and x.due_on < run.as_of]


def _letters(run: Run, c: County, prun: PlanRun) -> int:
    overdue = _overdue(run, prun)
    if not overdue:
        return 0
    first = min(x.due_on for x in overdue)
    sent = 0
    for kind in LETTER_ORDER:
        day = first + timedelta(days=LADDER_DAYS[kind])
        if day > run.as_of:
            break
        sent += 1
        final = kind == LetterKind.WARNING
        talk = kind == LetterKind.ACCOUNTABILITY
        unit = prun.fed.target.unit
        letter = new(
            EscalationLetter,
            pk=run.ids.next(EscalationLetter),
            plan=prun.plan,
            kind=kind,
            doc_no=f"{c.name[:2]}巡督〔{day.year}〕{prun.plan.pk % 1000}-{sent}号",
            issued_on=day,
            body=t.LETTER_BODY[kind],
            final_due=day + timedelta(days=15) if final else None,
            talk_on=day + timedelta(days=5) if talk else None,
            talk_place="县委巡察办会议室" if talk else "",
            talk_attendees=f"{unit.name}主要负责人、分管负责人" if talk else "",
            talk_record="约谈指出整改推进不力的问题，责令限期整改到位。" if talk else "",
            issued_by=c.head,
            created_at=at(day, 10),
            updated_at=at(day, 10),
        )
        run.sink.add(letter)
        named = [x for x in overdue if x.due_on < day]  # overdue on the day the letter goes out
        run.sink.extend(new(EscalationLetter.tasks.through, escalationletter_id=letter.pk, task_id=x.pk) for x in named)
    return sent


def _visit(run: Run, c: County, prun: PlanRun) -> None:
    rng = c.rng
    day = prun.fed.sent_on + timedelta(days=rng.randint(180, 300))
    if day > run.as_of or rng.random() >= 0.4:
        return
    visit = new(
        ReturnVisit,
        pk=run.ids.next(ReturnVisit),
        plan=prun.plan,
        visited_on=day,
        visitors=f"县委巡察办{c.staff.full_name}等",
        summary=t.VISIT_SUMMARY,
        created_by=c.staff,
        created_at=at(day, 17),
        updated_at=at(day, 17),
    )
    run.sink.add(visit)
    closed = [x for x in prun.tasks if x.state == TaskState.CLOSED and x.closed_on and x.closed_on < day]
    for _ in range(rng.randint(0, 2)):
        task = rng.choice(closed) if closed else None
        run.sink.add(
            new(VisitFinding, pk=run.ids.next(VisitFinding), visit=visit, task=task, text=rng.choice(t.VISIT_FINDINGS))
        )


def _evaluation(run: Run, c: County, prun: PlanRun) -> bool:
    """Scored once the round is evaluated; True for a "差" (a formal talk and a look-back follow)."""
    rplan, sheet, rng = prun.fed.rplan, run.sheet, c.rng
    if sheet is None or not rplan.reached(RoundState.EVALUATED):
        return False
    day = prun.fed.sent_on + timedelta(days=rng.randint(270, 299))
    poor = rng.random() < 0.04
    deductions = {}
    for item in rng.sample(sheet.items, min(len(sheet.items), rng.randint(1, 4))):
        cap = int(item.get("points", 10))
        deduct = cap if poor else rng.choice([0.5, 1, 1, 2, 3])
        deductions[item["code"]] = {"deduct": min(deduct, cap), "reason": "佐证材料不完整，部分措施落实不到位。"}
    run.sink.add(
        new(
            Evaluation,
            pk=run.ids.next(Evaluation),
            plan=prun.plan,
            sheet=sheet,
            deductions=deductions,
            evaluated_on=day,
            comment="整改工作总体扎实，部分问题需长期坚持。" if not poor else "整改工作推进不力，效果差。",
            evaluator=c.head,
            created_at=at(day, 16),
            updated_at=at(day, 16),
        )
    )
    return poor


def _accountability(run: Run, c: County, prun: PlanRun) -> None:
    rng, unit = c.rng, prun.fed.target.unit
    day = min(prun.plan.approved_on + timedelta(days=rng.randint(60, 200)), run.as_of)
    for _ in range(rng.randint(1, 2)):
        subject = SubjectKind.CADRE if rng.random() < 0.8 else SubjectKind.ORGANISATION
        person = rng.choice(c.people.get(unit.pk) or [None])
        record = new(
            Accountability,
            pk=run.ids.next(Accountability),
            plan=prun.plan,
            subject_kind=subject,
            subject_name=person.name if subject == SubjectKind.CADRE and person else f"中共{unit.name}党组织",
            position="分管负责人" if subject == SubjectKind.CADRE else "",
            form=rng.choice(FORMS_BY_SUBJECT[subject]),
            deciding_body=rng.choice(t.ACCOUNTABILITY_BODIES),
            doc_no=f"{c.name[:2]}纪〔{day.year}〕{rng.randint(1, 99)}号",
            decided_on=day,
            note=rng.choice(t.ACCOUNTABILITY_NOTES),
            created_by=c.staff,
            created_at=at(day, 11),
            updated_at=at(day, 11),
        )
        run.sink.add(record)
        picked = rng.sample(prun.fed.problems, min(2, len(prun.fed.problems)))
        run.sink.extend(
            new(Accountability.problems.through, accountability_id=record.pk, problem_id=p.pk) for p, _g in picked
        )


def _results(run: Run, c: County, prun: PlanRun) -> None:
    """Rules made on closed tasks (1–3 a plan) and money recovered on problems with an amount."""
    rng = c.rng
    closed = [x for x in prun.tasks if x.state == TaskState.CLOSED]
    for task in rng.sample(closed, min(len(closed), rng.randint(1, 3))):
        run.sink.add(
            new(
                Mechanism,
                pk=run.ids.next(Mechanism),
                plan=prun.plan,
                task=task,
                title=f"{prun.fed.target.unit.name}{rng.choice(t.MECHANISMS)}",
                kind=rng.choice(Mechanism.Kind.values),
                doc_no=f"{prun.fed.target.unit.name[-3:]}发〔{task.closed_on.year}〕{rng.randint(1, 60)}号",
                issued_on=task.closed_on,
                created_at=at(task.closed_on, 15),
                updated_at=at(task.closed_on, 15),
            )
        )
    amounts = {p.pk: sum((w.amount for w in g if w.amount), Decimal(0)) for p, g in prun.fed.problems}
    done: set[int] = set()
    for task in closed:
        amount = amounts.get(task.problem.pk)
        if not amount or task.problem.pk in done or rng.random() < 0.7:
            continue
        done.add(task.problem.pk)
        share = (amount * Decimal(rng.randint(30, 100)) / 100).quantize(Decimal("0.01"))
        run.sink.add(
            new(
                MoneyRecovery,
                pk=run.ids.next(MoneyRecovery),
                plan=prun.plan,
                task=task,
                amount=max(share, Decimal("1.00")),
                description=rng.choice(t.RECOVERIES),
                recovered_on=task.closed_on,
                created_at=at(task.closed_on, 15),
                updated_at=at(task.closed_on, 15),
            )
        )


def _disclosures(run: Run, c: County, prun: PlanRun) -> None:
    rng, unit = c.rng, prun.fed.target.unit
    day = prun.fed.sent_on + timedelta(days=rng.randint(65, 80))
    if day > run.as_of:
        return
    total = len(prun.fed.problems)
    by_problem: dict[int, bool] = {}
    for task in prun.tasks:
        ok = task.state in (TaskState.CLOSED, TaskState.ONGOING) and task.closed_on and task.closed_on <= day
        by_problem[task.problem.pk] = by_problem.get(task.problem.pk, True) and bool(ok)
    done = sum(by_problem.values())
    text = t.DISCLOSURE_TEXT.format(n=prun.fed.tplan.team.number, unit=unit.name, total=total, done=done)
    for channel in (DisclosureChannel.IN_PARTY, DisclosureChannel.PUBLIC):
        if channel == DisclosureChannel.PUBLIC and rng.random() < 0.3:
            continue
        pending = (run.as_of - day).days < 10 and rng.random() < 0.5
        held = channel == DisclosureChannel.PUBLIC and rng.random() < 0.2
        published = day + timedelta(days=rng.randint(2, 8))
        run.sink.add(
            new(
                Disclosure,
                pk=run.ids.next(Disclosure),
                plan=prun.plan,
                channel=channel,
                title=f"中共{unit.name}党组织关于巡察整改进展情况的通报"[:150],
                text=text,
                exemptions=[Exemption.CASE] if held else [],
                exemption_note="涉及正在审查调查的问题不予公开。" if held else "",
                state=DisclosureState.DRAFT if pending else DisclosureState.APPROVED,
                published_on=None if pending else min(published, run.as_of),
                created_by=prun.liaison,
                approved_by=None if pending else c.staff,
                created_at=at(day, 10),
                updated_at=at(min(published, run.as_of), 10),
            )
        )


def _campaign(run: Run, c: County, plans: list[PlanRun]) -> None:
    """One sector clean-up per county: the sector with the most fed-back units in approved plans."""
    rng = c.rng
    approved = [p for p in plans if p.approved and p.fed.target.unit.sector_dept_id and p.tasks]
    if not approved:
        return
    latest = max(p.fed.sent_on for p in approved)
    recent = [p for p in approved if (latest - p.fed.sent_on).days < 400]
    counts: dict[int, int] = {}
    for p in recent:
        counts[p.fed.target.unit.sector_dept_id] = counts.get(p.fed.target.unit.sector_dept_id, 0) + 1
    sector_id = max(counts, key=lambda k: (counts[k], -k))
    chosen = [p for p in recent if p.fed.target.unit.sector_dept_id == sector_id][:6]
    sector = chosen[0].fed.target.unit.sector_dept
    start = max(p.plan.approved_on for p in chosen)
    title, description = rng.choice(t.CAMPAIGNS)
    due = start + timedelta(days=180)
    closed = due + timedelta(days=10) <= run.as_of
    campaign = new(
        Campaign,
        pk=run.ids.next(Campaign),
        jurisdiction=c.node,
        sector_dept=sector,
        title=title,
        description=description,
        due_on=due,
        state=CampaignState.CLOSED if closed else CampaignState.ACTIVE,
        created_by=c.head,
        closed_on=due if closed else None,
        created_at=at(start, 10),
        updated_at=at(due if closed else start, 10),
    )
    run.sink.add(campaign)
    for prun in chosen:
        problem = prun.fed.problems[0][0]
        run.sink.add(new(Campaign.problems.through, campaign_id=campaign.pk, problem_id=problem.pk))
        task = next(x for x in prun.tasks if x.problem is problem)
        task.campaign = campaign
    receiver = next((u for u in c.accounts_by_role.get(Role.SECTOR_RECEIVER, []) if u.unit_id == sector.pk), None)
    for n, text in enumerate(t.CAMPAIGN_REPORTS):
        day = start + timedelta(days=30 + 60 * n)
        if day > run.as_of:
            break
        run.sink.add(
            new(
                CampaignReport,
                pk=run.ids.next(CampaignReport),
                campaign=campaign,
                text=text,
                actor=receiver,
                created_at=at(day, 16),
            )
        )
