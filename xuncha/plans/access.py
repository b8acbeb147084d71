"""How team membership reaches plan objects (registered with the access module at start-up).

A member of a team sees the team's round, the team itself and the targets it covers; never the
other teams of the round or their units ("a team sees only its round and units").
"""

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from xuncha.accounts.permissions import register_membership, register_membership_check
from xuncha.plans.models import Announcement, Briefing, Round, RoundState, RoundTarget, Team, TeamMember


def active_membership() -> Q:
    """A team's authority lasts as long as its round (一次一授权): once the round is archived its
    members keep nothing of it, unless the office granted access again until a date."""
    return ~Q(team__round__state=RoundState.ARCHIVED) | Q(team__access_until__gte=timezone.localdate())


def _member_rows(user):
    return TeamMember.objects.filter(active_membership(), person_id=user.person_id)


def via_team(team_lookup: str):
    """Rows that reach a team through ``team_lookup`` (``"pk"`` for the team itself, ``"team"``,
    ``"paper__team"``…): visible to that team's members. Other apps register with it too."""

    def q(user) -> Q:
        if not user.person_id:
            return Q(pk__in=[])
        return Q(Exists(_member_rows(user).filter(team=OuterRef(team_lookup))))

    return q


def via_round(round_lookup: str):
    """Rows that belong to a round: visible to the members of every team of that round."""

    def q(user) -> Q:
        if not user.person_id:
            return Q(pk__in=[])
        return Q(Exists(_member_rows(user).filter(team__round=OuterRef(round_lookup))))

    return q


register_membership(Round, via_round("pk"))
register_membership(Team, via_team("pk"))
register_membership(RoundTarget, via_team("team"))
register_membership(Announcement, via_team("target__team"))
register_membership(Briefing, via_round("round"))  # pre-entry briefings are for every team of the round
register_membership_check(lambda user: bool(user.person_id) and _member_rows(user).exists())
