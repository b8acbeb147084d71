import json

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django_otp.plugins.otp_totp.models import TOTPDevice

from xuncha.accounts.demo import DEMO_ACCOUNTS, DEMO_PASSWORD, demo_totp_key, demo_totp_secret
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
        with_totp = _demo_authenticators(present)
        rows = [
            {
                "username": a.username,
                "password": DEMO_PASSWORD,
                "role": a.role.value if a.role else "team_member",
                "role_label": a.label or (str(a.role.label) if a.role else "巡察组成员"),
                **({"totp_secret": demo_totp_secret(a.username)} if a.username in with_totp else {}),
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
            needs_code = "  登录须验证码" if "totp_secret" in r else ""
            self.stdout.write(f"  {r['username']:<16} {r['role_label']}{needs_code}")
        if with_totp:
            self.stdout.write(
                "标有“登录须验证码”的账户：输入密码后，再输入 `manage.py totp_code 用户名` 显示的6位验证码"
                "（或把 demo_accounts --json 中的 totp_secret 添加到手机验证器应用）。"
            )


def _demo_authenticators(usernames):
    """Demo accounts whose authenticator is the demo one (its secret derived by the demo loader)."""
    devices = TOTPDevice.objects.filter(user__username__in=usernames, confirmed=True).values_list(
        "user__username", "key"
    )
    return {name for name, key in devices if key == demo_totp_key(name)}


def _dumps(rows):
    keys = ("username", "password", "role", "totp_secret")
    return json.dumps([{k: r[k] for k in keys if k in r} for r in rows], ensure_ascii=False)
