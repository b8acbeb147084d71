from django.core.management.base import BaseCommand, CommandError

from xuncha.audit.selectors import audit_chain_verify


class Command(BaseCommand):
    help = "Verify the SM3 hash chain of the audit log; exit non-zero naming the first broken row."

    def handle(self, *args, **options):
        report = audit_chain_verify()
        if not report.ok:
            raise CommandError(
                f"审计链校验失败：第 {report.broken_seq} 条记录（seq={report.broken_seq}）"
                f"{report.reason}。已校验完好的记录 {report.checked} 条。"
            )
        self.stdout.write(self.style.SUCCESS(f"审计链完好：共 {report.checked} 条记录，链尾哈希 {report.head_hash}"))
