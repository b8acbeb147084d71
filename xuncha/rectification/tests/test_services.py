"""The plan and its tasks: every problem needs a task before submission, the main leader signs,
the joint review returns with comments per item or approves; tasks close only with evidence and a
verifier who is not the requester; roll-ups and the warning ladder are derived."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from xuncha.common.deadlines import Rule, RuleSource
from xuncha.common.exceptions import ServiceError
from xuncha.common.models import DeadlineUnit
from xuncha.fieldwork.tests.factories import pdf
from xuncha.rectification import selectors
from xuncha.rectification.models import PlanReview, PlanState, TaskState
from xuncha.rectification.services import plans as services
from xuncha.rectification.services import tasks as task_services
from xuncha.rectification.workflow import PLAN_WORKFLOW, TASK_WORKFLOW


def _task(fb, plan, problem, **extra):
    data = {
        "measure": "清退违规发放的补贴",
        "standard": "全部清退到位",
        "horizon": "deadline",
        "due_on": timezone.localdate() + timedelta(days=30),
        "lead_dept": "镇党政办",
        "owner": "张某",
        **extra,
    }
    return services.task_add(actor=fb["liaison"], plan=plan, problem=problem, **data)


@pytest.fixture
def plan(fed_back):
    return services.plan_create(actor=fed_back["liaison"], feedback=fed_back["feedback"])


def _full_plan(fb, plan):
    return [_task(fb, plan, p) for p in fb["target"].problems.order_by("number")]


def _approved(fb, plan):
    _full_plan(fb, plan)
    services.plan_transition(obj=plan, action="submit", actor=fb["unit_leader"])
    services.plan_transition(obj=plan, action="start_review", actor=fb["office"])
    return services.plan_transition(obj=plan, action="approve", actor=fb["office"])


def test_every_problem_needs_a_task_before_submission(fed_back, plan):
    first = fed_back["target"].problems.order_by("number").first()
    _task(fed_back, plan, first)
    with pytest.raises(ServiceError, match="尚未制定整改措施：第2项"):
        services.plan_transition(obj=plan, action="submit", actor=fed_back["unit_leader"])
    plan.refresh_from_db()
    assert plan.state == PlanState.DRAFT


def test_the_liaison_drafts_the_leader_signs(fed_back, plan):
    _full_plan(fed_back, plan)
    with pytest.raises(PermissionDenied):
        services.plan_transition(obj=plan, action="submit", actor=fed_back["liaison"])
    plan = services.plan_transition(obj=plan, action="submit", actor=fed_back["unit_leader"])
    assert plan.state == PlanState.SUBMITTED and plan.signed_by == fed_back["feedback"].main_leader
    with pytest.raises(ServiceError, match="已报送"):
        _task(fed_back, plan, fed_back["target"].problems.first())


def test_return_with_comments_per_item_then_a_new_version_and_its_diff(fed_back, plan):
    tasks = _full_plan(fed_back, plan)
    services.plan_transition(obj=plan, action="submit", actor=fed_back["unit_leader"])
    services.plan_transition(obj=plan, action="start_review", actor=fed_back["office"])
    with pytest.raises(ServiceError, match="逐项意见"):
        services.plan_transition(obj=plan, action="return", actor=fed_back["office"], data={})
    plan = services.plan_transition(
        obj=plan, action="return", actor=fed_back["office"], data={"item_comments": {tasks[0].number: "措施不具体"}}
    )
    assert plan.state == PlanState.RETURNED and plan.version == 2
    services.task_update(actor=fed_back["liaison"], task=tasks[0], measure="逐人清退，财务凭证存档备查")
    services.plan_transition(obj=plan, action="submit", actor=fed_back["unit_leader"])
    services.plan_transition(obj=plan, action="start_review", actor=fed_back["office"])
    plan = services.plan_transition(obj=plan, action="approve", actor=fed_back["office"])
    first, second = PlanReview.objects.filter(plan=plan).order_by("id")
    assert first.item_comments == {str(tasks[0].number): "措施不具体"}
    diff = services.version_diff(first.snapshot, second.snapshot)
    assert diff == [
        {
            "number": tasks[0].number,
            "change": "changed",
            "fields": {"measure": ("清退违规发放的补贴", "逐人清退，财务凭证存档备查")},
        }
    ]


def test_a_second_approval_finds_the_plan_already_approved(fed_back, plan):
    _approved(fed_back, plan)
    with pytest.raises(ServiceError, match="审核通过"):
        services.plan_transition(obj=plan, action="approve", actor=fed_back["office2"])


def test_closure_needs_evidence_and_another_verifier(fed_back, plan):
    _approved(fed_back, plan)
    task = plan.tasks.order_by("number").first()
    with pytest.raises(ServiceError, match="佐证材料"):
        task_services.task_transition(obj=task, action="request", actor=fed_back["liaison"], data={"text": "已完成"})
    task_services.task_progress(actor=fed_back["liaison"], task=task, text="已清退一半", uploads=[pdf("凭证.pdf")])
    task = task_services.task_transition(
        obj=task, action="request", actor=fed_back["liaison"], data={"text": "已全部清退", "uploads": [pdf()]}
    )
    assert task.state == TaskState.CLOSURE_REQUESTED
    with pytest.raises(PermissionDenied):  # the unit cannot close its own task
        task_services.task_transition(obj=task, action="close", actor=fed_back["liaison"], data={"text": "ok"})
    with pytest.raises(ServiceError, match="理由"):
        task_services.task_transition(obj=task, action="reject", actor=fed_back["office"], data={})
    task = task_services.task_transition(obj=task, action="close", actor=fed_back["office"], data={"text": "核验属实"})
    assert task.state == TaskState.CLOSED and task.closed_on == timezone.localdate()
    assert [u.kind for u in task.updates.all()] == ["progress", "request", "close"]


def test_the_requester_cannot_verify_their_own_request(fed_back, plan):
    """An office account that (for example, on the unit's behalf) filed the request cannot close it."""
    from xuncha.accounts import services as accounts
    from xuncha.accounts.permissions import Role, forget_grants
    from xuncha.common.actors import SYSTEM

    _approved(fed_back, plan)
    task = plan.tasks.first()
    both = fed_back["office"]
    accounts.role_grant(actor=SYSTEM, user=both, role=Role.UNIT_LIAISON, scope=fed_back["target"].unit)
    forget_grants(both)
    task_services.task_transition(obj=task, action="request", actor=both, data={"text": "完成", "uploads": [pdf()]})
    with pytest.raises(ServiceError, match="不能核验自己的申请"):
        task_services.task_transition(obj=task, action="close", actor=both, data={"text": "ok"})


def test_roll_up_from_tasks(fed_back, plan):
    _approved(fed_back, plan)
    assert selectors.rate(plan) == (0, 2)
    task = plan.tasks.order_by("number").first()
    task_services.task_transition(
        obj=task, action="request", actor=fed_back["liaison"], data={"text": "完成", "uploads": [pdf()]}
    )
    task_services.task_transition(obj=task, action="close", actor=fed_back["office"], data={"text": "属实"})
    assert selectors.rate(plan) == (1, 2)
    rows = selectors.problem_rows(plan)
    assert [str(r["status"]) for r in rows] == ["已完成整改", "整改中"]


GREEN_RULE = Rule(20, DeadlineUnit.DAYS, RuleSource.DEFAULT)
YELLOW_RULE = Rule(10, DeadlineUnit.DAYS, RuleSource.DEFAULT)


@pytest.mark.parametrize(
    ("days_left", "level"),
    [(21, None), (20, "green"), (11, "green"), (10, "yellow"), (0, "yellow"), (-1, "red")],
)
def test_ladder_boundaries(days_left, level):
    today = date(2026, 11, 29)
    assert selectors.ladder(today + timedelta(days=days_left), today, GREEN_RULE, YELLOW_RULE) == level


def test_closed_tasks_have_no_warning_and_the_plan_warns_of_late_deadlines(fed_back, plan):
    late = _task(fed_back, plan, fed_back["target"].problems.first(), due_on=timezone.localdate() + timedelta(days=400))
    assert any("晚于整改情况报告报送期限" in w for w in services.plan_warnings(plan))
    ladder = selectors.Ladder()
    assert ladder.warning(late) is None  # 400 days away
    soon = _task(fed_back, plan, fed_back["target"].problems.last(), due_on=timezone.localdate() + timedelta(days=5))
    assert ladder.warning(soon).level == "yellow"


def test_due_before_feedback_is_refused(fed_back, plan):
    with pytest.raises(ServiceError, match="早于反馈日期"):
        _task(
            fed_back, plan, fed_back["target"].problems.first(), due_on=fed_back["feedback"].sent_on - timedelta(days=1)
        )


def test_every_state_action_pair():
    plan_pairs = {
        ("draft", "submit"),
        ("returned", "submit"),
        ("submitted", "start_review"),
        ("in_review", "approve"),
        ("submitted", "return"),
        ("in_review", "return"),
    }
    for state in PlanState.values:
        for t in PLAN_WORKFLOW.transitions:
            assert PLAN_WORKFLOW.allows(state, t.action) == ((state, t.action) in plan_pairs), (state, t.action)
    task_pairs = {
        ("in_progress", "request"),
        ("closure_requested", "close"),
        ("closure_requested", "ongoing"),
        ("closure_requested", "reject"),
        ("closed", "reopen"),
        ("ongoing", "reopen"),
    }
    for state in TaskState.values:
        for t in TASK_WORKFLOW.transitions:
            assert TASK_WORKFLOW.allows(state, t.action) == ((state, t.action) in task_pairs), (state, t.action)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("due", "level"),
    [("2026-12-14", "yellow"), ("2026-12-15", "green"), ("2026-12-28", "green"), ("2026-12-29", None)],
)
def test_ladder_counts_working_days_where_configured(due, level):
    """Monday 30 November 2026: ten working days ahead is Monday 14 December (two weekends skipped),
    twenty is Monday 28 December; the same dates in calendar days would be green or nothing."""
    green, yellow = (
        Rule(20, DeadlineUnit.WORKDAYS, RuleSource.DEFAULT),
        Rule(10, DeadlineUnit.WORKDAYS, RuleSource.DEFAULT),
    )
    today = date(2026, 11, 30)
    assert selectors.ladder(date.fromisoformat(due), today, green, yellow) == level
    assert selectors.ladder(date(2026, 12, 14), today, GREEN_RULE, YELLOW_RULE) == "green"


def test_every_plan_and_task_step_writes_one_event(fed_back, plan):
    """Not only the reviews: submission and the start of the joint review are recorded too."""
    _approved(fed_back, plan)
    steps = list(plan.events.values_list("action", "from_state", "to_state", "actor"))
    assert steps == [
        ("submit", "draft", "submitted", fed_back["unit_leader"].pk),
        ("start_review", "submitted", "in_review", fed_back["office"].pk),
        ("approve", "in_review", "approved", fed_back["office"].pk),
    ]
    task = plan.tasks.order_by("number").first()
    task_services.task_transition(
        obj=task, action="request", actor=fed_back["liaison"], data={"text": "完成", "uploads": [pdf()]}
    )
    event = task.events.get()
    assert (event.action, event.to_state, event.comment) == ("request", TaskState.CLOSURE_REQUESTED, "完成")
