"""`remind` as a background task: the daily timer queues it (`remind --enqueue`, once however
often it fires while the worker is down), the worker runs the same function as the command."""

from io import StringIO

import pytest
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from xuncha.common.tests.worker import run_worker
from xuncha.notify.models import Notification
from xuncha.rectification.tasks import remind_task
from xuncha.rectification.tests.test_remind import _due_in, running  # noqa: F401  (fixture)

TASK_PATH = "xuncha.rectification.tasks.remind_task"


def test_the_task_function_is_remind(running):  # noqa: F811
    _due_in(running["tasks"][0], 15)  # green
    assert remind_task.call() == {"tasks": 1, "messages": 1}
    assert remind_task.call() == {"tasks": 0, "messages": 0}  # idempotent, as the command


def test_enqueue_queues_one_run_and_sends_nothing_itself(running):  # noqa: F811
    _due_in(running["tasks"][0], 15)
    out = StringIO()
    call_command("remind", "--enqueue", stdout=out)
    call_command("remind", "--enqueue", stdout=out)
    assert "已加入后台任务队列" in out.getvalue() and "已有待执行的提醒任务" in out.getvalue()
    assert DBTaskResult.objects.ready().filter(task_path=TASK_PATH).count() == 1
    assert not Notification.objects.exists()
    call_command("remind", "--enqueue", "--today", "2030-01-01", stdout=out)  # another day: another run
    assert DBTaskResult.objects.ready().filter(task_path=TASK_PATH).count() == 2


@pytest.mark.django_db(transaction=True)
def test_the_worker_sends_the_queued_reminders(running):  # noqa: F811
    _due_in(running["tasks"][0], 15)
    call_command("remind", "--enqueue", stdout=StringIO())
    assert run_worker() == 1
    assert Notification.objects.filter(user=running["liaison"]).count() == 1
    assert DBTaskResult.objects.get(task_path=TASK_PATH).return_value == {"tasks": 1, "messages": 1}
