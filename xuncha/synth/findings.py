"""Problems assembled from signed working papers, the team's inspection report with its versions
and review decisions, and the feedback sent to each unit.

Rounds in the report phase have problems and a report somewhere along the review chain (cut at
``as_of``); rounds fed back have every report approved before the feedback date and a sent
feedback per unit, whose date starts the unit's rectification (``c.fed`` for the later stages).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from xuncha.common.classification import Discipline, Responsibility
from xuncha.files.models import Kind
from xuncha.findings.models import (
    CopyKind,
    DraftEvent,
    DraftKind,
    DraftState,
    Feedback,
    FeedbackCopy,
    FeedbackState,
    FocusItem,
    InspectionReport,
    Problem,
    ReportVersion,
    ReviewDecision,
    Severity,
    Tag,
)
from xuncha.findings.workflow import DRAFT_WORKFLOW
from xuncha.plans.models import RoundState, RoundTarget
from xuncha.synth import texts_rect as t
from xuncha.synth.bulk import at, new
from xuncha.synth.context import County, Run
from xuncha.synth.files import stored_file
from xuncha.synth.rounds import RoundPlan, TeamPlan

CHAIN = ["pass_team", "pass_leader", "pass_joint", "pass_group", "approve"]
OFFICE_STEPS = {"pass_joint", "pass_group", "approve", "return_review"}
SEVERITIES = [Severity.GENERAL] * 6 + [Severity.SERIOUS] * 3 + [Severity.GRAVE]


@dataclass
class Fed:
    """A unit fed back: what rectification, transfers and supervision build on."""

    rplan: RoundPlan
    tplan: TeamPlan
    target: RoundTarget
    feedback: Feedback
    problems: list[tuple[Problem, list[Any]]] = field(default_factory=list)  # (problem, its papers)

    @property
    def sent_on(self) -> date:
        return self.feedback.sent_on


def _lookups(run: Run) -> None:
    if run.finding_tags:
        return
    run.finding_tags = list(Tag.objects.using(run.alias).filter(active=True).exclude(group="bucket").order_by("pk"))
    items = FocusItem.objects.using(run.alias).order_by("focus_list_id", "parent_id", "position", "pk")
    parents = set(items.exclude(parent=None).values_list("parent_id", flat=True))
    for item in items:
        if item.pk not in parents:  # classify against the most specific items
            run.focus_items.setdefault(item.focus_list_id, []).append(item)


def build_findings(run: Run, c: County) -> None:
    _lookups(run)
    for rplan in c.rounds:
        if not rplan.reached(RoundState.ON_SITE):
            continue
        on_site = not rplan.reached(RoundState.REPORTING)
        fed = rplan.reached(RoundState.FEEDBACK_DONE)
        for tplan in rplan.teams:
            for target in tplan.targets:
                papers = c.signed.get(target.pk, [])
                if on_site:  # the team starts assembling problems from what is signed so far
                    papers = papers[: max(1, len(papers) // 2)]
                if not papers:
                    continue
                problems = _problems(run, c, rplan, tplan, target, papers)
                if on_site:
                    continue
                approved = _report(run, c, rplan, tplan, target, fed)
                if fed and approved is not None:
                    feedback = _feedback(run, c, rplan, tplan, target, approved)
                    c.fed.append(Fed(rplan, tplan, target, feedback, problems))


def _problems(
    run: Run, c: County, rplan: RoundPlan, tplan: TeamPlan, target: RoundTarget, papers: list[Any]
) -> list[tuple[Problem, list[Any]]]:
    """One problem per signed paper, now and then two papers merged into one (a paper feeds one)."""
    rng, rnd = c.rng, rplan.round
    items = run.focus_items.get(rnd.focus_list.pk if rnd.focus_list else 0, [])
    groups, pool = [], list(papers)
    while pool:
        take = 2 if len(pool) > 1 and rng.random() < 0.15 else 1
        groups.append([pool.pop(0) for _ in range(take)])
    out = []
    for number, group in enumerate(groups, start=1):
        lead = group[0]
        day = min(rnd.exit_date + timedelta(days=rng.randint(1, 4)), run.as_of)  # before the report
        writer = c.user_for(lead.writer)
        problem = new(
            Problem,
            pk=run.ids.next(Problem),
            round=rnd,
            target=target,
            team=tplan.team,
            number=number,
            title=lead.title,
            description=lead.facts,
            disciplines=rng.sample(Discipline.values, rng.randint(1, 2)),
            responsibilities=[Responsibility.PRINCIPAL] + ([Responsibility.FIRST] if lead.resp_first else []),
            severity=rng.choice(SEVERITIES),
            people=lead.people_involved,
            created_by=writer,
            created_at=at(day, rng.randint(9, 17)),
            updated_at=at(day, 17),
        )
        run.sink.add(problem)
        run.sink.extend(new(Problem.papers.through, problem_id=problem.pk, workingpaper_id=p.pk) for p in group)
        chosen = rng.sample(items, min(len(items), 1 + (rng.random() < 0.2))) if items else []
        run.sink.extend(new(Problem.focus_items.through, problem_id=problem.pk, focusitem_id=i.pk) for i in chosen)
        if run.finding_tags and rng.random() < 0.5:
            tag = rng.choice(run.finding_tags)
            run.sink.add(new(Problem.tags.through, problem_id=problem.pk, tag_id=tag.pk))
        run.audit.add(
            problem.created_at,
            writer,
            "findings.problem.create",
            problem,
            c.node.pk,
            {"title": problem.title, "papers": [p.pk for p in group]},
            f"{number}. {problem.title}",
        )
        out.append((problem, group))
    return out


def _chain(rng: Any) -> list[str]:
    """The actions of a report's review, with at most two returns on the way."""
    actions = ["submit"]
    returns = rng.choice((0, 0, 0, 1, 1, 2))
    for step in CHAIN:
        if returns and step in ("pass_team", "pass_joint") and rng.random() < 0.6:
            returns -= 1
            back = "return_team" if step == "pass_team" else "return_review"
            actions += [back, "version", "submit"] + CHAIN[: CHAIN.index(step)]
        actions.append(step)
    return actions


def _report(run: Run, c: County, rplan: RoundPlan, tplan: TeamPlan, target: RoundTarget, fed: bool) -> date | None:
    """The unit's inspection report; returns the day it was approved (None: still in review)."""
    rng, rnd = c.rng, rplan.round
    actions = _chain(rng)
    start = rnd.exit_date + timedelta(days=rng.randint(6, 10))
    end = rnd.feedback_date - timedelta(days=3) if rnd.feedback_date else start + timedelta(days=40)
    span = max((end - start).days, len(actions))
    days = sorted(start + timedelta(days=rng.randint(0, span)) for _ in actions)
    if fed:
        days = [min(d, end) for d in days]
    leader = c.user_for(tplan.leader)
    report = new(
        InspectionReport,
        pk=run.ids.next(InspectionReport),
        round=rnd,
        team=tplan.team,
        target=target,
        kind=DraftKind.INSPECTION,
        title=f"关于巡察{target.unit.name}党组织的情况报告",
        state=DraftState.DRAFT,
        created_at=at(start - timedelta(days=1), 10),
    )
    run.sink.add(report)
    run.audit.add(report.created_at, leader, "findings.draft.create", report, c.node.pk, {"kind": "inspection"})
    version = _version(run, c, report, 1, leader, start - timedelta(days=1))
    for action, day in zip(actions, days, strict=True):
        if day > run.as_of:
            break
        version = _step(run, c, report, action, day, version, leader)
    report.updated_at = at(min(days[-1], run.as_of), 17)
    return report.approved_on


def _version(run: Run, c: County, report: InspectionReport, number: int, user: Any, day: date) -> ReportVersion:
    source = ReportVersion.Source.GENERATED if number == 1 else ReportVersion.Source.UPLOADED
    stored = stored_file(run, c, f"{report.title}.docx", Kind.DOCX, user, day)
    version = new(
        ReportVersion,
        pk=run.ids.next(ReportVersion),
        report=report,
        number=number,
        source=source,
        file=stored,
        note="系统根据问题清单生成初稿" if number == 1 else c.rng.choice(t.RETURN_NOTES),
        created_by=user,
        created_at=at(day, 11),
    )
    run.sink.add(version)
    after = {"version": number, "sha256": stored.sha256}
    run.audit.add(version.created_at, user, f"findings.draft.version_{source}", report, c.node.pk, after)
    return version


def _step(
    run: Run, c: County, report: InspectionReport, action: str, day: date, version: ReportVersion, leader: Any
) -> ReportVersion:
    if action == "version":
        return _version(run, c, report, version.number + 1, leader, day)
    actor = c.head if action in OFFICE_STEPS else leader
    from_state = report.state
    report.state = DRAFT_WORKFLOW.get(action).target
    if report.state == DraftState.APPROVED:
        report.approved_on = day
    decision_pk = None
    if action != "submit":
        meeting, text = t.MEETINGS[action]
        decision = new(
            ReviewDecision,
            pk=run.ids.next(ReviewDecision),
            report=report,
            version=version,
            action=action,
            from_state=from_state,
            to_state=report.state,
            decided_on=day,
            meeting=meeting,
            decision=text,
            actor=actor,
            created_at=at(day, 16),
        )
        run.sink.add(decision)
        decision_pk = decision.pk
    event = new(
        DraftEvent,
        pk=run.ids.next(DraftEvent),
        report=report,
        action=action,
        from_state=from_state,
        to_state=report.state,
        actor=actor,
        created_at=at(day, 16),
    )
    run.sink.add(event)
    after = {"state": report.state, "version": version.number, "decision": decision_pk}
    run.audit.add(at(day, 16), actor, f"findings.draft.{action}", report, c.node.pk, after)
    return version


def _feedback(run: Run, c: County, rplan: RoundPlan, tplan: TeamPlan, target: RoundTarget, approved: date) -> Feedback:
    rng, rnd, unit = c.rng, rplan.round, target.unit
    sent = rnd.feedback_date
    prepared = min(approved + timedelta(days=1), sent)
    leader = c.user_for(tplan.leader)
    feedback = new(
        Feedback,
        pk=run.ids.next(Feedback),
        target=target,
        round=rnd,
        team=tplan.team,
        state=FeedbackState.SENT,
        doc_no=f"{c.name[:2]}巡反〔{rnd.year}〕{rnd.number * 100 + len(c.fed) % 100 + 1}号",
        meeting_on=sent,
        meeting_place=f"{unit.name}会议室",
        attendees=f"{unit.name}领导班子成员，巡察组全体成员",
        main_leader=c.main_leader.get(unit.pk),
        main_leader_on=sent,
        sent_on=sent,
        sent_by=leader,
        created_at=at(prepared, 9),
        updated_at=at(sent, 15),
    )
    run.sink.add(feedback)
    run.audit.add(feedback.created_at, c.head, "findings.feedback.prepare", feedback, c.node.pk, {"target": target.pk})
    run.audit.add(at(sent, 15), leader, "findings.feedback.send", feedback, c.node.pk, {"sent_on": str(sent)})
    copies = [(CopyKind.DISCIPLINE, c.by_name["县纪委监委"]), (CopyKind.ORGANISATION, c.by_name["县委组织部"])]
    if unit.sector_dept_id:
        copies.append((CopyKind.SECTOR, unit.sector_dept))
    for kind, body in copies if rng.random() < 0.8 else copies[:1]:
        run.sink.add(new(FeedbackCopy, pk=run.ids.next(FeedbackCopy), feedback=feedback, kind=kind, unit=body))
    return feedback
