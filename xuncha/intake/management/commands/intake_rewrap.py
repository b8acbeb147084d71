from django.core.management.base import BaseCommand

from xuncha.intake.services.retention import reports_rewrap


class Command(BaseCommand):
    help = (
        "After a master-key rotation: re-wrap every public report's data key under the active master key "
        "(only the wrapped keys change; content and files stay as they are). Safe to run again."
    )

    def handle(self, *args, **options):
        checked, rewritten = reports_rewrap()
        self.stdout.write(
            self.style.SUCCESS(f"已检查 {checked} 件举报的数据密钥，改用当前主密钥重新封装 {rewritten} 件。")
        )
