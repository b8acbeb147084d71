"""Demo follow-up: 县民政局 (第七轮) holds its life meeting, makes two rules, recovers money, is
visited by the office (the visit reopens the closed 低保 task) and two people are held to account;
the 2025 round's two units (archived, no plans in the base demo) get approved plans and are
evaluated: 县教育局 较好, 城关镇 差 with a look-back round proposed.

Call after ``seed_rectification``: ``seed_followup(county)``; ``followup_seeded(county)`` tells
whether it ran. Built through the services (validated and audited), as the office and the unit."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from xuncha.accounts.models import User
from xuncha.common.actors import SYSTEM
from xuncha.fieldwork.demo import _pdf
from xuncha.findings.models import Feedback, FeedbackState
from xuncha.rectification.models import Evaluation, LifeMeeting, RectificationPlan, TaskState
from xuncha.rectification.services import accountability, evaluation, results, visits
from xuncha.rectification.services import plans as plan_services
from xuncha.rectification.services import tasks as task_services

SEVENTH = "县委第十四届第七轮巡察"
ARCHIVED = "县委第十四届第五轮巡察"

# (unit, close every task?, deductions): 县教育局 87.5 (较好), 城关镇 45 (差).
EVALUATIONS = {
    "县教育局": (
        True,
        {
            "B1": ("6", "3项任务逾期完成。"),
            "B4": ("4", "教育收费管理制度修订滞后。"),
            "E1": ("2.5", "回访中个别教师反映整改宣传不到位。"),
        },
    ),
    "城关镇": (
        False,
        {
            "A1": ("8", "镇党委主要负责人未专题研究整改工作。"),
            "A2": ("6", "整改方案措施笼统，两次被退回。"),
            "A3": ("5", "未按期召开专题民主生活会。"),
            "B1": ("16", "整改任务全部逾期未完成。"),
            "B2": ("6", "立行立改事项未及时完成。"),
            "B4": ("8", "村级财务管理制度未建立。"),
            "E1": ("6", "群众反映“三资”问题依然突出。"),
        },
    ),
}


def followup_seeded(county) -> bool:
    in_county = {"plan__feedback__target__round__jurisdiction": county}
    return LifeMeeting.objects.filter(**in_county).exists() or Evaluation.objects.filter(**in_county).exists()


def _user(username: str) -> Any:
    return User.objects.filter(username=username).first() or SYSTEM


@transaction.atomic
def seed_followup(county) -> dict[str, int]:
    office, head, liaison = _user("xcb_ganbu"), _user("xcb_zhuren"), _user("mz_lianluoyuan")
    counts = {"visits": 0, "evaluations": 0}
    plan = (
        RectificationPlan.objects.filter(
            feedback__target__round__jurisdiction=county,
            feedback__target__round__name=SEVENTH,
            feedback__target__unit__name="县民政局",
        )
        .select_related("feedback")
        .first()
    )
    if plan is not None:
        _results(plan, liaison)
        counts["visits"] += _visit(plan, office)
        _accountability(plan, head)
    for feedback in Feedback.objects.filter(
        target__round__jurisdiction=county, target__round__name=ARCHIVED, state=FeedbackState.SENT
    ).select_related("target__unit"):
        rows = EVALUATIONS.get(feedback.target.unit.name)
        if rows is None:
            continue
        archived = _approved_plan(feedback, close_all=rows[0])
        _evaluate(archived, feedback, rows[1], head)
        counts["evaluations"] += 1
    return counts


def _day(plan: RectificationPlan, days_after_feedback: int):
    """A date after the feedback, never later than today."""
    return min(plan.feedback.sent_on + timedelta(days=days_after_feedback), timezone.localdate())


def _results(plan: RectificationPlan, liaison: Any) -> None:
    tasks = list(plan.tasks.order_by("number"))
    results.life_meeting_save(
        actor=liaison,
        plan=plan,
        held_on=_day(plan, 21),
        place="县民政局四楼会议室",
        chaired_by="局党组书记、局长",
        attendees="局党组班子成员",
        supervisors="县纪委监委派驻纪检监察组、县委组织部干部一科",
        summary="班子成员逐一对照巡察反馈问题作对照检查，开展批评和自我批评，明确了整改责任。",
    )
    for title, kind, doc_no, days, task in (
        ("县民政局津贴补贴发放管理办法（修订）", "revised", "县民发〔2026〕18号", 30, tasks[1]),
        ("县最低生活保障对象动态复核办法", "new", "县民发〔2026〕21号", 40, tasks[0]),
    ):
        results.mechanism_create(
            actor=liaison, plan=plan, title=title, kind=kind, doc_no=doc_no, issued_on=_day(plan, days), task=task
        )
    for amount, text, days, task in (
        ("18000.00", "清退违规发放的加班补贴（第一批）", 25, tasks[1]),
        ("36480.00", "追回不符合条件家庭领取的低保金", 35, tasks[0]),
    ):
        results.recovery_create(
            actor=liaison, plan=plan, amount=Decimal(amount), description=text, recovered_on=_day(plan, days), task=task
        )


def _visit(plan: RectificationPlan, office: Any) -> int:
    closed = plan.tasks.filter(state=TaskState.CLOSED).order_by("number").first()
    findings = [{"text": "台账中养老机构消防隐患整改销号材料不完整。", "task": None, "reopen": False}]
    if closed is not None:
        findings.insert(
            0,
            {"text": "抽查发现仍有2户收入超标家庭未清退低保，复核不彻底。", "task": closed, "reopen": True},
        )
    visits.visit_record(
        actor=office,
        plan=plan,
        visited_on=timezone.localdate() - timedelta(days=3),
        visitors="县委巡察办 李明、周正",
        summary="到县民政局召开座谈会，查阅整改台账，随机走访低保对象家庭6户。",
        findings=findings,
    )
    return 1


def _accountability(plan: RectificationPlan, head: Any) -> None:
    problems = {p.title: p for p in plan.feedback.target.problems.all()}
    decided = timezone.localdate() - timedelta(days=10)
    accountability.accountability_create(
        actor=head,
        plan=plan,
        subject_kind="cadre",
        subject_name="李某某",
        position="县民政局党组成员、副局长",
        problems=[problems["违规发放津贴补贴"]],
        form="talk",
        deciding_body="县纪委监委",
        doc_no="县纪谈〔2026〕7号",
        decided_on=decided,
    )
    accountability.accountability_create(
        actor=head,
        plan=plan,
        subject_kind="org",
        subject_name="中共示例县民政局党组",
        position="",
        problems=[problems["最低生活保障审核把关不严"], problems["上轮巡察反馈问题整改不到位"]],
        form="inspection",
        deciding_body="县委",
        doc_no="县委责〔2026〕3号",
        decided_on=decided,
    )


def _approved_plan(feedback: Feedback, *, close_all: bool) -> RectificationPlan:
    """The 2025 units had no plan in the base demo: one task per problem, approved, closed or not."""
    plan = plan_services.plan_create(actor=SYSTEM, feedback=feedback)
    for problem in feedback.target.problems.order_by("number"):
        plan_services.task_add(
            actor=SYSTEM,
            plan=plan,
            problem=problem,
            measure=f"针对“{problem.title}”逐项整改，建立长效机制",
            standard="问题整改到位，制度印发执行",
            horizon="deadline",
            due_on=feedback.sent_on + timedelta(days=60),
            lead_dept="办公室",
            owner="王强",
        )
    for action in ("submit", "start_review", "approve"):
        plan_services.plan_transition(obj=plan, action=action, actor=SYSTEM)
    if close_all:
        for task in plan.tasks.order_by("number"):
            task_services.task_transition(
                obj=task, action="request", actor=SYSTEM, data={"text": "已整改到位。", "uploads": [_pdf("closure")]}
            )
            task_services.task_transition(obj=task, action="close", actor=SYSTEM, data={"text": "核验属实。"})
    return plan


def _evaluate(plan: RectificationPlan, feedback: Feedback, rows: dict[str, tuple[str, str]], head: Any) -> None:
    deductions = {code: {"deduct": Decimal(d), "reason": reason} for code, (d, reason) in rows.items()}
    scored = evaluation.evaluation_save(
        actor=head,
        plan=plan,
        evaluated_on=min(feedback.sent_on + timedelta(days=120), timezone.localdate()),
        deductions=deductions,
        comment="经查阅资料、个别谈话和实地走访，综合评定。",
    )
    if scored.grade == "poor":
        evaluation.evaluation_propose_lookback(actor=head, evaluation=scored)
