from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from xuncha.accounts.demo import demo_exists, seed_demo
from xuncha.accounts.models import OrgUnit


class Command(BaseCommand):
    help = "Build the demo county (示例县). Idempotent: does nothing when it already exists."

    def add_arguments(self, parser):
        parser.add_argument("--if-empty", action="store_true", help="only when the database has no units at all")

    def handle(self, *args, if_empty=False, **options):
        if not settings.XUNCHA_DEMO_ALLOWED:
            raise CommandError("本环境不允许加载演示数据（XUNCHA_DEMO_ALLOWED=False）。")
        if demo_exists() or (if_empty and OrgUnit.objects.exists()):
            self.stdout.write("演示数据已存在，未作改动。")
            return
        c = seed_demo()
        done = f"已建立示例县：单位 {c['units']} 个，人员 {c['people']} 名，演示账户 {c['accounts']} 个。"
        self.stdout.write(self.style.SUCCESS(done))
