from django.core.management.base import BaseCommand

from xuncha.notify.services import deliver_pending
from xuncha.notify.services.delivery import DEFAULT_LIMIT


class Command(BaseCommand):
    help = (
        "Send the queued e-mail and webhook copies of messages that are due (new ones and retries). "
        "Idempotent and safe to overlap; run it every few minutes (deploy/). `remind` also runs it at its end."
    )

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=DEFAULT_LIMIT, help="at most this many per run")

    def handle(self, *args, limit=DEFAULT_LIMIT, **options):
        run = deliver_pending(limit=limit)
        self.stdout.write(str(run))
