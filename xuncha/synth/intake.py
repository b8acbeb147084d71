"""Public reports about inspected units, sealed exactly as the intake service seals them.

Each report's content (and contact, when named) is sealed with a data key under the context the
filing service uses (``report:<id>:<field>``, JSON as UTF-8), and the key is wrapped for that
report with the active master key, so the staff detail page opens it like any other; a test opens
synthetic reports with ``intake.services.open_json`` so the two cannot drift apart.
One data key serves a whole county (wrapping it per report keeps the stored form per report):
generating a fresh key per report would only add random-number cost, not realism.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

from xuncha.common.crypto import seal
from xuncha.common.crypto.envelope import wrap_with
from xuncha.common.crypto.keys import keyring
from xuncha.common.crypto.primitives import KEY_SIZE
from xuncha.intake.models import Channel, Report, ReportEvent, ReportMessage, ReportState
from xuncha.intake.workflow import REPORT_WORKFLOW
from xuncha.plans.models import RoundState
from xuncha.synth import texts
from xuncha.synth.bulk import at, new
from xuncha.synth.context import County, Run
from xuncha.synth.rounds import RoundPlan

CHANNELS = [Channel.ONLINE] * 11 + [Channel.LETTER] * 4 + [Channel.PHONE] * 3 + [Channel.VISIT, Channel.MAILBOX]
S = ReportState
ON_SITE_STATES = [S.RECEIVED] * 9 + [S.ACCEPTED] * 6 + [S.FORWARDED] * 2 + [S.NOT_ACCEPTED] * 2 + [S.LINKED]
REPORTING_STATES = [S.ACCEPTED] * 6 + [S.FORWARDED] * 4 + [S.NOT_ACCEPTED] * 3 + [S.LINKED] * 5 + [S.CLOSED] * 2
DONE_STATES = [S.CLOSED] * 9 + [S.LINKED] * 4 + [S.FORWARDED] * 4 + [S.NOT_ACCEPTED] * 3
# REPORT_WORKFLOW's steps to each state, and (days after the previous step, hour) for each action:
# the first answer within the 15 days of REPORT_ACKNOWLEDGE. A closed report went through a working
# paper mostly (``link``), now and then straight from accepted.
TRIAGE = {
    S.RECEIVED: (),
    S.ACCEPTED: ("accept",),
    S.FORWARDED: ("forward",),
    S.NOT_ACCEPTED: ("reject",),
    S.LINKED: ("accept", "link"),
    S.CLOSED: ("accept", "link", "close"),
}
DELAYS = {"accept": (1, 10), "forward": (2, 10), "reject": (2, 11), "link": (4, 15), "close": (12, 16)}


def seal_json(dek: bytes, report_id: int, field: str, data: dict) -> bytes:
    return seal(dek, json.dumps(data, ensure_ascii=False).encode(), context=f"report:{report_id}:{field}")


def _optional_fields(day: date) -> dict[str, Any]:
    """Fields the triage work adds to Report; set when the model has them (it is being extended)."""
    names = {f.name for f in Report._meta.concrete_fields}
    return {"received_on": day} if "received_on" in names else {}


def build_reports(run: Run, c: County) -> None:
    ring = keyring()
    dek = bytes(c.rng.getrandbits(8) for _ in range(KEY_SIZE))
    for rplan in c.rounds:
        if rplan.reached(RoundState.ON_SITE):
            _round_reports(run, c, rplan, ring, dek)


def _states(rplan: RoundPlan) -> list[str]:
    if rplan.reached(RoundState.FEEDBACK_DONE):
        return DONE_STATES
    return REPORTING_STATES if rplan.reached(RoundState.REPORTING) else ON_SITE_STATES


def _round_reports(run: Run, c: County, rplan: RoundPlan, ring: Any, dek: bytes) -> None:
    rng, rnd = c.rng, rplan.round
    seq = 0
    last = min(rnd.exit_date, run.as_of)
    span = max((last - rnd.entry_date).days, 0)
    for tplan in rplan.teams:
        staff_user = c.user_for(tplan.members[-1][0])
        for target in tplan.targets:
            for _ in range(rng.randint(0, 2 * run.sizes.reports_per_target)):
                seq += 1
                channel = rng.choice(CHANNELS)
                day = rnd.entry_date + timedelta(days=rng.randint(0, span))
                created = at(day, rng.randint(8, 21), rng.randint(0, 59))
                named = rng.random() < 0.3
                pk = run.ids.next(Report)
                content = {
                    "what": rng.choice(texts.REPORT_WHAT).format(unit=target.unit.name),
                    "people": rng.choice(texts.REPORT_PEOPLE),
                    "when": f"{day.year - rng.randint(0, 2)}年",
                    "where": target.unit.name,
                    "amount": f"约{rng.randint(1, 200)}万元" if rng.random() < 0.3 else "",
                }
                contact = {
                    "name": texts.person_name(rng)[0] + "某",
                    "phone": "139****0000",
                    "address": target.unit.name,
                }
                registrar = None if channel == Channel.ONLINE else staff_user
                report = new(
                    Report,
                    pk=pk,
                    round=rnd,
                    target=target,
                    intake_no=f"{c.index:04d}-{rnd.year}-{rnd.number:02d}-{seq:04d}",
                    channel=channel,
                    state=rng.choice(_states(rplan)),
                    anonymous=not named,
                    wrapped_key=wrap_with(ring, ring.active_id, dek),
                    content=seal_json(dek, pk, "content", content),
                    contact=seal_json(dek, pk, "contact", contact) if named else None,
                    receipt_hash=None,
                    registered_by=registrar,
                    created_at=created,
                    updated_at=created,
                    **_optional_fields(day),
                )
                run.sink.add(report)
                run.audit.add(
                    created, registrar, "intake.report.file", report, c.node.pk, {"channel": channel, "files": 0}
                )
                _triage(run, c, report, staff_user)
                if channel == Channel.ONLINE and rng.random() < 0.3:
                    _thread(run, c, report, staff_user, created, dek)


def _triage(run: Run, c: County, report: Report, handler: Any) -> None:
    """The report's events up to its state, by the team's handler, each with its audit row.

    No random draws (the county's sequence stays as it was): the delays vary with the filing
    minute, already random. No reply message is written, so ``message`` stays empty."""
    created = report.created_at
    actions = TRIAGE[report.state]
    if report.state == S.CLOSED and created.minute % 4 == 0:
        actions = ("accept", "close")
    when, state = created, S.RECEIVED
    for action in actions:
        days, hour = DELAYS[action]
        day = min(when.date() + timedelta(days=days + created.minute % 5), run.as_of)
        when = max(at(day, hour, created.minute), when + timedelta(minutes=30))
        to_state = REPORT_WORKFLOW.get(action).target
        event = new(
            ReportEvent,
            pk=run.ids.next(ReportEvent),
            report=report,
            action=action,
            from_state=state,
            to_state=to_state,
            actor=handler,
            created_at=when,
        )
        run.sink.add(event)
        after = {"state": to_state, "detail": "", "replied": False}
        run.audit.add(when, handler, f"intake.report.{action}", report, c.node.pk, after)
        state = to_state
    report.updated_at = when


def _thread(run: Run, c: County, report: Report, staff_user: Any, created: Any, dek: bytes) -> None:
    rng = c.rng
    for n in range(rng.randint(1, 3)):
        side = ReportMessage.Side.TEAM if n % 2 == 0 else ReportMessage.Side.REPORTER
        text = rng.choice(texts.TEAM_QUESTIONS if side == ReportMessage.Side.TEAM else texts.REPORTER_ANSWERS)
        pk = run.ids.next(ReportMessage)
        when = created + timedelta(days=n + 1)
        body = seal(dek, text.encode(), context=f"report:{report.pk}:message:{pk}")
        author = staff_user if side == ReportMessage.Side.TEAM else None
        run.sink.add(new(ReportMessage, pk=pk, report=report, side=side, body=body, author=author, created_at=when))
        run.audit.add(when, author, f"intake.message.{side}", report, c.node.pk, {"message": pk})
