"""Build the demo county app by app. Idempotent: each part is added once, when it is missing."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from xuncha.accounts.demo import COUNTY_NAME, demo_exists, seed_demo
from xuncha.accounts.models import OrgUnit, UnitType


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
        # The focus lists come with migration 0002; a test database flushed between tests (or an
        # operator who deleted them) would not have them, and the demo rounds are classified by them.
        from xuncha.findings.focus_seed import load as load_focus_lists

        load_focus_lists()
        if not demo_exists():
            c = seed_demo()
            self.stdout.write(
                self.style.SUCCESS(
                    f"已建立示例县：单位 {c['units']} 个，人员 {c['people']} 名，演示账户 {c['accounts']} 个。"
                )
            )
            changed = True
        county = OrgUnit.objects.get(name=COUNTY_NAME, unit_type=UnitType.COUNTY)
        from xuncha.plans.demo import plans_seeded, seed_plans

        if not plans_seeded(county):
            p = seed_plans(county)
            self.stdout.write(self.style.SUCCESS(f"已建立巡察轮次 {p['rounds']} 个，人才库 {p['pool']} 人。"))
            changed = True
        from xuncha.fieldwork.demo import fieldwork_seeded, seed_fieldwork

        if not fieldwork_seeded(county):
            f = seed_fieldwork(county)
            self.stdout.write(self.style.SUCCESS(f"已建立现场工作记录 {f['records']} 条、问题底稿 {f['papers']} 份。"))
            changed = True
        from xuncha.intake.demo import intake_seeded, seed_intake

        if not intake_seeded(county):
            r = seed_intake(county)
            self.stdout.write(self.style.SUCCESS(f"已建立信访举报 {r['reports']} 件。"))
            changed = True
        from xuncha.findings.demo import findings_seeded, seed_findings

        if not findings_seeded(county):
            f = seed_findings(county)
            self.stdout.write(
                self.style.SUCCESS(f"已形成巡察发现问题 {f['problems']} 个，向 {f['feedback']} 个单位反馈。")
            )
            changed = True
        from xuncha.transfers.demo import seed_transfers, transfers_seeded

        if not transfers_seeded(county):
            t = seed_transfers(county)
            self.stdout.write(self.style.SUCCESS(f"已移交问题线索和有关事项 {t['transfers']} 件。"))
            changed = True
        from xuncha.rectification.demo import rectification_seeded, seed_rectification

        if not rectification_seeded(county):
            r = seed_rectification(county)
            self.stdout.write(self.style.SUCCESS(f"已建立整改方案 {r['plans']} 份。"))
            changed = True
        if not changed:
            self.stdout.write("演示数据已存在，未作改动。")
