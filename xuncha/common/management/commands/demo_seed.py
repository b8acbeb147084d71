"""Build the demo county app by app. Idempotent: each part is added once, when it is missing."""

from importlib import import_module

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from xuncha.accounts.demo import COUNTY_NAME, demo_exists, seed_demo
from xuncha.accounts.models import OrgUnit, UnitType

# Each app's demo, in the order the loop runs: (module, "is it there?", "build it", what to say).
PARTS = [
    ("xuncha.plans.demo", "plans_seeded", "seed_plans", "已建立巡察轮次 {rounds} 个，人才库 {pool} 人。"),
    (
        "xuncha.fieldwork.demo",
        "fieldwork_seeded",
        "seed_fieldwork",
        "已建立现场工作记录 {records} 条、问题底稿 {papers} 份。",
    ),
    ("xuncha.intake.demo", "intake_seeded", "seed_intake", "已建立信访举报 {reports} 件。"),
    (
        "xuncha.findings.demo",
        "findings_seeded",
        "seed_findings",
        "已形成巡察发现问题 {problems} 个，向 {feedback} 个单位反馈。",
    ),
    ("xuncha.transfers.demo", "transfers_seeded", "seed_transfers", "已移交问题线索和有关事项 {transfers} 件。"),
    (
        "xuncha.rectification.demo",
        "rectification_seeded",
        "seed_rectification",
        "已建立整改方案 {plans} 份、领衔督办事项 {assignments} 项、专项整治 {campaigns} 项、督办文书 {letters} 份。",
    ),
    (
        "xuncha.rectification.demo_followup",
        "followup_seeded",
        "seed_followup",
        "已记录回访督查 {visits} 次、整改评估 {evaluations} 个。",
    ),
    ("xuncha.notify.demo", "notify_seeded", "seed_notify", "已配置消息推送地址 {webhooks} 个。"),
    (
        "xuncha.analytics.demo_situation",
        "situation_seeded",
        "seed_situation",
        "已补充第七轮现场工作记录 {records} 条。",
    ),
    (
        "xuncha.appraisal.demo",
        "appraisal_seeded",
        "seed_appraisal",
        "已开展巡后评估测评 {surveys} 次、答卷 {answers} 份。",
    ),
]


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
        from xuncha.rectification.evaluation_seed import load as load_evaluation_sheet

        load_focus_lists()
        load_evaluation_sheet()  # the same for the default rectification evaluation sheet (migration 0003)
        if not demo_exists():
            c = seed_demo()
            self.stdout.write(
                self.style.SUCCESS(
                    f"已建立示例县：单位 {c['units']} 个，人员 {c['people']} 名，演示账户 {c['accounts']} 个。"
                )
            )
            changed = True
        county = OrgUnit.objects.get(name=COUNTY_NAME, unit_type=UnitType.COUNTY)
        for module, seeded, seed, message in PARTS:
            demo = import_module(module)
            if not getattr(demo, seeded)(county):
                counts = getattr(demo, seed)(county)
                self.stdout.write(self.style.SUCCESS(message.format(**counts)))
                changed = True
        if not changed:
            self.stdout.write("演示数据已存在，未作改动。")
