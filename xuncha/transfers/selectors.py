"""Reads for transfers, scoped: the receiving body sees what was sent to it, the office its
jurisdiction's, the team its own. Lateness of the report-back is derived from the rule."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from functools import reduce
from operator import or_
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xuncha.accounts.models import OrgUnit
from xuncha.accounts.permissions import Perm, has_perm, scope_queryset
from xuncha.common.deadlines import Due, Rule, RulesCache, overdue_cutoff, rule_regions, shift
from xuncha.common.models import DeadlineKey
from xuncha.transfers.models import Disposal, Transfer, TransferKind, TransferState
from xuncha.transfers.workflow import OWED_STATES, TRANSFER_WORKFLOW


class Clock:
    """Report-back deadlines of a page of transfers: one rule query per jurisdiction."""

    def __init__(self, today: date | None = None) -> None:
        self.today = today or timezone.localdate()
        self.rules = RulesCache()

    def preload(self, jurisdictions: list[OrgUnit]) -> None:
        self.rules.preload(jurisdictions)

    def rule(self, jurisdiction: OrgUnit) -> Rule:
        return self.rules.rule(jurisdiction, DeadlineKey.TRANSFER_REPORT_BACK)

    def due(self, transfer: Transfer) -> Due | None:
        if transfer.state not in OWED_STATES:
            return None
        rule = self.rule(transfer.round.jurisdiction)
        on = shift(transfer.sent_on, rule.amount, rule.unit)
        return Due(on, _("反馈办理结果"), (on - self.today).days)


def transfer_list(
    *,
    user: Any,
    round_id: Any = None,
    kind: str = "",
    state: str = "",
    overdue: bool = False,
    clock: Clock | None = None,
    receiver_id: Any = None,
    disposal: str = "",
) -> QuerySet[Transfer]:
    qs = scope_queryset(user, Perm.TRANSFER_VIEW, Transfer.objects.all())
    if round_id:
        qs = qs.filter(round_id=round_id)
    if receiver_id:
        qs = qs.filter(receiver_id=receiver_id)
    if disposal:
        qs = qs.filter(disposal=disposal)
    if kind:
        qs = qs.filter(kind=kind)
    if state:
        qs = qs.filter(state=state)
    if overdue:
        qs = transfer_overdue(qs, clock=clock)
    return qs.select_related("round__jurisdiction", "receiver", "target__unit").order_by("-sent_on", "-id")


def transfer_overdue(qs: QuerySet[Transfer], *, clock: Clock | None = None) -> QuerySet[Transfer]:
    """The transfers of ``qs`` whose feedback is late today (derived on read, by the rules in force
    in each region of jurisdictions: one condition per unit that sets its own rule)."""
    today = (clock or Clock()).today
    key = DeadlineKey.TRANSFER_REPORT_BACK
    late = [
        region.where & Q(sent_on__lte=overdue_cutoff(region.rules[key], today))
        for region in rule_regions("round__jurisdiction__path", [key])
    ]
    return qs.filter(reduce(or_, late), state__in=OWED_STATES)


def transfer_actions(*, user: Any, transfer: Transfer) -> list:
    return [t for t in TRANSFER_WORKFLOW.actions_from(transfer.state) if has_perm(user, t.perm, transfer)]


def transfer_stats(*, user: Any, round_id: Any = None) -> dict[str, Any]:
    """The round's figures: transfers and persons by kind and by state, and clues by disposal."""
    qs = transfer_list(user=user, round_id=round_id)
    by_kind = {
        row["kind"]: row
        for row in qs.order_by().values("kind").annotate(transfers=Count("pk"), persons=Sum("persons_count"))
    }
    by_state: dict[str, dict[str, int]] = defaultdict(dict)
    for row in qs.order_by().values("kind", "state").annotate(n=Count("pk")):
        by_state[row["kind"]][row["state"]] = row["n"]
    disposals = dict(qs.exclude(disposal="").order_by().values_list("disposal").annotate(n=Count("pk")))
    rows = [
        {
            "kind": label,
            "transfers": by_kind.get(kind, {}).get("transfers", 0),
            "persons": by_kind.get(kind, {}).get("persons") or 0,
            "states": [by_state[kind].get(state, 0) for state in TransferState.values],
        }
        for kind, label in TransferKind.choices
    ]
    return {
        "rows": rows,
        "states": TransferState.choices,
        "total": sum(r["transfers"] for r in rows),
        "persons": sum(r["persons"] for r in rows),
        "disposals": [(label, disposals.get(code, 0)) for code, label in Disposal.choices],
    }
