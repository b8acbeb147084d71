"""Leader supervision (领衔督办) and sector clean-ups (专项整治): a leader sees only the items
assigned to them and their objection holds a closure; a department sees only its campaigns; a
campaign's tasks live in each unit's plan, where the unit cannot change them; long-term tasks owe
periodic reports."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from xuncha.accounts.models import UnitType
from xuncha.accounts.permissions import Perm, Role, has_perm
from xuncha.accounts.tests.factories import make_unit, make_user
from xuncha.common.deadlines import add_months
from xuncha.common.exceptions import ServiceError
from xuncha.fieldwork.tests.factories import pdf
from xuncha.notify.models import Notification
from xuncha.rectification.models import Campaign, CampaignState, LeaderComment, Task, TaskState, TaskUpdate
from xuncha.rectification.reminders import remind
from xuncha.rectification.selectors import supervision as selectors
from xuncha.rectification.services import campaigns as campaign_services
from xuncha.rectification.services import plans as plan_services
from xuncha.rectification.services import supervision as services
from xuncha.rectification.services import tasks as task_services
from xuncha.rectification.tests.test_remind import _due_in, running  # noqa: F401  (fixture)


@pytest.fixture
def sup(running, world):  # noqa: F811
    leader = make_user(world.a["dept"], Role.SUPERVISING_LEADER, scope=world.a["town"])
    other_leader = make_user(world.a["dept"], Role.LEADING_GROUP, scope=world.a["county"])
    problem = running["target"].problems.order_by("number").first()
    assignment = services.assignment_create(actor=running["office"], problem=problem, leader=leader, note="逐项盯办")
    return {**running, "leader": leader, "other_leader": other_leader, "problem": problem, "assignment": assignment}


def _request(sup, task):
    return task_services.task_transition(
        obj=task, action="request", actor=sup["liaison"], data={"text": "已完成", "uploads": [pdf()]}
    )


def test_only_the_office_assigns_and_only_to_leaders_of_its_county(sup, world):
    problem = sup["problem"]
    with pytest.raises(PermissionDenied):
        services.assignment_create(actor=sup["liaison"], problem=problem, leader=sup["other_leader"])
    outsider = make_user(world.b["dept"], Role.SUPERVISING_LEADER, scope=world.b["county"])
    with pytest.raises(ServiceError, match="本地区的县领导"):
        services.assignment_create(actor=sup["office"], problem=problem, leader=outsider)
    with pytest.raises(ServiceError, match="本地区的县领导"):
        services.assignment_create(actor=sup["office"], problem=problem, leader=sup["liaison"])
    with pytest.raises(ServiceError, match="已交由这位领导督办"):
        services.assignment_create(actor=sup["office"], problem=problem, leader=sup["leader"])


def test_a_leader_sees_only_the_items_assigned_to_them(sup):
    mine = selectors.assignment_list(user=sup["leader"])
    assert list(mine) == [sup["assignment"]]
    assert list(selectors.assignment_list(user=sup["other_leader"])) == []
    assert list(selectors.assignment_list(user=sup["office"])) == [sup["assignment"]]
    assert list(selectors.assignment_list(user=sup["liaison"])) == []
    assert has_perm(sup["leader"], Perm.SUPERVISE_COMMENT, sup["assignment"])
    assert not has_perm(sup["other_leader"], Perm.SUPERVISE_COMMENT, sup["assignment"])
    assert not has_perm(sup["office"], Perm.SUPERVISE_COMMENT, sup["assignment"])  # the leader's own act
    services.assignment_revoke(actor=sup["office"], assignment=sup["assignment"], reason="调整分工")
    assert list(selectors.assignment_list(user=sup["leader"])) == []


def test_a_leaders_objection_holds_the_closure_until_they_concur(sup):
    task = sup["problem"].tasks.get()
    with pytest.raises(ServiceError, match="申请销号的任务"):
        services.leader_comment(
            actor=sup["leader"], assignment=sup["assignment"], text="同意", kind="concur", task=task
        )
    _request(sup, task)
    with pytest.raises(PermissionDenied):
        services.leader_comment(actor=sup["other_leader"], assignment=sup["assignment"], text="同意")
    services.leader_comment(
        actor=sup["leader"], assignment=sup["assignment"], text="群众反映仍未清退完毕", kind="object", task=task
    )
    with pytest.raises(ServiceError, match="暂缓销号：群众反映仍未清退完毕"):
        task_services.task_transition(obj=task, action="close", actor=sup["office"], data={"text": "属实"})
    services.leader_comment(actor=sup["leader"], assignment=sup["assignment"], text="已核实", kind="concur", task=task)
    task = task_services.task_transition(obj=task, action="close", actor=sup["office"], data={"text": "属实"})
    assert task.state == TaskState.CLOSED
    assert list(sup["assignment"].comments.values_list("kind", flat=True)) == ["object", "concur"]


def test_an_objection_on_an_earlier_request_does_not_hold_a_new_one(sup):
    task = sup["problem"].tasks.get()
    _request(sup, task)
    services.leader_comment(actor=sup["leader"], assignment=sup["assignment"], text="不到位", kind="object", task=task)
    task_services.task_transition(obj=task, action="reject", actor=sup["office"], data={"text": "补充材料"})
    _request(sup, task)
    assert task_services.task_transition(
        obj=task, action="close", actor=sup["office"], data={"text": "属实"}
    ).state == (TaskState.CLOSED)


def test_yellow_and_red_reach_the_assigned_leader_once(sup):
    task = sup["problem"].tasks.get()
    _due_in(task, 15)  # green: the owners only
    remind()
    assert not Notification.objects.filter(user=sup["leader"]).exists()
    _due_in(task, 5)
    remind()
    remind()
    assert Notification.objects.filter(user=sup["leader"], key__startswith=f"task:{task.pk}:yellow").count() == 1
    assert not Notification.objects.filter(user=sup["other_leader"]).exists()


# --- sector clean-ups ---------------------------------------------------------------------------


@pytest.fixture
def dept(sup, world):
    edu = make_unit(world.a["county"], "甲县教育局", UnitType.DEPARTMENT)
    return {**sup, "edu": edu, "edu_user": make_user(edu, Role.SECTOR_RECEIVER, scope=edu)}


def _campaign(d, **extra):
    data = {
        "sector_dept": d["edu"],
        "problems": [d["problem"]],
        "title": "违规发放津贴补贴专项整治",
        "description": "全面清查2023年以来津贴补贴发放情况",
        "standard": "违规发放款项全部清退",
        "due_on": timezone.localdate() + timedelta(days=90),
        **extra,
    }
    return campaign_services.campaign_create(actor=d["office"], **data)


def test_a_campaign_adds_a_task_to_the_units_plan_that_the_unit_cannot_change(dept):
    plan = dept["plan"]
    before = plan.tasks.count()
    campaign = _campaign(dept)
    task = Task.objects.get(campaign=campaign)
    assert task.plan == plan and task.number == before + 1 and task.problem == dept["problem"]
    assert task.lead_dept == "甲县教育局" and "专项整治" in task.measure
    type(plan).objects.filter(pk=plan.pk).update(state="returned")  # even while the unit may edit its plan
    with pytest.raises(ServiceError, match="专项整治任务由巡察办部署"):
        plan_services.task_update(actor=dept["liaison"], task=task, measure="改")
    with pytest.raises(ServiceError, match="专项整治任务由巡察办部署"):
        plan_services.task_remove(actor=dept["liaison"], task=task)
    type(plan).objects.filter(pk=plan.pk).update(state="approved")
    # the problem is not done until its clean-up task is
    assert selectors.problem_status(list(dept["problem"].tasks.all())) == "整改中"
    # nor does it show as the unit's change against the version the office reviewed
    reviewed = plan.reviews.order_by("-id").first().snapshot
    assert plan_services.version_diff(reviewed, plan_services.plan_snapshot(plan)) == []


def test_campaign_input_is_checked(dept, world):
    with pytest.raises(ServiceError, match="应晚于今天"):
        _campaign(dept, due_on=timezone.localdate())
    with pytest.raises(ServiceError, match="请填写整治要求"):
        _campaign(dept, description="  ")
    with pytest.raises(ServiceError, match="至少选择一个问题"):
        _campaign(dept, problems=[])
    other = make_unit(world.b["county"], "乙县教育局", UnitType.DEPARTMENT)
    with pytest.raises(ServiceError, match="本地区的行业主管部门"):
        _campaign(dept, sector_dept=other)
    with pytest.raises(PermissionDenied):
        campaign_services.campaign_create(
            actor=dept["edu_user"],
            sector_dept=dept["edu"],
            problems=[dept["problem"]],
            title="x",
            description="y",
            standard="z",
            due_on=timezone.localdate() + timedelta(days=9),
        )
    assert not Campaign.objects.exists() and not Task.objects.filter(campaign__isnull=False).exists()


def test_a_department_sees_and_reports_on_its_own_campaigns_only(dept, world):
    campaign = _campaign(dept)
    other = make_unit(world.a["county"], "甲县卫健局", UnitType.DEPARTMENT)
    stranger = make_user(other, Role.SECTOR_RECEIVER, scope=other)
    assert list(selectors.campaign_list(user=dept["edu_user"])) == [campaign]
    assert list(selectors.campaign_list(user=stranger)) == []
    assert list(selectors.campaign_list(user=dept["office"])) == [campaign]
    assert list(selectors.campaign_list(user=dept["liaison"])) == []
    with pytest.raises(PermissionDenied):
        campaign_services.campaign_report(actor=stranger, campaign=campaign, text="进展")
    with pytest.raises(PermissionDenied):
        campaign_services.campaign_report(actor=dept["office"], campaign=campaign, text="进展")
    report = campaign_services.campaign_report(
        actor=dept["edu_user"], campaign=campaign, text="已完成清查", uploads=[pdf()]
    )
    assert report.files.count() == 1


def test_a_campaign_closes_only_when_every_task_is_done(dept):
    campaign = _campaign(dept)
    with pytest.raises(ServiceError, match="尚未销号：甲县青山镇"):
        campaign_services.campaign_close(actor=dept["office"], campaign=campaign)
    task = campaign.tasks.get()
    _request(dept, task)
    task_services.task_transition(obj=task, action="close", actor=dept["office"], data={"text": "属实"})
    campaign = campaign_services.campaign_close(actor=dept["office"], campaign=campaign)
    assert campaign.state == CampaignState.CLOSED and campaign.closed_on == timezone.localdate()


def test_units_without_a_plan_cannot_join_a_campaign(dept):
    dept["plan"].tasks.all().delete()
    dept["plan"].delete()
    with pytest.raises(ServiceError, match="尚未建立整改方案"):
        _campaign(dept)


# --- periodic reports of long-term tasks ------------------------------------------------------------


def test_long_term_tasks_owe_periodic_reports_once_per_due_date(running):  # noqa: F811
    task = running["tasks"][0]
    Task.objects.filter(pk=task.pk).update(horizon="long_term", due_on=timezone.localdate() + timedelta(days=400))
    plan = running["plan"]
    approved = timezone.localdate() - timedelta(days=40)
    type(plan).objects.filter(pk=plan.pk).update(approved_on=approved)
    task.refresh_from_db()
    assert selectors.next_report_due(task, None) == add_months(approved, 1)
    due = dict(selectors.periodic_due())
    assert task in due
    remind()
    remind()
    assert Notification.objects.filter(key__startswith=f"periodic:{task.pk}:").count() == 1
    update = task_services.task_progress(actor=running["liaison"], task=task, text="本月开展自查")
    assert update.kind == TaskUpdate.Kind.PERIODIC
    assert task not in dict(selectors.periodic_due())
    Task.objects.filter(pk=task.pk).update(report_interval=3)
    task.refresh_from_db()
    assert selectors.next_report_due(task, timezone.localdate()) == add_months(timezone.localdate(), 3)


# --- pages ------------------------------------------------------------------------------------------


def test_leader_workspace_and_opinion_page(client, sup, django_assert_max_num_queries):
    task = sup["problem"].tasks.get()
    _due_in(task, -3)
    _request(sup, task)
    client.force_login(sup["leader"])
    with django_assert_max_num_queries(14):
        page = client.get(reverse("rectification:assignment_list")).content.decode()
    assert sup["problem"].title in page and "待会审销号 1" in page
    detail = client.get(reverse("rectification:assignment_detail", args=[sup["assignment"].pk])).content.decode()
    assert "会审销号" in detail and "逐项盯办" in detail
    response = client.post(
        reverse("rectification:assignment_comment", args=[sup["assignment"].pk]),
        {"task": task.pk, "kind": "object", "text": "暂缓"},
    )
    assert response.status_code == 302
    assert LeaderComment.objects.filter(kind="object", task=task).exists()
    client.force_login(sup["other_leader"])
    assert client.get(reverse("rectification:assignment_detail", args=[sup["assignment"].pk])).status_code == 404
    # the workspace appears in the bar of leaders who lead something, not of every leader
    assert reverse("rectification:assignment_list") not in client.get(reverse("home")).content.decode()
    client.force_login(sup["leader"])
    assert reverse("rectification:assignment_list") in client.get(reverse("home")).content.decode()


def test_office_assigns_from_the_plan_and_builds_a_campaign_from_similar_problems(client, dept):
    client.force_login(dept["office"])
    plan_page = client.get(dept["plan"].get_absolute_url()).content.decode()
    assert reverse("rectification:assignment_add", args=[dept["problem"].pk]) in plan_page
    url = reverse("rectification:campaign_add", args=[dept["problem"].pk])
    form = client.get(url).content.decode()
    assert "甲县教育局" in form and dept["problem"].title in form
    response = client.post(
        url,
        {
            "title": "清退补贴",
            "sector_dept": dept["edu"].pk,
            "problems": [dept["problem"].pk],
            "description": "清查",
            "standard": "清退",
            "due_on": "2000-01-01",
        },
    )
    assert "应晚于今天" in response.content.decode() and not Campaign.objects.exists()
    due = (timezone.localdate() + timedelta(days=60)).isoformat()
    response = client.post(
        url,
        {
            "title": "清退补贴",
            "sector_dept": dept["edu"].pk,
            "problems": [dept["problem"].pk],
            "description": "清查",
            "standard": "清退",
            "due_on": due,
        },
    )
    campaign = Campaign.objects.get()
    assert response.status_code == 302 and response["Location"] == campaign.get_absolute_url()
    client.force_login(dept["edu_user"])
    page = client.get(campaign.get_absolute_url()).content.decode()
    assert "甲县青山镇" in page and "报告整治进展" in page
    assert client.get(dept["plan"].get_absolute_url()).status_code == 404


def test_my_work_lists_a_leaders_and_a_departments_items(client, dept):
    task = dept["problem"].tasks.get()
    _due_in(task, -2)
    client.force_login(dept["leader"])
    home = client.get(reverse("home")).content.decode()
    assert "督办问题有任务逾期" in home
    _campaign(dept)
    client.force_login(dept["edu_user"])
    home = client.get(reverse("home")).content.decode()
    assert "专项整治进行中" in home


def test_only_long_term_tasks_take_a_report_interval(fed_back):
    plan = plan_services.plan_create(actor=fed_back["liaison"], feedback=fed_back["feedback"])
    problem = fed_back["target"].problems.order_by("number").first()
    data = {
        "measure": "每季度开展自查",
        "standard": "自查记录齐全",
        "due_on": timezone.localdate() + timedelta(days=300),
        "lead_dept": "党政办",
        "owner": "张某",
    }
    with pytest.raises(ServiceError, match="只有长期坚持类任务需要定期报告"):
        plan_services.task_add(
            actor=fed_back["liaison"], plan=plan, problem=problem, horizon="deadline", report_interval=3, **data
        )
    with pytest.raises(ServiceError, match="定期报告周期不正确"):
        plan_services.task_add(
            actor=fed_back["liaison"], plan=plan, problem=problem, horizon="long_term", report_interval=2, **data
        )
    task = plan_services.task_add(
        actor=fed_back["liaison"], plan=plan, problem=problem, horizon="long_term", report_interval=3, **data
    )
    assert task.report_interval == 3
