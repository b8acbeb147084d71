"""The post-inspection evaluation's item in 我的工作 (registered with the kernel's to-do list)."""

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from xuncha.accounts.permissions import Role, user_roles
from xuncha.appraisal.selectors import flagged_appraisals
from xuncha.common.todo import ACT, Item, provider


@provider(order=80)
def appraisal(user: Any) -> list[Item]:
    """Teams flagged by the post-inspection evaluation (low score, a member 不称职): the office head."""
    if Role.OFFICE_HEAD not in user_roles(user):
        return []
    count = flagged_appraisals(user=user).count()
    return [Item(ACT, _("巡后评估需关注的巡察组待谈话"), count, reverse("appraisal:index") + "?flagged=on")]
