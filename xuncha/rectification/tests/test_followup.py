"""Follow-up of an approved plan: a return visit may reopen a closed task (through the task
workflow, in the visit's transaction, and the rate drops); the unit enters its life meeting (on time
or late against the deadline), rules and money; the follow-up page shows each role what it may see."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from xuncha.accounts.permissions import Role
from xuncha.accounts.tests.factories import make_unit, make_user
from xuncha.audit.models import AuditEntry
from xuncha.common.exceptions import ServiceError
from xuncha.fieldwork.tests.factories import pdf
from xuncha.findings.models import Feedback
from xuncha.rectification import selectors
from xuncha.rectification.models import ReturnVisit, TaskState, TaskUpdate
from xuncha.rectification.services import plans as plan_services
from xuncha.rectification.services import results, visits
from xuncha.rectification.services import tasks as task_services

TODAY = timezone.localdate


def task_data(**extra):
    return {
        "measure": "清退违规发放的补贴",
        "standard": "全部清退到位",
        "horizon": "deadline",
        "due_on": TODAY() + timedelta(days=30),
        "lead_dept": "镇党政办",
        "owner": "张某",
        **extra,
    }


def approved_plan(fb):
    plan = plan_services.plan_create(actor=fb["liaison"], feedback=fb["feedback"])
    for problem in fb["target"].problems.order_by("number"):
        plan_services.task_add(actor=fb["liaison"], plan=plan, problem=problem, **task_data())
    plan_services.plan_transition(obj=plan, action="submit", actor=fb["unit_leader"])
    plan_services.plan_transition(obj=plan, action="start_review", actor=fb["office"])
    return plan_services.plan_transition(obj=plan, action="approve", actor=fb["office"])


def close_task(fb, task):
    task_services.task_transition(
        obj=task, action="request", actor=fb["liaison"], data={"text": "完成", "uploads": [pdf()]}
    )
    return task_services.task_transition(obj=task, action="close", actor=fb["office"], data={"text": "核验属实"})


@pytest.fixture
def plan(fed_back):
    return approved_plan(fed_back)


@pytest.fixture
def people(fed_back, world):
    other = make_unit(world.a["county"], "甲县另一镇", "township")
    return {
        "office": fed_back["office"],
        "liaison": fed_back["liaison"],
        "member": fed_back["users"]["member"],
        "leader": make_user(world.a["dept"], Role.SUPERVISING_LEADER, scope=world.a["county"]),
        "other_unit": make_user(other, Role.UNIT_LIAISON, scope=other),
        "other_county": make_user(world.b["dept"], Role.OFFICE_HEAD, scope=world.b["county"]),
    }


def _visit(fb, plan, findings, **extra):
    data = {"visited_on": TODAY(), "visitors": "县委巡察办 王某、李某", "summary": "回访座谈，查阅台账。", **extra}
    return visits.visit_record(actor=fb["office"], plan=plan, findings=findings, **data)


# --- return visits --------------------------------------------------------------------------


def test_a_visit_reopens_a_closed_task_and_the_rate_drops(fed_back, plan):
    task = close_task(fed_back, plan.tasks.order_by("number").first())
    assert selectors.rate(plan) == (1, 2) and task.closed_on == TODAY()
    visit = _visit(
        fed_back,
        plan,
        [{"text": "补贴仍有2人未清退", "task": task, "reopen": True}, {"text": "台账不规范", "task": None}],
    )
    task.refresh_from_db()
    assert task.state == TaskState.IN_PROGRESS and task.closed_on is None
    assert selectors.rate(plan) == (0, 2)
    update = task.updates.order_by("-id").first()
    assert update.kind == TaskUpdate.Kind.REOPEN and TODAY().isoformat() in update.text and "2人未清退" in update.text
    assert [(f.text, f.reopened) for f in visit.findings.all()] == [("补贴仍有2人未清退", True), ("台账不规范", False)]
    actions = list(AuditEntry.objects.filter(action__in=["rectification.task.reopen", "rectification.visit.record"]))
    assert sorted(a.action for a in actions) == ["rectification.task.reopen", "rectification.visit.record"]
    reopen = next(a for a in actions if a.action == "rectification.task.reopen")
    assert reopen.before["state"] == "closed" and reopen.after["visit"] == visit.pk


def test_reopening_a_task_in_progress_is_refused_and_nothing_is_written(fed_back, plan):
    task = plan.tasks.order_by("number").first()
    with pytest.raises(ServiceError, match="只有已销号或阶段性完成的任务才能重新整改"):
        _visit(fed_back, plan, [{"text": "进度滞后", "task": task, "reopen": True}])
    assert not ReturnVisit.objects.exists() and not task.updates.filter(kind="reopen").exists()


def test_a_second_reopen_in_one_visit_and_bad_input_are_refused(fed_back, plan):
    task = close_task(fed_back, plan.tasks.order_by("number").first())
    with pytest.raises(ServiceError, match="已在本次回访中重新整改"):
        _visit(
            fed_back, plan, [{"text": "甲", "task": task, "reopen": True}, {"text": "乙", "task": task, "reopen": True}]
        )
    with pytest.raises(ServiceError, match="须选择对应的整改任务"):
        _visit(fed_back, plan, [{"text": "甲", "task": None, "reopen": True}])
    with pytest.raises(ServiceError, match="回访日期不能晚于今天"):
        _visit(fed_back, plan, [], visited_on=TODAY() + timedelta(days=1))
    with pytest.raises(ServiceError, match="请填写回访情况"):
        _visit(fed_back, plan, [], summary="  ")
    task.refresh_from_db()
    assert task.state == TaskState.CLOSED and not ReturnVisit.objects.exists()


def test_only_the_office_records_visits(fed_back, plan):
    with pytest.raises(PermissionDenied):
        visits.visit_record(
            actor=fed_back["liaison"], plan=plan, visited_on=TODAY(), visitors="某", summary="某", findings=[]
        )


def test_the_visit_form_reopens_and_the_task_page_says_why(client, fed_back, plan):
    task = close_task(fed_back, plan.tasks.order_by("number").first())
    client.force_login(fed_back["office"])
    url = reverse("rectification:visit_add", args=[plan.pk])
    assert "可要求重新整改的任务" in client.get(url).content.decode()
    post = {
        "visited_on": TODAY().isoformat(),
        "visitors": "县委巡察办 王某",
        "summary": "查阅台账",
        "findings-TOTAL_FORMS": "3",
        "findings-INITIAL_FORMS": "0",
        "findings-0-text": "",
        "findings-0-task": str(task.pk),
        "findings-0-reopen": "on",
    }
    bad = client.post(url, post)
    assert bad.status_code == 200 and "请填写发现的问题" in bad.content.decode()
    post["findings-0-text"] = "补贴未清退到位"
    response = client.post(url, post)
    visit = ReturnVisit.objects.get()
    assert response.status_code == 302 and response["Location"] == visit.get_absolute_url()
    task.refresh_from_db()
    assert task.state == TaskState.IN_PROGRESS
    assert "回访重新整改" in client.get(task.get_absolute_url()).content.decode()
    assert "已要求重新整改" in client.get(visit.get_absolute_url()).content.decode()


# --- results the unit enters ----------------------------------------------------------------


def _meeting(actor, plan, **extra):
    data = {
        "held_on": TODAY(),
        "place": "镇党委会议室",
        "chaired_by": "张三",
        "attendees": "镇党委班子成员",
        "supervisors": "县纪委监委",
        "summary": "逐一对照检查",
        **extra,
    }
    return results.life_meeting_save(actor=actor, plan=plan, **data)


def test_life_meeting_on_time_then_late_and_corrected(fed_back, plan):
    from xuncha.rectification.selectors.followup import meeting_due

    meeting = _meeting(fed_back["liaison"], plan)
    assert meeting_due(plan, meeting).on_time is True
    Feedback.objects.filter(pk=fed_back["feedback"].pk).update(sent_on=TODAY() - timedelta(days=45))
    plan.feedback.refresh_from_db()
    due = meeting_due(plan, meeting)
    assert due.on_time is False and due.days_late == (TODAY() - due.due_on).days > 0
    _meeting(fed_back["liaison"], plan, place="三楼会议室")
    meeting.refresh_from_db()
    assert meeting.place == "三楼会议室" and plan.__class__.objects.get(pk=plan.pk).life_meeting.pk == meeting.pk
    entry = AuditEntry.objects.filter(action="rectification.life_meeting.save").order_by("-seq").first()
    assert entry.before == {"place": "镇党委会议室"} and entry.after == {"place": "三楼会议室"}
    with pytest.raises(ServiceError, match="不能早于巡察反馈日期"):
        _meeting(fed_back["liaison"], plan, held_on=TODAY() - timedelta(days=60))


def test_money_and_rules(fed_back, plan, people):
    task = plan.tasks.first()
    for amount, message in (("0", "大于0元"), ("-5", "大于0元"), ("12.345", "两位小数"), ("abc", "数字")):
        with pytest.raises(ServiceError, match=message):
            results.recovery_create(
                actor=fed_back["liaison"], plan=plan, amount=amount, description="追缴补贴", recovered_on=TODAY()
            )
    results.recovery_create(
        actor=fed_back["liaison"], plan=plan, amount="42000.5", description="追缴补贴", recovered_on=TODAY(), task=task
    )
    results.recovery_create(
        actor=fed_back["office"], plan=plan, amount=Decimal("100.25"), description="退还", recovered_on=TODAY()
    )
    assert sum(r.amount for r in plan.recoveries.all()) == Decimal("42100.75")
    results.mechanism_create(
        actor=fed_back["liaison"], plan=plan, title="津贴补贴发放管理办法", kind="revised", issued_on=TODAY()
    )
    for who in ("member", "leader", "other_unit"):
        with pytest.raises(PermissionDenied):
            results.mechanism_create(actor=people[who], plan=plan, title="某制度", kind="new", issued_on=TODAY())
    assert AuditEntry.objects.filter(action="rectification.recovery.create").count() == 2
    assert AuditEntry.objects.filter(action="rectification.mechanism.create").count() == 1


# --- pages ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "followup", "visit", "meeting", "visit_add"),
    [
        ("office", 200, 200, 200, 200),
        ("liaison", 200, 200, 200, 404),
        ("member", 200, 200, 404, 404),
        ("leader", 404, 404, 404, 404),  # a county leader without key items here: nothing (finding 1)
        ("other_unit", 404, 404, 404, 404),
        ("other_county", 404, 404, 404, 404),
    ],
)
def test_who_reaches_the_follow_up(client, fed_back, plan, people, who, followup, visit, meeting, visit_add):
    record = _visit(fed_back, plan, [{"text": "台账不规范"}])
    client.force_login(people[who])
    assert client.get(reverse("rectification:plan_followup", args=[plan.pk])).status_code == followup
    assert client.get(record.get_absolute_url()).status_code == visit
    assert client.get(reverse("rectification:life_meeting_edit", args=[plan.pk])).status_code == meeting
    assert client.get(reverse("rectification:mechanism_add", args=[plan.pk])).status_code == meeting
    assert client.get(reverse("rectification:visit_add", args=[plan.pk])).status_code == visit_add


def test_the_unit_sees_add_buttons_for_results_only(client, fed_back, plan):
    client.force_login(fed_back["liaison"])
    page = client.get(reverse("rectification:plan_followup", args=[plan.pk])).content.decode()
    assert "登记召开情况" in page and "登记制度" in page and "登记金额" in page
    assert "记录回访" not in page and "开展评估" not in page and "登记问责" not in page
    assert "尚未登记专题民主生活会召开情况" in page and "尚无回访督查记录" in page
    client.force_login(fed_back["office"])
    page = client.get(reverse("rectification:plan_followup", args=[plan.pk])).content.decode()
    assert "记录回访" in page and "开展评估" in page and "登记问责" in page


def test_results_from_the_pages(client, fed_back, plan):
    client.force_login(fed_back["liaison"])
    day = TODAY().isoformat()
    meeting = {"held_on": day, "place": "会议室", "chaired_by": "张三", "attendees": "班子成员", "summary": "对照检查"}
    assert client.post(reverse("rectification:life_meeting_edit", args=[plan.pk]), meeting).status_code == 302
    bad = client.post(
        reverse("rectification:recovery_add", args=[plan.pk]),
        {"amount": "0", "description": "追缴", "recovered_on": day},
    )
    assert "金额须大于0元" in bad.content.decode()
    good = {"amount": "1234.50", "description": "追缴补贴", "recovered_on": day, "task": plan.tasks.first().pk}
    assert client.post(reverse("rectification:recovery_add", args=[plan.pk]), good).status_code == 302
    page = client.get(reverse("rectification:plan_followup", args=[plan.pk])).content.decode()
    assert "按期召开" in page and "1234.50" in page


def test_the_follow_up_page_query_count(client, fed_back, plan, django_assert_max_num_queries):
    tasks = list(plan.tasks.order_by("number"))
    close_task(fed_back, tasks[0])
    for n in range(3):
        _visit(fed_back, plan, [{"text": f"问题{n}", "task": tasks[1]}, {"text": f"另{n}", "task": tasks[0]}])
        results.recovery_create(
            actor=fed_back["liaison"],
            plan=plan,
            amount="10",
            description=f"追缴{n}",
            recovered_on=TODAY(),
            task=tasks[0],
        )
        results.mechanism_create(
            actor=fed_back["liaison"], plan=plan, title=f"制度{n}", kind="new", issued_on=TODAY(), task=tasks[1]
        )
    _meeting(fed_back["liaison"], plan)
    client.force_login(fed_back["office"])
    with django_assert_max_num_queries(16):
        response = client.get(reverse("rectification:plan_followup", args=[plan.pk]))
    assert response.status_code == 200 and "制度2" in response.content.decode()
