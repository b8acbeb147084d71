"""How team membership reaches plan objects (registered with the access module at start-up).

A member of a team sees the team's round, the team itself and the targets it covers; never the
other teams of the round or their units ("a team sees only its round and units").
"""

from django.db.models import Exists, OuterRef, Q

from xuncha.accounts.permissions import register_membership, register_membership_check
from xuncha.plans.models import Announcement, Briefing, Round, RoundTarget, Team, TeamMember


def _member_rows(user):
    return TeamMember.objects.filter(person_id=user.person_id)


def _round_q(user) -> Q:
    if not user.person_id:
        return Q(pk__in=[])
    return Q(Exists(_member_rows(user).filter(team__round=OuterRef("pk"))))


def _team_q(user) -> Q:
    if not user.person_id:
        return Q(pk__in=[])
    return Q(Exists(_member_rows(user).filter(team=OuterRef("pk"))))


def _target_q(user) -> Q:
    if not user.person_id:
        return Q(pk__in=[])
    return Q(Exists(_member_rows(user).filter(team=OuterRef("team"))))


def _announcement_q(user) -> Q:
    if not user.person_id:
        return Q(pk__in=[])
    return Q(Exists(_member_rows(user).filter(team=OuterRef("target__team"))))


register_membership(Round, _round_q)
register_membership(Team, _team_q)
register_membership(RoundTarget, _target_q)
register_membership(Announcement, _announcement_q)
# Pre-entry briefings are for every team of the round.
register_membership(
    Briefing,
    lambda user: (
        Q(Exists(_member_rows(user).filter(team__round=OuterRef("round")))) if user.person_id else Q(pk__in=[])
    ),
)
register_membership_check(lambda user: bool(user.person_id) and _member_rows(user).exists())
