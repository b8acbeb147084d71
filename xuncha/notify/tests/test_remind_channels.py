"""`remind` pushes each warning once to the webhooks over the unit and e-mails each recipient once,
however often it runs; a dead webhook does not stop the run."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from xuncha.accounts.models import User
from xuncha.accounts.permissions import Role
from xuncha.accounts.tests.factories import make_user
from xuncha.findings.tests.conftest import approved  # noqa: F401  (fixture)
from xuncha.notify.models import Delivery, DeliveryState, Webhook, WebhookKind
from xuncha.notify.tests.servers import closed_port_url
from xuncha.rectification.models import Task
from xuncha.rectification.reminders import remind
from xuncha.rectification.services import plans as services
from xuncha.rectification.tests.conftest import fed_back, site  # noqa: F401  (fixtures)


@pytest.fixture
def running(fed_back, world, settings):  # noqa: F811
    fb = fed_back
    settings.XUNCHA_EMAIL_ENABLED = True
    plan = services.plan_create(actor=fb["liaison"], feedback=fb["feedback"])
    for problem in fb["target"].problems.order_by("number"):
        services.task_add(
            actor=fb["liaison"],
            plan=plan,
            problem=problem,
            measure="整改",
            standard="到位",
            horizon="deadline",
            due_on=timezone.localdate() + timedelta(days=60),
            lead_dept="党政办",
            owner="张某",
        )
    services.plan_transition(obj=plan, action="submit", actor=fb["unit_leader"])
    services.plan_transition(obj=plan, action="start_review", actor=fb["office"])
    services.plan_transition(obj=plan, action="approve", actor=fb["office"])
    make_user(world.a["dept"], Role.SUPERVISING_LEADER, scope=world.a["county"])
    for n, user in enumerate(User.objects.all()):
        User.objects.filter(pk=user.pk).update(email=f"u{n}@example.gov.cn")
    return {**fb, "plan": plan}


@pytest.mark.django_db
def test_remind_twice_sends_each_webhook_message_once(running, world, endpoint):
    Webhook.objects.create(
        name="县巡察办钉钉群", scope=world.a["county"], kind=WebhookKind.DINGTALK, url=endpoint.url()
    )
    Webhook.objects.create(name="已下线", scope=world.a["county"], url=closed_port_url())
    task = Task.objects.filter(plan=running["plan"]).order_by("pk").first()
    Task.objects.filter(pk=task.pk).update(due_on=timezone.localdate() - timedelta(days=1))  # red
    first = remind()
    assert first.messages == 2  # liaison, unit leader (a county leader only for his key items)
    assert len(endpoint.requests) == 1  # one group message, not one per recipient
    assert "红色预警" in endpoint.requests[0].json["markdown"]["title"]
    assert len(mail.outbox) == 2
    assert Delivery.objects.filter(webhook__name="已下线", state=DeliveryState.PENDING, attempts=1).count() == 1
    out = StringIO()
    call_command("remind", stdout=out)  # again, as cron would
    assert "已提醒 0 项整改任务" in out.getvalue()
    assert len(endpoint.requests) == 1 and len(mail.outbox) == 2
    call_command("notify_deliver", stdout=out)
    assert "发送成功 0 条" in out.getvalue()
