"""Transfers of fed-back units (≈ one per five problems) with their receivers' accounts and their
event history: old ones closed, recent ones spread over the states, some owed past the deadline.

The receiving bodies get an account with the receiver role over them (``transfer_send`` refuses a
body nobody can receive for): the discipline commission, the organisation department and each
sector department of the county.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from xuncha.accounts.models import OrgUnit
from xuncha.accounts.permissions import Role
from xuncha.synth import texts_rect as t
from xuncha.synth.bulk import at, new
from xuncha.synth.context import County, Run
from xuncha.synth.findings import Fed
from xuncha.synth.org import _grant, _user
from xuncha.transfers.models import Disposal, Secrecy, Transfer, TransferEvent, TransferKind, TransferState
from xuncha.transfers.workflow import TRANSFER_WORKFLOW

KINDS = [TransferKind.CLUE] * 10 + [TransferKind.PERSONNEL] * 4 + [TransferKind.SECTOR] * 5 + [TransferKind.OTHER]
DISPOSALS = {
    TransferKind.CLUE: [Disposal.TALK, Disposal.TALK, Disposal.VERIFY, Disposal.VERIFY, Disposal.CASE, Disposal.SHELVE],
    TransferKind.PERSONNEL: [Disposal.ORGANISATIONAL, Disposal.RECTIFY],
    TransferKind.SECTOR: [Disposal.RECTIFY],
    TransferKind.OTHER: [Disposal.OTHER, Disposal.DISMISS],
}
# (action, (low, high) days after the previous step)
PATH = [("acknowledge", (1, 6)), ("dispose", (4, 20)), ("report", (25, 110)), ("close", (3, 20))]
REPORT_BACK = 90  # days: the default three months


def receivers(run: Run, c: County) -> dict[str, Any]:
    """The receiving accounts of the county: role → {unit id: user}."""
    when = at(run.as_of.replace(year=run.as_of.year - run.sizes.years, month=2, day=12))
    tag = f"c{c.index:04d}"
    out: dict[str, dict[int, Any]] = {}

    def grant(role: str, unit: OrgUnit, username: str) -> None:
        person = c.people.get(unit.pk, [None])[-1]
        user = _user(run, username, person.name if person else unit.name, unit, None, when)
        _grant(run, user, role, unit, when)
        out.setdefault(role, {})[unit.pk] = user

    grant(Role.DISCIPLINE_RECEIVER, c.by_name["县纪委监委"], f"{tag}_jw")
    grant(Role.ORGANISATION_RECEIVER, c.by_name["县委组织部"], f"{tag}_zzb")
    for sector in sorted({u.sector_dept for u in c.units if u.sector_dept_id}, key=lambda u: u.pk):
        grant(Role.SECTOR_RECEIVER, sector, f"{tag}_hy{sector.pk}")
    c.accounts_by_role.update({role: list(users.values()) for role, users in out.items()})
    return out


def build_transfers(run: Run, c: County) -> None:
    accounts = receivers(run, c)
    for fed in c.fed:
        count = round(len(fed.problems) / 5 * c.rng.uniform(0.6, 1.4))
        for _ in range(count):
            _transfer(run, c, fed, accounts)


def _receiver(c: County, fed: Fed, kind: str, accounts: dict) -> tuple[OrgUnit, Any]:
    unit = fed.target.unit
    if kind == TransferKind.PERSONNEL:
        body = c.by_name["县委组织部"]
        return body, accounts[Role.ORGANISATION_RECEIVER][body.pk]
    if kind == TransferKind.SECTOR and unit.sector_dept_id:
        return unit.sector_dept, accounts[Role.SECTOR_RECEIVER][unit.sector_dept_id]
    body = c.by_name["县纪委监委"]
    return body, accounts[Role.DISCIPLINE_RECEIVER][body.pk]


def _transfer(run: Run, c: County, fed: Fed, accounts: dict) -> None:
    rng, unit, rnd = c.rng, fed.target.unit, fed.rplan.round
    kind = rng.choice(KINDS)
    if kind == TransferKind.SECTOR and not unit.sector_dept_id:
        kind = TransferKind.CLUE
    receiver, handler = _receiver(c, fed, kind, accounts)
    picked = rng.sample(fed.problems, min(len(fed.problems), rng.choice((1, 1, 2))))
    papers = [p for _problem, group in picked for p in group]
    sent = min(fed.sent_on + timedelta(days=rng.randint(-8, 12)), run.as_of)
    sent = max(sent, rnd.exit_date + timedelta(days=1))
    sender = c.staff
    title = rng.choice(t.TRANSFER_TITLES[kind]).format(unit=unit.name)
    transfer = new(
        Transfer,
        pk=run.ids.next(Transfer),
        round=rnd,
        team=fed.tplan.team,
        target=fed.target,
        kind=kind,
        receiver=receiver,
        doc_no=f"{c.name[:2]}巡移〔{sent.year}〕{rng.randint(1, 99)}号",
        secrecy=Secrecy.CONFIDENTIAL if kind == TransferKind.CLUE else Secrecy.INTERNAL,
        title=title[:200],
        summary=t.TRANSFER_SUMMARY.format(unit=unit.name, what=picked[0][0].title),
        persons="、".join(sorted({p.people_involved for p in papers}))[:500],
        persons_count=len({p.people_involved for p in papers}) if kind != TransferKind.SECTOR else 0,
        sent_on=sent,
        sent_by=sender,
        created_at=at(sent, 10),
    )
    run.sink.add(transfer)
    run.sink.extend(new(Transfer.problems.through, transfer_id=transfer.pk, problem_id=p.pk) for p, _g in picked)
    run.sink.extend(new(Transfer.papers.through, transfer_id=transfer.pk, workingpaper_id=p.pk) for p in papers)
    after = {"kind": kind, "receiver": receiver.pk, "problems": [p.pk for p, _g in picked]}
    run.audit.add(transfer.created_at, sender, "transfers.transfer.send", transfer, c.node.pk, after)
    _history(run, c, transfer, handler, sent)


def _history(run: Run, c: County, transfer: Transfer, handler: Any, sent: date) -> None:
    """Walk the workflow from ``sent`` until as_of; a few recent transfers stall where they are."""
    rng = c.rng
    stall = (run.as_of - sent).days < 400 and rng.random() < 0.25
    stop_at = rng.choice(("acknowledge", "dispose", "report")) if stall else None
    day, state = sent, TransferState.SENT
    for action, (low, high) in PATH:
        if action == stop_at:
            break
        day = day + timedelta(days=rng.randint(low, high))
        if day > run.as_of:
            break
        actor = c.staff if action == "close" else handler
        comment = ""
        if action == "dispose":
            transfer.disposal = rng.choice(DISPOSALS[transfer.kind])
            comment = Disposal(transfer.disposal).label
        elif action == "acknowledge":
            transfer.acknowledged_on = day
        elif action == "report":
            transfer.reported_on, transfer.result = day, rng.choice(t.TRANSFER_RESULTS)
        elif action == "close":
            transfer.closed_on = day
        to_state = TRANSFER_WORKFLOW.get(action).target
        run.sink.add(
            new(
                TransferEvent,
                pk=run.ids.next(TransferEvent),
                transfer=transfer,
                action=action,
                from_state=state,
                to_state=to_state,
                actor=actor,
                comment=str(comment),
                created_at=at(day, 15),
            )
        )
        after = {"state": to_state, "disposal": transfer.disposal}
        run.audit.add(at(day, 15), actor, f"transfers.transfer.{action}", transfer, c.node.pk, after)
        state = to_state
    transfer.state = state
    transfer.updated_at = at(day, 15)
