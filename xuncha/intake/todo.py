"""The reports' items in 我的工作 (registered with the kernel's to-do list)."""

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from xuncha.accounts.permissions import Perm, has_perm
from xuncha.common.todo import ACT, OVERDUE, Item, provider
from xuncha.intake import selectors


@provider(order=10)
def reports(user: Any) -> list[Item]:
    if not has_perm(user, Perm.REPORT_HANDLE):
        return []
    url = reverse("intake:report_list")
    return [
        Item(
            OVERDUE,
            _("信访举报逾期未办理"),
            selectors.report_list(user=user, overdue=True).count(),
            url + "?overdue=on",
        ),
        Item(
            ACT,
            _("信访举报待受理"),
            selectors.report_list(user=user, state="received").count(),
            url + "?state=received",
        ),
    ]
