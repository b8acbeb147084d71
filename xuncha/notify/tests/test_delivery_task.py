"""Delivery as a background task: a message with copies queues one delivery run for the worker
(the copies leave within seconds, not at the next timer run); the timer queues one run however
often it fires while the worker is down; the command without --enqueue still sends by itself."""

from io import StringIO

import pytest
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from xuncha.common.tests.worker import run_worker
from xuncha.notify.models import Delivery, DeliveryState, Webhook, WebhookKind
from xuncha.notify.services import notify

TASK_PATH = "xuncha.notify.services.delivery.deliver_task"


def _queued():
    return DBTaskResult.objects.ready().filter(task_path=TASK_PATH)


@pytest.mark.django_db(transaction=True)
def test_messages_with_copies_queue_one_run_that_the_worker_sends(people, world, endpoint):
    Webhook.objects.create(
        name="县巡察办钉钉群", scope=world.a["county"], kind=WebhookKind.DINGTALK, url=endpoint.url()
    )
    notify(user=people["liaison"], key="k:1", title="整改提醒", unit=world.a["town"])
    notify(user=people["staff"], key="k:2", title="另一条提醒", unit=world.a["town"])
    assert _queued().count() == 1 and not endpoint.requests  # queued, not sent by the caller
    assert run_worker() == 1
    assert len(endpoint.requests) == 2
    assert Delivery.objects.filter(state=DeliveryState.SENT).count() == 2
    result = DBTaskResult.objects.get(task_path=TASK_PATH)
    assert result.return_value == {"sent": 2, "retrying": 0, "gave_up": 0, "deferred": 0}


def test_a_message_without_copies_queues_nothing(people, world):
    notify(user=people["staff"], key="k:3", title="站内消息", unit=world.a["town"])
    assert not _queued().exists()


def test_the_timer_queues_one_run_and_the_command_still_sends_by_itself(people, world, endpoint):
    Webhook.objects.create(name="群", scope=world.a["county"], kind=WebhookKind.DINGTALK, url=endpoint.url())
    notify(user=people["liaison"], key="k:4", title="整改提醒", unit=world.a["town"])
    out = StringIO()
    call_command("notify_deliver", "--enqueue", stdout=out)
    assert "已有待执行的推送任务" in out.getvalue() and _queued().count() == 1
    call_command("notify_deliver", stdout=out)  # the synchronous command, as before
    assert "发送成功 1 条" in out.getvalue() and len(endpoint.requests) == 1
