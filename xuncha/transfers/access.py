"""Transfers are reached by the receiving body (its path), the office (its jurisdiction's path
covers the receiver) and the team that found the matter (membership)."""

from typing import Any

from xuncha.accounts.permissions import Perm, access_scoped, register_membership
from xuncha.plans.access import member_rows, via_team
from xuncha.transfers.models import Transfer, TransferAttachment

register_membership(Transfer, via_team("team"), rows=member_rows)
register_membership(TransferAttachment, via_team("transfer__team"), rows=member_rows)


# --- fetch-and-authorise (one query; 404 for both missing and forbidden) -----------------


def access_transfer(user: Any, pk: Any, code: Perm = Perm.TRANSFER_VIEW) -> Transfer:
    qs = Transfer.objects.select_related("round__jurisdiction", "receiver", "target__unit", "team", "letter")
    return access_scoped(user, code, qs, pk)
