"""Rectification of fed-back units: the plan (signed, jointly reviewed, maybe returned once,
approved), ≈ 3 tasks per problem, progress and closure with evidence, the warning ladder's
messages, the special life meeting and the two reports.

Dates follow the feedback date and stop at ``as_of``: plans of older rounds are approved with
their tasks closed (long-term ones in their ongoing stage), recent ones are in draft or review, or
approved with open tasks, some overdue. Each unit fed back gets a liaison and a leader account
(the main leader's), as an office sets them up to let the unit file its plan.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from xuncha.accounts.permissions import Role
from xuncha.files.models import Kind
from xuncha.notify.models import Notification
from xuncha.rectification.models import (
    Horizon,
    LifeMeeting,
    PlanEvent,
    PlanReport,
    PlanReview,
    PlanState,
    RectificationPlan,
    ReportInterval,
    ReportKind,
    Task,
    TaskEvent,
    TaskState,
    TaskUpdate,
)
from xuncha.synth import texts_rect as t
from xuncha.synth.bulk import at, new
from xuncha.synth.context import County, Run
from xuncha.synth.files import steps, stored_file
from xuncha.synth.findings import Fed
from xuncha.synth.org import _grant, _user

HORIZONS = [Horizon.IMMEDIATE] * 3 + [Horizon.DEADLINE] * 14 + [Horizon.LONG_TERM] * 3
DUE = {Horizon.IMMEDIATE: (10, 25), Horizon.DEADLINE: (30, 75), Horizon.LONG_TERM: (180, 365)}


@dataclass
class PlanRun:
    """One plan while generated: the later stages (supervision, results) read it."""

    fed: Fed
    plan: RectificationPlan
    tasks: list[Task] = field(default_factory=list)
    liaison: Any = None
    laggard: bool = False  # a unit some of whose tasks stall past their deadline
    forced: bool = False  # the county's one certain laggard

    @property
    def approved(self) -> bool:
        return self.plan.state == PlanState.APPROVED


def unit_accounts(run: Run, c: County, fed: Fed) -> tuple[Any, Any]:
    unit = fed.target.unit
    if unit.pk in c.unit_users:
        return c.unit_users[unit.pk]
    when = at(fed.sent_on)
    tag = f"c{c.index:04d}"
    people = c.people.get(unit.pk, [])
    name = people[-1].name if people else unit.name
    liaison = _user(run, f"{tag}_ll{unit.pk}", name, unit, None, when)
    _grant(run, liaison, Role.UNIT_LIAISON, unit, when)
    main = c.main_leader.get(unit.pk)
    leader = c.account.get(main.pk) if main is not None else None
    if leader is None:
        leader = _user(run, f"{tag}_fzr{unit.pk}", main.name if main else unit.name, unit, main, when)
        if main is not None:
            c.account[main.pk] = leader
        _grant(run, leader, Role.UNIT_LEADER, unit, when)
    c.unit_users[unit.pk] = (liaison, leader)
    return liaison, leader


def build_rectification(run: Run, c: County) -> list[PlanRun]:
    # The first unit of the latest round fed back lags behind in any case: every county has overdue
    # work, however small the data set.
    latest = max((fed.sent_on for fed in c.fed), default=None)
    lagging = next((fed for fed in c.fed if fed.sent_on == latest), None)
    return [_plan(run, c, fed, fed is lagging) for fed in c.fed]


def _plan(run: Run, c: County, fed: Fed, lagging: bool = False) -> PlanRun:
    rng = c.rng
    liaison, leader = unit_accounts(run, c, fed)
    created = fed.sent_on + timedelta(days=rng.randint(1, 3))
    plan = new(
        RectificationPlan,
        pk=run.ids.next(RectificationPlan),
        feedback=fed.feedback,
        state=PlanState.DRAFT,
        created_at=at(min(created, run.as_of), 9),
    )
    run.sink.add(plan)
    recent = (run.as_of - fed.sent_on).days <= 540
    prun = PlanRun(fed, plan, liaison=liaison, laggard=lagging or (recent and rng.random() < 0.3))
    prun.forced = lagging
    run.audit.add(plan.created_at, liaison, "rectification.plan.create", plan, c.node.pk, {"feedback": fed.feedback.pk})
    _tasks(run, c, prun, plan.created_at.date())
    _review(run, c, prun, created)
    plan.updated_at = plan.updated_at or plan.created_at
    if prun.approved:
        first = next((x for x in prun.tasks if x.horizon != Horizon.LONG_TERM), None)
        for task in prun.tasks:
            _progress(run, c, prun, task, stall=prun.forced and task is first)
    _life_meeting(run, c, prun)
    _reports(run, c, prun, leader)
    return prun


def _tasks(run: Run, c: County, prun: PlanRun, day: date) -> None:
    rng, unit = c.rng, prun.fed.target.unit
    leaders = c.people.get(unit.pk, [])[:4]
    number = 0
    for problem, _papers in prun.fed.problems:
        for _ in range(rng.choice((2, 3, 3, 3, 4))):
            number += 1
            horizon = rng.choice(HORIZONS)
            low, high = DUE[horizon]
            measure, standard = rng.choice(t.MEASURES)
            task = new(
                Task,
                pk=run.ids.next(Task),
                plan=prun.plan,
                problem=problem,
                number=number,
                measure=measure,
                standard=standard,
                horizon=horizon,
                due_on=prun.fed.sent_on + timedelta(days=rng.randint(low, high)),
                leader=rng.choice(leaders) if leaders else None,
                lead_dept=rng.choice(t.LEAD_DEPTS),
                owner=rng.choice(c.people.get(unit.pk) or leaders or [None]).name if leaders else "联络员",
                state=TaskState.IN_PROGRESS,
                report_interval=rng.choice(ReportInterval.values) if horizon == Horizon.LONG_TERM else None,
                created_at=at(day, 10),
                updated_at=at(day, 10),
            )
            run.sink.add(task)
            prun.tasks.append(task)
            after = {"measure": measure, "horizon": horizon, "due_on": task.due_on.isoformat()}
            run.audit.add(task.created_at, prun.liaison, "rectification.task.add", task, unit.pk, after)


def _snapshot(prun: PlanRun) -> list[dict[str, Any]]:
    """As ``plan_snapshot`` stores it with each review."""
    return [
        {
            "number": task.number,
            "problem": task.problem.number,
            "measure": task.measure,
            "standard": task.standard,
            "horizon": task.horizon,
            "due_on": task.due_on.isoformat(),
            "lead_dept": task.lead_dept,
            "owner": task.owner,
        }
        for task in prun.tasks
    ]


def _review(run: Run, c: County, prun: PlanRun, created: date) -> None:
    """submit → start_review → (return → submit → start_review) → approve, cut at as_of."""
    rng, plan = c.rng, prun.plan
    late = rng.random() < 0.15  # a unit that files its plan late
    actions = ["submit", "start_review"]
    if rng.random() < 0.25:
        actions += ["return", "submit", "start_review"]
    actions.append("approve")
    gaps = {"submit": (10, 20), "start_review": (1, 4), "return": (3, 8), "approve": (3, 20)}
    days = steps(rng, created + timedelta(days=rng.randint(15, 40) if late else 0), [gaps[a] for a in actions])
    targets = {"submit": PlanState.SUBMITTED, "start_review": PlanState.IN_REVIEW}
    targets |= {"return": PlanState.RETURNED, "approve": PlanState.APPROVED}
    unit = prun.fed.target.unit
    for action, day in zip(actions, days, strict=True):
        if day > run.as_of:
            break
        from_state = plan.state
        actor = prun.liaison if action == "submit" else c.staff
        comment = ""  # the review's overall comment, on the event too (plan_transition records it on both)
        if action == "submit":
            plan.signed_by, plan.signed_on = prun.fed.feedback.main_leader, day
        if action in ("approve", "return"):
            approve = action == "approve"
            comment = rng.choice(t.REVIEW_APPROVE if approve else t.REVIEW_RETURN)
            run.sink.add(
                new(
                    PlanReview,
                    pk=run.ids.next(PlanReview),
                    plan=plan,
                    version=plan.version,
                    decision=PlanReview.Decision.APPROVE if approve else PlanReview.Decision.RETURN,
                    comment=comment,
                    item_comments={} if approve else {str(prun.tasks[0].number): "请明确完成时限和责任人。"},
                    snapshot=_snapshot(prun),
                    reviewer=c.staff,
                    created_at=at(day, 15),
                )
            )
        if action == "approve":
            plan.approved_on = day
        if action == "return":
            plan.version += 1
        plan.state = targets[action]
        plan.updated_at = at(day, 15)
        run.sink.add(
            new(
                PlanEvent,
                pk=run.ids.next(PlanEvent),
                plan=plan,
                action=action,
                from_state=from_state,
                to_state=plan.state,
                actor=actor,
                comment=comment,
                created_at=at(day, 15),
            )
        )
        after = {"state": plan.state, "version": plan.version, "tasks": len(prun.tasks)}
        after["from_state"] = from_state
        run.audit.add(at(day, 15), actor, f"rectification.plan.{action}", plan, unit.pk, after)


def _update(run: Run, c: County, prun: PlanRun, task: Task, kind: str, text: str, day: date, actor: Any) -> None:
    if kind == TaskUpdate.Kind.PROGRESS and task.horizon == Horizon.LONG_TERM:
        kind = TaskUpdate.Kind.PERIODIC  # as task_progress files a long-term task's report
    update = new(
        TaskUpdate, pk=run.ids.next(TaskUpdate), task=task, kind=kind, text=text, actor=actor, created_at=at(day, 14)
    )
    run.sink.add(update)
    files = 0
    reports = (TaskUpdate.Kind.PROGRESS, TaskUpdate.Kind.PERIODIC)
    if kind == TaskUpdate.Kind.REQUEST or (kind in reports and c.rng.random() < 0.4):
        stored = stored_file(run, c, f"整改佐证材料{task.number}.pdf", Kind.PDF, actor, day)
        run.sink.add(new(TaskUpdate.files.through, taskupdate_id=update.pk, storedfile_id=stored.pk))
        files = 1
    action = "progress" if kind in (TaskUpdate.Kind.PROGRESS, TaskUpdate.Kind.PERIODIC) else kind
    after = {"state": task.state, "update": update.pk, "files": files}
    run.audit.add(at(day, 14), actor, f"rectification.task.{action}", task, prun.fed.target.unit.pk, after)


def _progress(run: Run, c: County, prun: PlanRun, task: Task, stall: bool = False) -> None:
    """Progress, then closure requested and verified, cut at as_of; some stall past their deadline."""
    rng, approved = c.rng, prun.plan.approved_on
    stuck = (prun.laggard and rng.random() < 0.2) or stall
    finish = max(task.due_on + timedelta(days=rng.randint(-25, 8)), approved + timedelta(days=3))
    if task.horizon == Horizon.LONG_TERM:
        finish = approved + timedelta(days=rng.randint(60, 150))
    for n in range(rng.choice((0, 1, 1, 2))):
        day = approved + timedelta(days=2 + n * max((finish - approved).days // 3, 1))
        if day <= run.as_of:
            _update(run, c, prun, task, TaskUpdate.Kind.PROGRESS, rng.choice(t.PROGRESS), day, prun.liaison)
    if stuck or finish > run.as_of:
        return
    rejected = rng.random() < 0.1
    plan_steps = [("request", finish)]
    if rejected:
        back = finish + timedelta(days=rng.randint(3, 7))
        plan_steps += [("reject", back), ("request", back + timedelta(days=rng.randint(5, 15)))]
    last = plan_steps[-1][1]
    verdict = "ongoing" if task.horizon == Horizon.LONG_TERM else "close"
    plan_steps.append((verdict, last + timedelta(days=rng.randint(2, 10))))
    texts = {"request": t.REQUESTS, "reject": t.REJECTS, "close": t.CLOSES, "ongoing": t.ONGOING}
    states = {"request": TaskState.CLOSURE_REQUESTED, "reject": TaskState.IN_PROGRESS}
    states |= {"close": TaskState.CLOSED, "ongoing": TaskState.ONGOING}
    for action, day in plan_steps:
        if day > run.as_of:
            break
        from_state, task.state = task.state, states[action]
        if action in ("close", "ongoing"):
            task.closed_on = day
        actor = prun.liaison if action == "request" else c.staff
        text = rng.choice(texts[action])
        _update(run, c, prun, task, action, text, day, actor)
        task.updated_at = at(day, 14)
        # The step's text is the event's comment too (task_transition records it on both).
        event = new(
            TaskEvent,
            pk=run.ids.next(TaskEvent),
            task=task,
            action=action,
            from_state=from_state,
            to_state=task.state,
            actor=actor,
            comment=text,
            created_at=at(day, 14),
        )
        run.sink.add(event)
    if task.state == TaskState.ONGOING:
        _periodic(run, c, prun, task)


def _periodic(run: Run, c: County, prun: PlanRun, task: Task) -> None:
    day = task.closed_on
    for _ in range(3):
        day = day + timedelta(days=30 * (task.report_interval or ReportInterval.QUARTERLY))
        if day > run.as_of:
            return
        _update(run, c, prun, task, TaskUpdate.Kind.PERIODIC, c.rng.choice(t.PERIODIC), day, prun.liaison)


def _life_meeting(run: Run, c: County, prun: PlanRun) -> None:
    day = prun.fed.sent_on + timedelta(days=c.rng.randint(15, 32))
    if day > run.as_of:
        return
    unit = prun.fed.target.unit
    leader = c.main_leader.get(unit.pk)
    members = [p.name for p in c.people.get(unit.pk, [])[:5]]
    run.sink.add(
        new(
            LifeMeeting,
            pk=run.ids.next(LifeMeeting),
            plan=prun.plan,
            held_on=day,
            place=f"{unit.name}{c.rng.choice(t.LIFE_PLACES)}",
            chaired_by=leader.name if leader else "",
            attendees="、".join(members)[:300],
            supervisors=f"县纪委监委、县委组织部、县委第{prun.fed.tplan.team.number}巡察组",
            summary=t.LIFE_SUMMARY,
            created_at=at(day, 17),
            updated_at=at(day, 17),
        )
    )


def _reports(run: Run, c: County, prun: PlanRun, leader: Any) -> None:
    day = prun.fed.sent_on + timedelta(days=c.rng.randint(50, 62))
    if not prun.approved or day > run.as_of:
        return
    unit = prun.fed.target.unit
    for kind, user in ((ReportKind.UNIT, prun.liaison), (ReportKind.LEADER, leader)):
        name = f"{unit.name}{ReportKind(kind).label}.docx"
        run.sink.add(
            new(
                PlanReport,
                pk=run.ids.next(PlanReport),
                plan=prun.plan,
                kind=kind,
                submitted_on=day,
                file=stored_file(run, c, name, Kind.DOCX, user, day),
                submitted_by=user,
                created_at=at(day, 11),
                updated_at=at(day, 11),
            )
        )


def notifications(run: Run, c: County, plans: list[PlanRun], leaders: list[Any]) -> None:
    """The warning ladder's messages as ``remind`` sends them, for tasks still open on as_of."""
    for prun in plans:
        if not prun.approved:
            continue
        liaison, unit_leader = c.unit_users[prun.fed.target.unit.pk]
        for task in prun.tasks:
            if task.state in (TaskState.CLOSED, TaskState.ONGOING):
                continue
            levels = [("green", task.due_on - timedelta(days=20)), ("yellow", task.due_on - timedelta(days=10))]
            levels.append(("red", task.due_on + timedelta(days=1)))
            for level, day in levels:
                day = max(day, prun.plan.approved_on)
                if day > run.as_of:
                    break
                users = [liaison] + (leaders if level != "green" else []) + ([unit_leader] if level == "red" else [])
                for user in users:
                    _message(run, c, prun, task, level, day, user)


LEVEL_TITLES = {"green": "绿色提醒", "yellow": "黄色预警", "red": "红色预警（已逾期）"}


def _message(run: Run, c: County, prun: PlanRun, task: Task, level: str, day: date, user: Any) -> None:
    unit = prun.fed.target.unit
    read = (run.as_of - day).days > 7 and c.rng.random() < 0.7
    run.sink.add(
        new(
            Notification,
            pk=run.ids.next(Notification),
            user=user,
            key=f"task:{task.pk}:{level}:{task.due_on.isoformat()}",
            title=f"{LEVEL_TITLES[level]}：{unit.name}整改任务{task.number}",
            body=f"“{task.measure[:60]}”完成时限为{task.due_on.isoformat()}。",
            url=f"/rectification/tasks/{task.pk}/",
            created_at=at(day, 8),
            read_at=at(day + timedelta(days=1), 9) if read else None,
        )
    )
