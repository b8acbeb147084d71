from django.conf import settings
from django.core.management.base import BaseCommand

from xuncha.intake.services.retention import due_for_purge, round_reports_purge


class Command(BaseCommand):
    help = (
        "Remove the content of public reports (text, contact details, messages, attachments, keys) of rounds "
        "archived longer than XUNCHA_REPORT_RETENTION_DAYS ago; the report rows and their counts stay. "
        "Idempotent: run it daily from cron."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="list the rounds, change nothing")

    def handle(self, *args, dry_run: bool, **options):
        days = settings.XUNCHA_REPORT_RETENTION_DAYS
        rounds = list(due_for_purge())
        if not rounds:
            self.stdout.write(self.style.SUCCESS(f"没有超过保存期限（归档后 {days} 天）的信访举报。"))
            return
        for rnd in rounds:
            if dry_run:
                self.stdout.write(
                    f"{rnd.name}：将清除 {rnd.reports.filter(purged_at__isnull=True).count()} 件举报的内容"
                )
                continue
            done = round_reports_purge(rnd=rnd)
            self.stdout.write(
                f"{rnd.name}：已清除 {done.reports} 件举报的内容、{done.files} 个附件、"
                f"{done.messages} 条消息（保留件数统计）"
            )
