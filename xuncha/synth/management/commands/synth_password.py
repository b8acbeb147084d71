"""``manage.py synth_password --password P user…``: let synthetic accounts sign in (the load test).

The generator leaves every account without a usable password, so nobody can sign in to a synthetic
database. This sets one password on the named accounts and, with ``--authenticator``, gives those
whose roles require a second factor an authenticator whose secret derives from that password
(``xuncha.synth.load.credentials``), so the load test signs in through the login form and the code
step as an official does. It refuses any database the generator did not make (no ``SynthDataset``),
and any settings where demo data is not allowed (production): it is never usable on real accounts.
"""

from __future__ import annotations

from typing import Any

from axes.utils import reset as axes_reset
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS, transaction

from xuncha.accounts.models import User
from xuncha.accounts.twofactor import policy
from xuncha.accounts.twofactor.services import totp_device_install
from xuncha.common.actors import SYSTEM
from xuncha.synth.generate import database_is_synthetic
from xuncha.synth.load.credentials import totp_key

NOT_SYNTHETIC = "此数据库不是合成数据生成器建立的（没有 SynthDataset 记录）：拒绝修改任何账户的密码。"


class Command(BaseCommand):
    help = "Set one password (and, for roles that need it, an authenticator) on synthetic accounts."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("usernames", nargs="+", help="synthetic accounts, e.g. c0000_staff1")
        parser.add_argument("--password", required=True)
        parser.add_argument(
            "--authenticator",
            action="store_true",
            help="also install an authenticator (secret derived from the password) where the roles require one",
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        check_synthetic(DEFAULT_DB_ALIAS)
        names = sorted(set(opts["usernames"]))
        users = list(User.objects.filter(username__in=names).order_by("username"))
        missing = sorted(set(names) - {u.username for u in users})
        if missing:
            raise CommandError("没有这些账户：" + "、".join(missing))
        with transaction.atomic():
            for user in users:
                installed = set_password(user, opts["password"], authenticator=opts["authenticator"])
                self.stdout.write(f"  {user.username}{'（已安装验证器）' if installed else ''}")


def check_synthetic(alias: str) -> None:
    """Refuse unless the database was made by the generator and the settings allow demo data."""
    if not settings.XUNCHA_DEMO_ALLOWED:
        raise CommandError("本环境不允许演示或合成数据（XUNCHA_DEMO_ALLOWED 为 off）。")
    if not database_is_synthetic(alias):
        raise CommandError(NOT_SYNTHETIC)


def set_password(user: User, password: str, *, authenticator: bool) -> bool:
    """The password (hashed as any other), no forced change, no lockout left from an earlier run;
    an authenticator where the roles require a second factor. True when one was installed."""
    user.set_password(password)
    # A password someone else chose must normally be changed first; these accounts are fake and
    # the load test signs in as them, so the change page would stand in front of every page.
    user.password_change_required = False
    user.save(update_fields=["password", "password_change_required"])
    axes_reset(username=user.username)
    if not (authenticator and policy.enforced() and policy.is_required(user)):
        return False
    key = totp_key(password, user.username)
    totp_device_install(actor=SYSTEM, user=user, key=key)
    device = policy.totp_device(user)
    if device is None or device.key != key:  # the sign-in step checks the newest device only
        raise CommandError(f"{user.username} 另有较新的验证器，压力测试无法为其生成验证码。")
    return True
