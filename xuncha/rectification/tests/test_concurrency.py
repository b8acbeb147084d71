"""Two reviewers approve the same plan, or verify the same closure, at the same moment: exactly
one wins, the other is told the item has already moved (PostgreSQL, real parallel connections)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from xuncha.accounts.permissions import Role
from xuncha.accounts.tests.factories import make_user
from xuncha.common.exceptions import ServiceError
from xuncha.common.races import race
from xuncha.fieldwork.tests.factories import pdf
from xuncha.findings.models import DraftKind
from xuncha.findings.services import feedback as feedback_services
from xuncha.findings.services import reports as report_services
from xuncha.findings.tests.factories import findings_site, problem, ready_feedback, walk
from xuncha.rectification.models import PlanReview, PlanState, TaskState, TaskUpdate
from xuncha.rectification.services import plans as services
from xuncha.rectification.services import tasks as task_services

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks across connections: PostgreSQL"),
]


@pytest.fixture
def in_review(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    site = findings_site(world)
    problem(site)
    report = report_services.draft_create(
        actor=site["users"]["member"], team=site["team"], kind=DraftKind.INSPECTION, target=site["target"]
    )
    walk(report, site, world, until="approve")
    feedback = feedback_services.feedback_send(
        actor=site["users"]["leader"], feedback=ready_feedback(site, world), sent_on=timezone.localdate()
    )
    liaison = make_user(world.a["town"], Role.UNIT_LIAISON, scope=world.a["town"])
    leader = make_user(world.a["town"], Role.UNIT_LEADER, scope=world.a["town"])
    plan = services.plan_create(actor=liaison, feedback=feedback)
    services.task_add(
        actor=liaison,
        plan=plan,
        problem=site["target"].problems.get(),
        measure="清退",
        standard="清退到位",
        horizon="deadline",
        due_on=timezone.localdate() + timedelta(days=30),
        lead_dept="党政办",
        owner="张某",
    )
    services.plan_transition(obj=plan, action="submit", actor=leader)
    office = [make_user(world.a["dept"], Role.OFFICE_STAFF, scope=world.a["county"]) for _ in range(2)]
    services.plan_transition(obj=plan, action="start_review", actor=office[0])
    return {"plan": plan, "office": office, "liaison": liaison}


def test_parallel_approvals_one_wins(in_review):
    plan, (a, b) = in_review["plan"], in_review["office"]
    outcomes = race(
        lambda: services.plan_transition(obj=plan, action="approve", actor=a),
        lambda: services.plan_transition(obj=plan, action="approve", actor=b),
    )
    wins = [o for o in outcomes if not isinstance(o, ServiceError)]
    losses = [o for o in outcomes if isinstance(o, ServiceError)]
    assert len(wins) == 1 and len(losses) == 1
    assert "审核通过" in " ".join(losses[0].messages)
    plan.refresh_from_db()
    assert plan.state == PlanState.APPROVED and PlanReview.objects.filter(plan=plan).count() == 1


def test_parallel_closures_one_wins(in_review):
    plan, (a, b) = in_review["plan"], in_review["office"]
    services.plan_transition(obj=plan, action="approve", actor=a)
    task = plan.tasks.get()
    task_services.task_transition(
        obj=task, action="request", actor=in_review["liaison"], data={"text": "完成", "uploads": [pdf()]}
    )
    outcomes = race(
        lambda: task_services.task_transition(obj=task, action="close", actor=a, data={"text": "属实"}),
        lambda: task_services.task_transition(obj=task, action="reject", actor=b, data={"text": "证据不足"}),
    )
    assert sum(isinstance(o, ServiceError) for o in outcomes) == 1
    task.refresh_from_db()
    assert task.state in (TaskState.CLOSED, TaskState.IN_PROGRESS)
    assert TaskUpdate.objects.filter(task=task, kind__in=["close", "reject"]).count() == 1
