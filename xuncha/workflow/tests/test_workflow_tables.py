"""Every workflow table as data, without the database: each (state, action) pair is allowed exactly
where the domain prescribes, and the guards give their reasons. The expected edges are written out
here, apart from the tables, so a slip in a table is caught rather than copied."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import pytest
from django.apps import apps

from xuncha.common.actors import SYSTEM
from xuncha.common.models import TransitionEvent
from xuncha.fieldwork.models import FixState, PaperState
from xuncha.fieldwork.workflow import FIX_WORKFLOW, PAPER_WORKFLOW
from xuncha.findings.models import DraftState
from xuncha.findings.workflow import DRAFT_WORKFLOW
from xuncha.intake.models import Discipline, ReportState, Subject
from xuncha.intake.workflow import REPORT_WORKFLOW
from xuncha.plans.models import RoundState
from xuncha.plans.workflow import ROUND_WORKFLOW
from xuncha.rectification.models import Horizon, PlanState, TaskState
from xuncha.rectification.workflow import PLAN_WORKFLOW, TASK_WORKFLOW
from xuncha.transfers.models import Disposal, TransferState
from xuncha.transfers.workflow import TRANSFER_WORKFLOW

# (workflow, its states, {(from, action): to}) — the edges of domain.md §3, and nothing else.
TABLES = {
    "round": (
        ROUND_WORKFLOW,
        RoundState,
        {
            ("draft", "approve"): "approved",
            ("approved", "reopen"): "draft",
            ("approved", "prepare"): "preparing",
            ("preparing", "enter"): "on_site",
            ("on_site", "leave"): "reporting",
            ("reporting", "feedback"): "feedback_done",
            ("feedback_done", "rectify"): "rectifying",
            ("rectifying", "evaluate"): "evaluated",
            ("evaluated", "archive"): "archived",
        },
    ),
    "paper": (
        PAPER_WORKFLOW,
        PaperState,
        {
            ("draft", "submit"): "submitted",
            ("submitted", "approve"): "team_approved",
            ("team_approved", "sign"): "signed",
            ("submitted", "return"): "draft",
            ("team_approved", "return"): "draft",
        },
    ),
    "fix_notice": (
        FIX_WORKFLOW,
        FixState,
        {
            ("issued", "respond"): "answered",
            ("returned", "respond"): "answered",
            ("answered", "accept"): "accepted",
            ("answered", "return"): "returned",
        },
    ),
    "report": (
        REPORT_WORKFLOW,
        ReportState,
        {
            ("received", "accept"): "accepted",
            ("received", "forward"): "forwarded",
            ("accepted", "forward"): "forwarded",
            ("received", "reject"): "not_accepted",
            ("accepted", "link"): "linked",
            ("linked", "link"): "linked",
            ("received", "merge"): "merged",
            ("accepted", "merge"): "merged",
            ("accepted", "close"): "closed",
            ("linked", "close"): "closed",
        },
    ),
    "inspection_report": (
        DRAFT_WORKFLOW,
        DraftState,
        {
            ("draft", "submit"): "team_meeting",
            ("returned", "submit"): "team_meeting",
            ("team_meeting", "pass_team"): "leader",
            ("leader", "pass_leader"): "joint_review",
            ("joint_review", "pass_joint"): "leading_group",
            ("leading_group", "pass_group"): "secretary",
            ("secretary", "approve"): "approved",
            ("team_meeting", "return_team"): "returned",
            ("leader", "return_team"): "returned",
            ("joint_review", "return_review"): "returned",
            ("leading_group", "return_review"): "returned",
            ("secretary", "return_review"): "returned",
        },
    ),
    "transfer": (
        TRANSFER_WORKFLOW,
        TransferState,
        {
            ("sent", "acknowledge"): "acknowledged",
            ("acknowledged", "dispose"): "handling",
            ("handling", "report"): "reported",
            ("reported", "close"): "closed",
            ("reported", "reopen"): "handling",
        },
    ),
    "rectification_plan": (
        PLAN_WORKFLOW,
        PlanState,
        {
            ("draft", "submit"): "submitted",
            ("returned", "submit"): "submitted",
            ("submitted", "start_review"): "in_review",
            ("in_review", "approve"): "approved",
            ("submitted", "return"): "returned",
            ("in_review", "return"): "returned",
        },
    ),
    "rectification_task": (
        TASK_WORKFLOW,
        TaskState,
        {
            ("in_progress", "request"): "closure_requested",
            ("closure_requested", "close"): "closed",
            ("closure_requested", "ongoing"): "ongoing",
            ("closure_requested", "reject"): "in_progress",
            ("closed", "reopen"): "in_progress",
            ("ongoing", "reopen"): "in_progress",
        },
    ),
}

PAIRS = [
    pytest.param(name, state, action, id=f"{name}:{state}:{action}")
    for name, (workflow, states, _edges) in TABLES.items()
    for state in states.values
    for action in sorted({t.action for t in workflow.transitions})
]


@pytest.mark.parametrize(("name", "state", "action"), PAIRS)
def test_every_state_action_pair(name, state, action):
    workflow, _states, edges = TABLES[name]
    expected = edges.get((state, action))
    assert workflow.allows(state, action) == (expected is not None)
    assert (action in {t.action for t in workflow.actions_from(state)}) == (expected is not None)
    if expected:
        assert workflow.get(action).target == expected


@pytest.mark.parametrize("name", TABLES)
def test_the_table_names_its_states_its_event_model_and_its_audit_actions(name):
    workflow, states, edges = TABLES[name]
    assert workflow.name == name
    assert workflow.states == frozenset(states.values)
    assert {t.target for t in workflow.transitions} | {s for t in workflow.transitions for s in t.sources} <= set(
        states.values
    )
    assert len({t.action for t in workflow.transitions}) == len(workflow.transitions)  # one edge set per action
    assert workflow.audit_prefix.count(".") == 1
    event = apps.get_model(workflow.event_model)
    assert issubclass(event, TransitionEvent)
    assert {f.name for f in event._meta.get_fields()} >= {"action", "from_state", "to_state", "actor", "comment"}


@pytest.mark.parametrize("name", TABLES)
def test_unknown_actions_are_refused_everywhere(name):
    workflow, states, _edges = TABLES[name]
    assert workflow.get("explode") is None
    assert not any(workflow.allows(state, "explode") for state in states.values)


# --- guards: the reasons each table gives, from plain objects (no database) ---------------------


class _Rows:
    """Enough of a related manager for the guards that only ask whether rows exist."""

    def __init__(self, *rows):
        self.rows = list(rows)

    def exists(self):
        return bool(self.rows)


def refusals(workflow, action, obj, **data):
    return workflow.refusals(workflow.get(action), obj, data)


def test_round_guards():
    rnd = SimpleNamespace(targets=_Rows())
    assert any("巡察对象" in r for r in refusals(ROUND_WORKFLOW, "approve", rnd))
    rnd.targets = _Rows(object())
    assert refusals(ROUND_WORKFLOW, "approve", rnd, approved_on=date(2026, 8, 1), approval_meeting=" ")
    assert not refusals(ROUND_WORKFLOW, "approve", rnd, approved_on=date(2026, 8, 1), approval_meeting="第3次会议")
    assert refusals(ROUND_WORKFLOW, "reopen", rnd, comment=" ") and not refusals(
        ROUND_WORKFLOW, "reopen", rnd, comment="目标调整"
    )
    assert not refusals(ROUND_WORKFLOW, "prepare", rnd)


def test_paper_guards():
    paper = SimpleNamespace(
        facts=" ", basis="", evidence=_Rows(), resp_principal=False, resp_first=False, resp_leading=False
    )
    paper.resp_supervisory = False
    assert any("问题事实" in r for r in refusals(PAPER_WORKFLOW, "submit", paper))
    paper.facts, paper.basis = "事实", "依据"
    assert any("证据" in r for r in refusals(PAPER_WORKFLOW, "submit", paper))
    paper.evidence = _Rows(object())
    assert any("责任" in r for r in refusals(PAPER_WORKFLOW, "submit", paper))
    paper.resp_first = True
    assert not refusals(PAPER_WORKFLOW, "submit", paper)
    # SYSTEM acts with the leader's authority; the meeting's opinion and a return's reason are required
    assert refusals(PAPER_WORKFLOW, "approve", paper, actor=SYSTEM)
    assert not refusals(PAPER_WORKFLOW, "approve", paper, actor=SYSTEM, comment="同意")
    assert not refusals(PAPER_WORKFLOW, "sign", paper, actor=SYSTEM)
    assert refusals(PAPER_WORKFLOW, "return", paper, actor=SYSTEM)
    # someone with no person in a team is no reviewer
    stranger = SimpleNamespace(person_id=None)
    assert refusals(PAPER_WORKFLOW, "sign", paper, actor=stranger)


def test_fix_guards():
    notice = SimpleNamespace()
    assert not refusals(FIX_WORKFLOW, "respond", notice)
    assert not refusals(FIX_WORKFLOW, "accept", notice)
    assert refusals(FIX_WORKFLOW, "return", notice) and not refusals(FIX_WORKFLOW, "return", notice, comment="缺收据")


def test_intake_guards():
    unit = SimpleNamespace(unit_id=1)
    report = SimpleNamespace(pk=1, subject="", disciplines=[], target=unit)
    assert any("受理须反映" in r for r in refusals(REPORT_WORKFLOW, "accept", report, reply="已受理"))
    assert any("纪律" in r for r in refusals(REPORT_WORKFLOW, "accept", report, subject=Subject.LEADERSHIP))
    assert any("答复" in r for r in refusals(REPORT_WORKFLOW, "reject", report))
    assert any("转交" in r for r in refusals(REPORT_WORKFLOW, "forward", report, reply="转交"))
    assert not refusals(REPORT_WORKFLOW, "forward", report, reply="转交", forwarded_to="县信访局")
    assert refusals(REPORT_WORKFLOW, "link", report, papers=[])
    assert not refusals(REPORT_WORKFLOW, "link", report, papers=[object()])
    assert any("并入" in r for r in refusals(REPORT_WORKFLOW, "merge", report, reply="合并"))
    assert any("自身" in r for r in refusals(REPORT_WORKFLOW, "merge", report, reply="合并", into=report))
    elsewhere = SimpleNamespace(pk=2, target=SimpleNamespace(unit_id=9), state="received")
    assert any("同一单位" in r for r in refusals(REPORT_WORKFLOW, "merge", report, reply="合并", into=elsewhere))
    merged = SimpleNamespace(pk=3, target=unit, state="merged")
    assert any("最终办理" in r for r in refusals(REPORT_WORKFLOW, "merge", report, reply="合并", into=merged))
    same = SimpleNamespace(pk=4, target=unit, state="accepted")
    assert not refusals(REPORT_WORKFLOW, "merge", report, reply="合并", into=same)
    assert refusals(REPORT_WORKFLOW, "close", report) and not refusals(REPORT_WORKFLOW, "close", report, reply="办结")


def test_intake_accepts_a_report_in_scope():
    report = SimpleNamespace(pk=1, subject="", disciplines=[], target=SimpleNamespace(unit_id=1))
    data = {"subject": Subject.KEY_POST, "disciplines": [Discipline.values[0]], "reply": "已受理"}
    assert not refusals(REPORT_WORKFLOW, "accept", report, **data)


def test_draft_guards():
    decided = {"decided_on": date(2026, 10, 1), "meeting": "组务会", "decision": "同意"}
    report = SimpleNamespace(state="joint_review")
    assert any("会议日期" in r for r in refusals(DRAFT_WORKFLOW, "pass_joint", report))
    assert not refusals(DRAFT_WORKFLOW, "pass_joint", report, **decided)
    assert refusals(DRAFT_WORKFLOW, "return_review", report) and not refusals(
        DRAFT_WORKFLOW, "return_review", report, **decided
    )
    # the team's own steps are the leader's (SYSTEM acts as the leader) and need a decision too
    report.state = "team_meeting"
    assert not refusals(DRAFT_WORKFLOW, "pass_team", report, actor=SYSTEM, **decided)
    assert not refusals(DRAFT_WORKFLOW, "return_team", report, actor=SYSTEM, **decided)
    assert refusals(DRAFT_WORKFLOW, "pass_leader", report, actor=SimpleNamespace(person_id=None), **decided)


def test_transfer_guards():
    transfer = SimpleNamespace()
    assert not refusals(TRANSFER_WORKFLOW, "acknowledge", transfer)
    assert refusals(TRANSFER_WORKFLOW, "dispose", transfer, disposal="nonsense")
    assert not refusals(TRANSFER_WORKFLOW, "dispose", transfer, disposal=Disposal.values[0])
    assert refusals(TRANSFER_WORKFLOW, "report", transfer, result=" ")
    assert not refusals(TRANSFER_WORKFLOW, "report", transfer, result="已立案")
    assert not refusals(TRANSFER_WORKFLOW, "close", transfer)
    assert refusals(TRANSFER_WORKFLOW, "reopen", transfer) and not refusals(
        TRANSFER_WORKFLOW, "reopen", transfer, comment="补充材料"
    )


def test_plan_guards():
    plan = SimpleNamespace()
    assert not refusals(PLAN_WORKFLOW, "start_review", plan)
    assert not refusals(PLAN_WORKFLOW, "approve", plan)
    assert refusals(PLAN_WORKFLOW, "return", plan, comment=" ", item_comments={"1": " "})
    assert not refusals(PLAN_WORKFLOW, "return", plan, item_comments={"1": "措施不具体"})
    assert not refusals(PLAN_WORKFLOW, "return", plan, comment="请细化")


def test_task_guards():
    task = SimpleNamespace(horizon=Horizon.DEADLINE)
    assert any("佐证" in r for r in refusals(TASK_WORKFLOW, "request", task, text="已完成"))
    assert any("完成情况" in r for r in refusals(TASK_WORKFLOW, "request", task, uploads=[object()]))
    assert not refusals(TASK_WORKFLOW, "request", task, uploads=[object()], text="已完成")
    assert refusals(TASK_WORKFLOW, "reject", task) and not refusals(TASK_WORKFLOW, "reject", task, text="证据不足")
    assert refusals(TASK_WORKFLOW, "reopen", task) and not refusals(TASK_WORKFLOW, "reopen", task, text="问题反弹")
    long_term = TASK_WORKFLOW.get("ongoing").guards[0]
    assert long_term(task, {}) and not long_term(SimpleNamespace(horizon=Horizon.LONG_TERM), {})
