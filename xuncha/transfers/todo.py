"""The transfers' items in 我的工作 (registered with the kernel's to-do list)."""

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from xuncha.accounts.permissions import Perm, has_perm
from xuncha.common.todo import ACT, OVERDUE, Item, provider
from xuncha.transfers import selectors
from xuncha.transfers.models import TransferState


@provider(order=30)
def transfers(user: Any) -> list[Item]:
    items, url = [], reverse("transfers:transfer_list")
    if has_perm(user, Perm.TRANSFER_HANDLE):
        received = selectors.transfer_list(user=user, state=TransferState.SENT).count()
        items.append(Item(ACT, _("移交事项待签收"), received, url + "?state=sent"))
    if has_perm(user, Perm.TRANSFER_VIEW):
        late = selectors.transfer_list(user=user, overdue=True).count()
        items.append(Item(OVERDUE, _("移交事项逾期未反馈"), late, url + "?overdue=on"))
    return items
