"""Readable names for audit actions. Apps add theirs here as they add actions."""

from django.utils.translation import gettext_lazy as _

ACTION_LABELS = {
    "auth.login": _("登录系统"),
    "auth.logout": _("退出系统"),
    "org.unit.create": _("新增单位"),
    "org.unit.update": _("修改单位"),
    "org.unit.move": _("调整单位隶属"),
    "org.unit.activate": _("启用单位"),
    "org.unit.deactivate": _("停用单位"),
    "people.person.create": _("登记人员"),
    "people.person.update": _("修改人员"),
    "people.post.add": _("添加任职"),
    "people.post.end": _("结束任职"),
    "people.relationship.add": _("登记人员关系"),
    "people.relationship.remove": _("删除人员关系"),
    "accounts.user.create": _("新建账户"),
    "accounts.user.update": _("修改账户"),
    "accounts.user.activate": _("启用账户"),
    "accounts.user.deactivate": _("停用账户"),
    "accounts.user.set_password": _("设置密码"),
    "accounts.role.grant": _("授予角色"),
    "accounts.role.revoke": _("撤销授权"),
}


def action_label(action: str) -> str:
    return str(ACTION_LABELS.get(action, action))
