"""Print the role × permission matrix (docs/permissions.md) from ``accounts/permissions/codes.py``.

The document is generated, never written by hand, so it cannot drift from the code: ``--check``
fails (and CI with it) when the committed file differs from what the code says today.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from xuncha.accounts.permissions import (
    GRANTABLE_BY,
    MEMBERSHIP_ROLES,
    PERM_LABELS,
    REPORT_READER_ROLES,
    ROLE_PERMS,
    Perm,
    Role,
)

REGENERATE = "python manage.py permissions_matrix > docs/permissions.md"


def _role(role: Role) -> str:
    return f"{role.label} `{role.value}`"


def _ordered(roles: frozenset[Role]) -> list[Role]:
    # frozensets have no stable order; declaration order keeps the output byte-for-byte stable.
    return [r for r in Role if r in roles]


def render_matrix() -> str:
    """The whole Markdown document, ending with one newline."""
    # The labels are Chinese msgids: whatever language is active (a developer's LANGUAGE_CODE,
    # an English catalog), the committed document must come out the same.
    with translation.override("zh-hans"):
        lines = [
            "# 权限矩阵 (Permissions matrix)",
            "",
            f"<!-- 本文件由 `{REGENERATE}` 生成，请勿手工编辑。",
            "     Generated from xuncha/accounts/permissions/codes.py; do not edit by hand. -->",
            "",
            "- 角色授予在某一组织单位上，作用于该单位及其全部下级单位（组织树的一棵子树）。"
            "同一用户可在不同单位上持有多个角色，权限取并集。",
            "  A role is granted over an org unit and applies to that unit and everything under it.",
            *_membership_lines(),
            "- 授权只能在本人授权范围（子树）之内进行；各角色可授予的角色如下"
            " (who may grant which role, within their own subtree):",
            *_grant_lines(),
            "",
            _row(["角色 (role)", *(f"{PERM_LABELS[p]}<br>`{p.value}`" for p in Perm)]),
            _row(["---"] * (len(Perm) + 1)),
            *(_row([_role(r), *("✓" if p in ROLE_PERMS[r] else "" for p in Perm)]) for r in Role),
        ]
    return "\n".join(lines) + "\n"


def _membership_lines() -> list[str]:
    roles = "、".join(_role(r) for r in _ordered(MEMBERSHIP_ROLES))
    return [
        f"- {roles}的访问权来自所在巡察组的成员身份，而非本表中的权限；该角色不能在角色授权页面授予。",
        "  Team member access comes from team membership, not from the codes below; it is not granted by hand.",
        "- 一次一授权：巡察组成员的访问权随本轮归档而终止；确需查阅的，由巡察办写明事由、授权至某日。",
        "  A team's access ends when its round is archived, unless the office grants it again until a date.",
        "- 领衔督办：巡察办把重点问题交由县领导（分管(联系)县领导或领导小组成员）督办后，该领导对交办给本人的事项"
        "享有 `supervise.view`、`supervise.comment`，并可查阅该问题的整改任务、进展和销号申请及其佐证材料、"
        "只涉及这些任务的督办文书（`rectify.view`，仅限这些对象）；不能查看整改方案全文、台账或其他事项。"
        "分管(联系)县领导角色本身只用于标明可交办的县领导，不带来任何案件内容。",
        "  Leader supervision: a county leader reaches only the problems assigned to them, their tasks, evidence and",
        "  the letters on those tasks (membership); the role over the county gives no case content.",
        "- 举报内容（正文、附件、解锁后的举报人身份）只有以下角色可以查阅："
        + "、".join(_role(r) for r in _ordered(REPORT_READER_ROLES))
        + "（巡察组成员仅限本组巡察对象）。公开举报页面“仅巡察组和巡察办可以查阅”的承诺即指此名单；"
        "系统管理员不能查阅。",
        "  Reports from the public are readable by these roles only; the public form's promise quotes this list.",
        "- 职责分离：系统管理员只管理账户、组织机构和系统设置，不能查阅举报、底稿、问题、整改、文书、统计和审计日志。",
        "  Separation of duties: the system administrator reads no case content.",
        "- 专项整治按牵头行业主管部门划定范围：行业主管部门承办人只看到本部门牵头的专项整治；被巡察单位只看到本单位的"
        "整改方案和任务。",
        "  A sector department sees only the clean-ups it leads; an inspected unit only its own plan and tasks.",
    ]


def _grant_lines() -> list[str]:
    lines = []
    for role in Role:
        if role in GRANTABLE_BY:
            granted = "、".join(_role(r) for r in _ordered(GRANTABLE_BY[role]))
            lines.append(f"  - {_role(role)}：{granted}")
    lines.append("  - 其他角色不能授予角色 (other roles grant nothing)。")
    return lines


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


class Command(BaseCommand):
    help = "Print docs/permissions.md (the role × permission matrix); --check PATH fails when PATH is stale."
    # Reads only code: no database, no system checks, so it also runs in a bare checkout.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--check", metavar="PATH", help="exit non-zero when PATH differs from the output")

    def handle(self, *args, check=None, **options):
        text = render_matrix()
        if check is None:
            self.stdout.write(text, ending="")
            return
        try:
            current = Path(check).read_text(encoding="utf-8")
        except OSError as exc:
            raise CommandError(f"{check}: {exc.strerror}. Run: {REGENERATE}") from exc
        if current != text:
            raise CommandError(f"{check} is out of date with xuncha/accounts/permissions/codes.py. Run: {REGENERATE}")
        self.stdout.write(f"{check} is up to date.")
