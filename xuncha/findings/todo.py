"""The findings' items in 我的工作 (registered with the kernel's to-do list)."""

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from xuncha.accounts.permissions import Perm, has_perm
from xuncha.common.todo import ACT, Item, provider
from xuncha.findings.selectors import office_queue


@provider(order=20)
def drafts(user: Any) -> list[Item]:
    if not has_perm(user, Perm.DRAFT_REVIEW):
        return []
    return [Item(ACT, _("巡察报告待记录审议"), office_queue(user=user).count(), reverse("findings:office_queue"))]
