"""The immediate-fix notices' item in 我的工作 (registered with the kernel's to-do list)."""

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from xuncha.accounts.permissions import Perm, has_perm, scope_queryset
from xuncha.common.todo import ACT, Item, provider
from xuncha.fieldwork.models import FixNotice, FixState


@provider(order=50)
def fixes(user: Any) -> list[Item]:
    if not has_perm(user, Perm.FIX_RESPOND):
        return []
    notices = scope_queryset(
        user, Perm.FIX_RESPOND, FixNotice.objects.filter(state__in=[FixState.ISSUED, FixState.RETURNED])
    )
    return [Item(ACT, _("立行立改通知待反馈"), notices.count(), reverse("fieldwork:fix_list"))]
