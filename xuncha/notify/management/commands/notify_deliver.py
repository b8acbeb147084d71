from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from xuncha.common.tasks import enqueue_once
from xuncha.notify.services import deliver_pending
from xuncha.notify.services.delivery import DEFAULT_LIMIT, deliver_task


class Command(BaseCommand):
    help = (
        "Send the queued e-mail and webhook copies of messages that are due (new ones and retries). "
        "Idempotent and safe to overlap; run it every few minutes (deploy/). `remind` also runs it at its end. "
        "With --enqueue it only queues the same work for the background worker (db_worker)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=DEFAULT_LIMIT, help="at most this many per run")
        parser.add_argument("--enqueue", action="store_true", help="queue it for the worker instead of running it here")

    def handle(self, *args, limit=DEFAULT_LIMIT, enqueue=False, **options):
        if enqueue:
            # The same arguments as the runs `notify` queues, so one waiting run serves both.
            queued = enqueue_once(deliver_task, **({} if limit == DEFAULT_LIMIT else {"limit": limit}))
            self.stdout.write(_("已加入后台任务队列。") if queued else _("后台任务队列中已有待执行的推送任务。"))
            return
        run = deliver_pending(limit=limit)
        self.stdout.write(str(run))
