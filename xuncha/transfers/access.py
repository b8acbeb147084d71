"""Transfers are reached by the receiving body (its path), the office (its jurisdiction's path
covers the receiver) and the team that found the matter (membership)."""

from xuncha.accounts.permissions import register_membership
from xuncha.plans.access import via_team
from xuncha.transfers.models import Transfer, TransferAttachment

register_membership(Transfer, via_team("team"))
register_membership(TransferAttachment, via_team("transfer__team"))
