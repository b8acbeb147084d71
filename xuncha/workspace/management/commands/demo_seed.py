"""Build the demo county app by app. Idempotent: each part is added once, when it is missing.

The parts are registered by the apps' ``demo.py`` modules (see xuncha/common/demo.py)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from xuncha.accounts.demo import COUNTY_NAME, demo_exists, seed_demo
from xuncha.accounts.models import OrgUnit, UnitType
from xuncha.common.demo import discover


class Command(BaseCommand):
    help = "Build the demo county (示例县) with its rounds and teams. Does nothing for parts that exist."

    def add_arguments(self, parser):
        parser.add_argument("--if-empty", action="store_true", help="skip a database that holds other (non-demo) units")

    def handle(self, *args, if_empty=False, **options):
        if not settings.XUNCHA_DEMO_ALLOWED:
            raise CommandError("本环境不允许加载演示数据（XUNCHA_DEMO_ALLOWED=False）。")
        if if_empty and OrgUnit.objects.exists() and not demo_exists():
            self.stdout.write("数据库中已有其他单位，未加载演示数据。")
            return
        changed = False
        prerequisites, parts = discover()
        for prerequisite in prerequisites:
            prerequisite()
        if not demo_exists():
            c = seed_demo()
            self.stdout.write(
                self.style.SUCCESS(
                    f"已建立示例县：单位 {c['units']} 个，人员 {c['people']} 名，演示账户 {c['accounts']} 个。"
                )
            )
            changed = True
        county = OrgUnit.objects.get(name=COUNTY_NAME, unit_type=UnitType.COUNTY)
        for part in parts:
            if not part.seeded(county):
                counts = part.seed(county)
                self.stdout.write(self.style.SUCCESS(part.message.format(**counts)))
                changed = True
        if not changed:
            self.stdout.write("演示数据已存在，未作改动。")
