"""Test data for plans, built through the services."""

from __future__ import annotations

from datetime import date

from xuncha.accounts.tests.factories import make_person
from xuncha.common.actors import SYSTEM
from xuncha.plans import services
from xuncha.plans.models import Round, TeamRole


def make_round(jurisdiction, year=2026, number=1, entry=date(2026, 9, 1), exit=date(2026, 10, 31), **kw) -> Round:
    kw.setdefault("name", f"{jurisdiction.name}{year}年第{number}轮巡察")
    return services.round_create(
        actor=SYSTEM,
        jurisdiction=jurisdiction,
        year=year,
        number=number,
        entry_date=entry,
        exit_date=exit,
        **kw,
    )


def make_staffed_team(rnd, target_units, home_unit, size=3):
    """A team of ``size`` fresh people (no conflicts) covering ``target_units``."""
    team = services.team_create(actor=SYSTEM, rnd=rnd, phone="0000-1234567")
    for i in range(size):
        person = make_person(home_unit, f"组员{rnd.pk}-{team.number}-{i}")
        services.team_member_add(
            actor=SYSTEM, team=team, person=person, role=TeamRole.LEADER if i == 0 else TeamRole.MEMBER
        )
    for unit in target_units:
        target = rnd.targets.filter(unit=unit).first() or services.round_target_add(actor=SYSTEM, rnd=rnd, unit=unit)
        services.round_target_update(actor=SYSTEM, target=target, team=team)
    return team
