"""A small round with numbers counted by hand, for the situation report's figures.

County A's round: team 1 covers the town and its village, team 2 the finance bureau. The team's
problems go through the findings services (signed papers, focus items, tags); the rows after
feedback are written directly, so each state and date is exactly what the counts below say.

HAND is the expected value of every figure, counted from the rows written here.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from xuncha.accounts.models import UnitType
from xuncha.accounts.permissions import Role
from xuncha.accounts.tests.factories import make_unit, make_user
from xuncha.fieldwork.models import FieldRecord, FixNotice, FixState, RecordKind, WorkingPaper
from xuncha.findings.models import Feedback, FeedbackState, Severity, Tag
from xuncha.findings.services import problems as problem_services
from xuncha.findings.tests.factories import findings_site, problem, signed_paper
from xuncha.intake.models import Channel, Report, ReportState
from xuncha.plans.models import RoundTarget, Team
from xuncha.rectification.models import (
    Accountability,
    AccountabilityForm,
    Campaign,
    Mechanism,
    MoneyRecovery,
    PlanState,
    RectificationPlan,
    SubjectKind,
    Task,
    TaskState,
)
from xuncha.transfers.models import Disposal, Transfer, TransferKind, TransferState

HAND = {
    "teams": 2,
    "targets": 3,
    "villages": 1,
    "interviews": {"held": 4, "confirmed": 2},
    "documents": {"requests": 2, "returned": 1},
    "visits": 1,
    "checks": 1,
    "questionnaires": 1,
    "reports": {"received": 7, "in_scope": 3, "linked": 1, "forwarded": 1, "not_accepted": 1, "merged": 1},
    "papers": {"total": 5, "signed": 4},
    "fixes": {"issued": 3, "done": 1, "answered": 1},
    "severity": {"一般": 2, "较重": 1, "严重": 1},
    "by_item": [3, 0, 1, 0],  # the four items of 四个落实, in order
    "tags": {"雁过拔毛": 3, "优亲厚友": 1},
    "recurring": [{"label": "雁过拔毛", "units": 2, "n": 3}],
    "serious": ["侵占群众补贴", "违规发放津贴补贴"],  # grave first, then serious
    "transfers_by_kind": {
        "问题线索": (2, 3),
        "选人用人和干部管理问题": (1, 3),
        "行业领域共性问题": (1, 0),
        "其他事项": (0, 0),
    },
    "by_receiver": [("甲县纪委监委", 2, 3), ("甲县委组织部", 1, 3), ("甲县财政局", 1, 0)],
    "transfer_states": {"已移交": 1, "已签收": 0, "办理中": 1, "已反馈办理结果": 1, "已办结": 1},
    "disposals": {"谈话函询": 1, "初步核实": 1, "督促整改": 1},
    "transfers_overdue": 1,
    "plans": {"fed_back": 2, "plans": 2, "approved": 1},
    "tasks": {"total": 6, "closed": 2, "ongoing": 1, "requested": 1, "in_progress": 2, "overdue": 2},
    "rate": {"problems": 4, "done": 1, "rate": Decimal("25.0")},
    "mechanisms": {"total": 3, "new": 2, "revised": 1},
    "money": Decimal("3300.50"),
    "accountability": {"total": 4, "organisations": 1, "cadres": 3, "责令检查": 1, "约谈": 2, "诫勉": 1},
    "campaigns": 1,
}


def _records(site, village_target) -> None:
    team, town = site["team"], site["target"]
    today = timezone.localdate()

    def rec(target, kind, **kw):
        FieldRecord.objects.create(team=team, target=target, kind=kind, title=str(kind), occurred_on=today, **kw)

    rec(town, RecordKind.INTERVIEW, confirmed_on=today)
    rec(town, RecordKind.INTERVIEW, confirmed_on=today)
    rec(town, RecordKind.INTERVIEW)
    rec(town, RecordKind.INTERVIEW, planned=True)  # still to do: not counted
    rec(village_target, RecordKind.INTERVIEW)
    rec(town, RecordKind.DOCUMENTS, returned_on=today)
    rec(town, RecordKind.DOCUMENTS)
    rec(town, RecordKind.VISIT)
    rec(village_target, RecordKind.SPECIAL_CHECK)
    rec(village_target, RecordKind.QUESTIONNAIRE)


def _reports(site, village_target) -> None:
    rows = [
        (site["target"], ReportState.ACCEPTED, Channel.ONLINE),
        (site["target"], ReportState.ACCEPTED, Channel.ONLINE),
        (site["target"], ReportState.LINKED, Channel.LETTER),
        (site["target"], ReportState.FORWARDED, Channel.PHONE),
        (site["target"], ReportState.MERGED, Channel.MAILBOX),
        (village_target, ReportState.NOT_ACCEPTED, Channel.VISIT),
        (village_target, ReportState.RECEIVED, Channel.ONLINE),
    ]
    for n, (target, state, channel) in enumerate(rows, start=1):
        Report.objects.create(
            round=site["round"],
            target=target,
            intake_no=f"T-{n:04d}",
            channel=channel,
            state=state,
            wrapped_key="k",
            content=b"sealed",
        )


def _problems(site, village_target) -> list:
    tag = {t.name: t for t in Tag.objects.filter(name__in=["雁过拔毛", "优亲厚友"])}
    p1 = problem(site, title="侵占群众补贴", severity=Severity.GRAVE, tags=[tag["雁过拔毛"]])
    p2 = problem(site, item=2, title="违规发放津贴补贴", severity=Severity.SERIOUS, tags=list(tag.values()))
    p3 = problem(site, title="会议记录不规范")
    p4 = problem_services.problem_create(
        actor=site["users"]["member"],
        target=village_target,
        papers=[signed_paper(site, target=village_target)],
        focus_items=[site["items"][0]],
        tags=[tag["雁过拔毛"]],
        title="村干部优亲厚友",
        description="2025年低保评定优亲厚友。",
    )
    WorkingPaper.objects.create(team=site["team"], target=site["target"], number=99, title="草稿底稿")
    paper = p1.papers.first()
    today = timezone.localdate()
    for unit, state in ((site["target"].unit, FixState.ACCEPTED), (site["target"].unit, FixState.ANSWERED)):
        FixNotice.objects.create(paper=paper, unit=unit, state=state, issued_on=today, due_on=today, requirement="改")
    FixNotice.objects.create(paper=paper, unit=village_target.unit, issued_on=today, due_on=today, requirement="改")
    return [p1, p2, p3, p4]


def _transfers(world, site, village_target) -> dict:
    county = world.a["county"]
    discipline = make_unit(county, "甲县纪委监委", UnitType.DEPARTMENT)
    organisation = make_unit(county, "甲县委组织部", UnitType.DEPARTMENT)
    today = timezone.localdate()
    rows = [
        (TransferKind.CLUE, discipline, site["target"], 2, TransferState.REPORTED, Disposal.TALK, 10),
        (TransferKind.CLUE, discipline, village_target, 1, TransferState.HANDLING, Disposal.VERIFY, 200),
        (TransferKind.PERSONNEL, organisation, site["target"], 3, TransferState.SENT, "", 5),
        (TransferKind.SECTOR, world.a["dept"], None, 0, TransferState.CLOSED, Disposal.RECTIFY, 200),
    ]
    for kind, receiver, target, persons, state, disposal, days_ago in rows:
        Transfer.objects.create(
            round=site["round"],
            team=site["team"],
            target=target,
            kind=kind,
            receiver=receiver,
            title="移交",
            summary="……",
            persons_count=persons,
            state=state,
            disposal=disposal,
            sent_on=today - timedelta(days=days_ago),
        )
    return {"discipline": discipline, "organisation": organisation}


def _plan(site, target, state):
    feedback = Feedback.objects.create(
        target=target, round=site["round"], team=site["team"], state=FeedbackState.SENT, sent_on=timezone.localdate()
    )
    return RectificationPlan.objects.create(feedback=feedback, state=state)


def _tasks(plan, problem, rows) -> None:
    today = timezone.localdate()
    for state, days in rows:
        Task.objects.create(
            plan=plan,
            problem=problem,
            number=Task.objects.filter(plan=plan).count() + 1,
            measure="整改",
            standard="到位",
            due_on=today + timedelta(days=days),
            lead_dept="党政办",
            owner="张某",
            state=state,
        )


def _rectification(world, site, village_target, problems) -> None:
    p1, p2, p3, p4 = problems
    town_plan = _plan(site, site["target"], PlanState.APPROVED)
    village_plan = _plan(site, village_target, PlanState.SUBMITTED)
    _tasks(town_plan, p1, [(TaskState.CLOSED, -30), (TaskState.ONGOING, -20)])
    _tasks(town_plan, p2, [(TaskState.IN_PROGRESS, -10), (TaskState.CLOSED, -5)])
    _tasks(town_plan, p3, [(TaskState.CLOSURE_REQUESTED, 15)])
    _tasks(village_plan, p4, [(TaskState.IN_PROGRESS, -3)])
    today = timezone.localdate()
    for plan, kind in ((town_plan, Mechanism.Kind.NEW), (town_plan, Mechanism.Kind.REVISED), (village_plan, "new")):
        Mechanism.objects.create(plan=plan, title="制度", kind=kind, issued_on=today)
    for plan, amount in ((town_plan, "1000.50"), (town_plan, "2000.00"), (village_plan, "300")):
        MoneyRecovery.objects.create(plan=plan, amount=Decimal(amount), description="清退", recovered_on=today)
    for plan, subject, form in (
        (town_plan, SubjectKind.CADRE, AccountabilityForm.TALK),
        (town_plan, SubjectKind.CADRE, AccountabilityForm.TALK),
        (town_plan, SubjectKind.ORGANISATION, AccountabilityForm.INSPECTION),
        (village_plan, SubjectKind.CADRE, AccountabilityForm.ADMONISH),
    ):
        Accountability.objects.create(
            plan=plan,
            subject_kind=subject,
            subject_name="某",
            form=form,
            deciding_body="县纪委",
            doc_no="1",
            decided_on=today,
        )
    campaign = Campaign.objects.create(
        jurisdiction=world.a["county"], sector_dept=world.a["dept"], title="整治", description="……", due_on=today
    )
    campaign.problems.set([p1, p4])


def situation_round(world) -> dict:
    """The round of HAND, and a user of each role the permission tests need."""
    site = findings_site(world)
    rnd = site["round"]
    village = world.a["village"]
    village_target = RoundTarget.objects.create(round=rnd, unit=village, team=site["team"])
    team2 = Team.objects.create(round=rnd, number=2)
    RoundTarget.objects.create(round=rnd, unit=world.a["dept"], team=team2)
    _records(site, village_target)
    _reports(site, village_target)
    problems = _problems(site, village_target)
    receivers = _transfers(world, site, village_target)
    _rectification(world, site, village_target, problems)
    return {
        **site,
        **receivers,
        "village_target": village_target,
        "problems": problems,
        "office": make_user(world.a["dept"], Role.OFFICE_STAFF, scope=world.a["county"]),
        "other_office": make_user(world.b["dept"], Role.OFFICE_STAFF, scope=world.b["county"]),
        "unit_user": make_user(world.a["village"], Role.UNIT_LIAISON, scope=world.a["village"]),
        "upper": make_user(world.city, Role.UPPER_OFFICE, scope=world.city),
    }
