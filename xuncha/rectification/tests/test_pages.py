"""The rectification pages: the unit drafts on screen, the office reviews, the task closes;
a unit sees only its own plan, a team member reads it, other units and receivers cannot."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from xuncha.accounts.permissions import Role
from xuncha.accounts.tests.factories import make_unit, make_user
from xuncha.fieldwork.tests.factories import pdf
from xuncha.rectification.models import PlanState, RectificationPlan, TaskState


def _task_post(problem, days=30):
    return {
        "problem": problem.pk,
        "measure": "清退违规发放的补贴",
        "standard": "全部清退",
        "horizon": "deadline",
        "due_on": (timezone.localdate() + timedelta(days=days)).isoformat(),
        "lead_dept": "镇党政办",
        "owner": "张某",
    }


def test_the_loop_from_the_pages(client, fed_back):
    fb = fed_back
    client.force_login(fb["liaison"])
    client.post(reverse("rectification:plan_start", args=[fb["feedback"].pk]))
    plan = RectificationPlan.objects.get()
    for problem in fb["target"].problems.order_by("number"):
        assert client.post(reverse("rectification:task_add", args=[plan.pk]), _task_post(problem)).status_code == 302
    page = client.get(plan.get_absolute_url()).content.decode()
    assert "问题清单" in page and "任务清单" in page and "责任清单" in page and "镇党政办" in page
    client.force_login(fb["unit_leader"])
    client.post(reverse("rectification:plan_transition", args=[plan.pk, "submit"]))
    client.force_login(fb["office"])
    client.post(reverse("rectification:plan_transition", args=[plan.pk, "start_review"]))
    client.post(reverse("rectification:plan_transition", args=[plan.pk, "return"]), {"item_1": "措施不具体"})
    plan.refresh_from_db()
    assert plan.state == PlanState.RETURNED
    assert "任务1：措施不具体" in client.get(plan.get_absolute_url()).content.decode()
    client.force_login(fb["unit_leader"])
    client.post(reverse("rectification:plan_transition", args=[plan.pk, "submit"]))
    client.force_login(fb["office"])
    client.post(reverse("rectification:plan_transition", args=[plan.pk, "start_review"]))
    client.post(reverse("rectification:plan_transition", args=[plan.pk, "approve"]))
    plan.refresh_from_db()
    assert plan.state == PlanState.APPROVED
    task = plan.tasks.order_by("number").first()
    client.force_login(fb["liaison"])
    empty = client.post(
        reverse("rectification:task_transition", args=[task.pk, "request"]), {"request-text": "完成"}, follow=True
    )
    assert "佐证材料" in empty.content.decode()
    client.post(
        reverse("rectification:task_transition", args=[task.pk, "request"]),
        {"request-text": "完成", "request-uploads": [pdf()]},
    )
    client.force_login(fb["office"])
    client.post(reverse("rectification:task_transition", args=[task.pk, "close"]), {"close-text": "核验属实"})
    task.refresh_from_db()
    assert task.state == TaskState.CLOSED
    listing = client.get(reverse("rectification:plan_list")).content.decode()
    assert "1/2" in listing


def test_overdue_tasks_show_red(client, fed_back):
    from xuncha.rectification.models import Task
    from xuncha.rectification.services import plans as services

    plan = services.plan_create(actor=fed_back["liaison"], feedback=fed_back["feedback"])
    problem = fed_back["target"].problems.first()
    data = {k: v for k, v in _task_post(problem, 3).items() if k != "problem"}
    data["due_on"] = timezone.localdate() + timedelta(days=3)
    task = services.task_add(actor=fed_back["liaison"], plan=plan, problem=problem, **data)
    Task.objects.filter(pk=task.pk).update(due_on=timezone.localdate() - timedelta(days=2))  # as if time had passed
    client.force_login(fed_back["office"])
    page = client.get(plan.get_absolute_url()).content.decode()
    assert "红色预警（已逾期） · 逾期2天" in page


@pytest.mark.parametrize(
    ("who", "status"),
    [("liaison", 200), ("office", 200), ("member", 200), ("other_unit", 404), ("receiver", 404), ("other_county", 404)],
)
def test_who_reaches_a_plan(client, fed_back, world, who, status):
    from xuncha.rectification.services import plans as services

    plan = services.plan_create(actor=fed_back["liaison"], feedback=fed_back["feedback"])
    other = make_unit(world.a["county"], "甲县另一镇", "township")
    users = {
        "liaison": fed_back["liaison"],
        "office": fed_back["office"],
        "member": fed_back["users"]["member"],
        "other_unit": make_user(other, Role.UNIT_LEADER, scope=other),
        "receiver": make_user(world.a["dept"], Role.DISCIPLINE_RECEIVER, scope=world.a["county"]),
        "other_county": make_user(world.b["dept"], Role.OFFICE_HEAD, scope=world.b["county"]),
    }
    client.force_login(users[who])
    assert client.get(plan.get_absolute_url()).status_code == status
