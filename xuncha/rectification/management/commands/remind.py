from datetime import date

from django.core.management.base import BaseCommand

from xuncha.rectification.reminders import remind


class Command(BaseCommand):
    help = (
        "Send the warning ladder's reminders for rectification tasks (green, yellow, red) to the in-app inbox. "
        "Idempotent: each task, level and deadline is sent once per person. Run it daily (deploy/)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--today", type=date.fromisoformat, help="the date to judge by (default: today)")

    def handle(self, *args, today=None, **options):
        sent = remind(today)
        self.stdout.write(f"已提醒 {sent.tasks} 项整改任务，发送消息 {sent.messages} 条。")
