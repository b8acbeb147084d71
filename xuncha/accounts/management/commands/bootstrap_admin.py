"""Create the first system administrator of a new installation (and its top unit if none).

Permissions come only from role assignments, so Django's ``createsuperuser`` gives no access;
this command creates an account holding the system-administrator role over a jurisdiction.
The password is read from XUNCHA_ADMIN_PASSWORD or asked for interactively; never an argument,
so it does not land in the shell history.
"""

import getpass
import os

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from xuncha.accounts import services
from xuncha.accounts.models import OrgUnit
from xuncha.accounts.models.org import JURISDICTION_TYPES
from xuncha.accounts.permissions import Role
from xuncha.common.actors import SYSTEM
from xuncha.common.exceptions import ServiceError


class Command(BaseCommand):
    help = "Create the first system administrator (and the top jurisdiction when the tree is empty)."

    def add_arguments(self, parser):
        parser.add_argument("--username", required=True)
        parser.add_argument("--full-name", required=True)
        parser.add_argument(
            "--root-name", help="name of the top jurisdiction to create when there is none, e.g. 某某县"
        )
        parser.add_argument("--root-type", choices=[t.value for t in JURISDICTION_TYPES], default="county")

    def handle(self, *args, username, full_name, root_name=None, root_type="county", **options):
        password = os.environ.get("XUNCHA_ADMIN_PASSWORD") or self._ask_password()
        try:
            with transaction.atomic():
                root = self._root(root_name, root_type)
                user = services.user_create(
                    actor=SYSTEM, username=username, full_name=full_name, unit=root, password=password
                )
                services.role_grant(actor=SYSTEM, user=user, role=Role.SYSADMIN, scope=root, note="系统初始化")
        except ServiceError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write(self.style.SUCCESS(f"已创建系统管理员 {username}，授权范围：{root.name}"))

    def _root(self, root_name, root_type) -> OrgUnit:
        roots = OrgUnit.objects.filter(depth=1)
        if root_name:
            existing = roots.filter(name=root_name).first()
            return existing or services.unit_create(actor=SYSTEM, parent=None, name=root_name, unit_type=root_type)
        if roots.count() != 1:
            raise CommandError("请用 --root-name 指定顶级行政区域（组织树为空或有多个顶级单位）。")
        return roots.get()

    def _ask_password(self) -> str:
        if not os.isatty(0):
            raise CommandError("请通过环境变量 XUNCHA_ADMIN_PASSWORD 提供密码，或在终端中交互运行。")
        first = getpass.getpass("密码：")
        if first != getpass.getpass("再次输入密码："):
            raise CommandError("两次输入的密码不一致。")
        return first
