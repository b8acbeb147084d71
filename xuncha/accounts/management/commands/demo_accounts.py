import json

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from xuncha.accounts.demo import DEMO_ACCOUNTS, DEMO_PASSWORD
from xuncha.accounts.models import User


class Command(BaseCommand):
    help = "Print the demo accounts (those present in the database) with their password and role."

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="machine-readable output")

    def handle(self, *args, json=False, **options):
        if not settings.XUNCHA_DEMO_ALLOWED:
            raise CommandError("本环境不允许使用演示账户。")
        present = set(
            User.objects.filter(username__in=[a.username for a in DEMO_ACCOUNTS]).values_list("username", flat=True)
        )
        rows = [
            {
                "username": a.username,
                "password": DEMO_PASSWORD,
                "role": a.role.value if a.role else "team_member",
                "role_label": a.label or (str(a.role.label) if a.role else "巡察组成员"),
            }
            for a in DEMO_ACCOUNTS
            if a.username in present
        ]
        if json:
            self.stdout.write(_dumps(rows))
            return
        if not rows:
            self.stdout.write("没有演示账户（请先运行 manage.py demo_seed）。")
            return
        self.stdout.write(f"演示账户（密码均为 {DEMO_PASSWORD}）：")
        for r in rows:
            self.stdout.write(f"  {r['username']:<16} {r['role_label']}")


def _dumps(rows):
    return json.dumps([{k: r[k] for k in ("username", "password", "role")} for r in rows], ensure_ascii=False)
