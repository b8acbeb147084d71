"""我的工作: each role sees what is theirs to do, most urgent first, each item linking to its list;
the page's query count does not grow with the rows behind the counts."""

from django.urls import reverse

from xuncha.common.todo import todo_items


def _labels(user):
    return [(str(i.label), i.count) for i in todo_items(user)]


def test_office_unit_and_receiver_each_see_their_items(client, fed_back):
    from xuncha.rectification.services import plans as services

    fb = fed_back
    # The unit has feedback and no plan yet.
    assert ("巡察反馈待编制整改方案", 1) in _labels(fb["liaison"])
    plan = services.plan_create(actor=fb["liaison"], feedback=fb["feedback"])
    assert ("巡察反馈待编制整改方案", 1) not in _labels(fb["liaison"])
    from datetime import timedelta

    from django.utils import timezone

    for problem in fb["target"].problems.all():
        services.task_add(
            actor=fb["liaison"],
            plan=plan,
            problem=problem,
            measure="m",
            standard="s",
            horizon="deadline",
            due_on=timezone.localdate() + timedelta(days=5),
            lead_dept="d",
            owner="o",
        )
    services.plan_transition(obj=plan, action="submit", actor=fb["unit_leader"])
    office_items = _labels(fb["office"])
    assert ("整改方案待联审", 1) in office_items
    # the unit does not review, so it does not see the review item
    assert all(label != "整改方案待联审" for label, _n in _labels(fb["liaison"]))
    client.force_login(fb["office"])
    page = client.get(reverse("home")).content.decode()
    assert "整改方案待联审" in page and "data-todo" in page


def test_overdue_items_come_first(fed_back):
    from datetime import timedelta

    from django.utils import timezone

    from xuncha.rectification.models import Task
    from xuncha.rectification.services import plans as services

    fb = fed_back
    plan = services.plan_create(actor=fb["liaison"], feedback=fb["feedback"])
    task = services.task_add(
        actor=fb["liaison"],
        plan=plan,
        problem=fb["target"].problems.first(),
        measure="m",
        standard="s",
        horizon="deadline",
        due_on=timezone.localdate() + timedelta(days=5),
        lead_dept="d",
        owner="o",
    )
    Task.objects.filter(pk=task.pk).update(due_on=timezone.localdate() - timedelta(days=1))
    items = todo_items(fb["liaison"])
    assert items[0].overdue and str(items[0].label) == "整改任务已逾期"
