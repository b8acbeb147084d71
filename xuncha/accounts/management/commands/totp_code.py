"""Print the current sign-in code of a demo account: development and demonstrations only."""

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from xuncha.accounts.demo import DEMO_ACCOUNTS, demo_totp_key


class Command(BaseCommand):
    help = "Print the current 6-digit code of a demo account's authenticator (demo installations only)."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        # Only where demo data is allowed (production.py forces it off), only for the demo accounts,
        # and only while the account still has the demo's own authenticator: a real secret, one its
        # holder enrolled, is never readable here.
        if not settings.XUNCHA_DEMO_ALLOWED:
            raise CommandError("本环境不允许使用演示账户。")
        if username not in {a.username for a in DEMO_ACCOUNTS}:
            raise CommandError(f"{username} 不是演示账户。")
        device = TOTPDevice.objects.filter(user__username=username, confirmed=True).first()
        if device is None or device.key != demo_totp_key(username):
            raise CommandError(f"{username} 没有演示用的验证器（该账户登录不需要验证码，或已由本人重新绑定）。")
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        totp.time = time.time()
        left = device.step - int(totp.time - device.t0) % device.step
        self.stdout.write(f"{totp.token():0{device.digits}d}")
        if options["verbosity"] > 1:
            self.stderr.write(f"（{left} 秒后更新）")
