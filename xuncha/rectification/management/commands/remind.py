from datetime import date

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from xuncha.common.tasks import enqueue_once
from xuncha.rectification.reminders import remind
from xuncha.rectification.tasks import remind_task


class Command(BaseCommand):
    help = (
        "Send the warning ladder's reminders for rectification tasks (green, yellow, red) to the in-app inbox. "
        "Idempotent: each task, level and deadline is sent once per person. Run it daily (deploy/). "
        "With --enqueue it only queues the same work for the background worker (db_worker)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--today", type=date.fromisoformat, help="the date to judge by (default: today)")
        parser.add_argument("--enqueue", action="store_true", help="queue it for the worker instead of running it here")

    def handle(self, *args, today=None, enqueue=False, **options):
        if enqueue:
            queued = enqueue_once(remind_task, today.isoformat() if today else None)
            self.stdout.write(_("已加入后台任务队列。") if queued else _("后台任务队列中已有待执行的提醒任务。"))
            return
        sent = remind(today)
        self.stdout.write(f"已提醒 {sent.tasks} 项整改任务，发送消息 {sent.messages} 条。")
