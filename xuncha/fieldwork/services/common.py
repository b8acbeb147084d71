"""Checks shared by the fieldwork services."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from xuncha.common.actors import SYSTEM
from xuncha.common.exceptions import ServiceError
from xuncha.plans.models import RoundState, RoundTarget, Team, TeamMember

# Fieldwork happens while the team is on site; papers are finished during the reporting phase.
FIELDWORK_STATES = frozenset({RoundState.ON_SITE, RoundState.REPORTING})


def team_role(actor: Any, team: Team) -> str | None:
    """The actor's role in ``team`` (组长/副组长/联络员/组员), or None for non-members."""
    person_id = getattr(actor, "person_id", None)
    if not person_id:
        return None
    return TeamMember.objects.filter(team=team, person_id=person_id).values_list("role", flat=True).first()


def require_team_writer(actor: Any, team: Team) -> None:
    """Only the team's own members write its records and papers: not the office, not others."""
    if actor is not SYSTEM and team_role(actor, team) is None:
        raise PermissionDenied


def fresh_team(team: Team) -> Team:
    """Decide on the stored state of the team and its round, not on a copy the caller holds."""
    return Team.objects.select_related("round__jurisdiction").get(pk=team.pk)


def check_on_site(team: Team) -> None:
    if team.round.state not in FIELDWORK_STATES:
        raise ServiceError(_("“%(round)s”不在进驻或报告阶段，不能记录现场工作。") % {"round": team.round.name})


def check_target(team: Team, target: RoundTarget) -> None:
    if target.team_id != team.pk:
        raise ServiceError(_("%(unit)s不是本组的巡察对象。") % {"unit": target.unit.name})
