"""A team sees the reports about the units it covers; never another team's."""

from django.db.models import Exists, OuterRef, Q

from xuncha.accounts.permissions import register_membership
from xuncha.intake.models import Report, ReportAttachment, ReportMessage
from xuncha.plans.models import TeamMember


def _via(team_lookup: str):
    def q(user) -> Q:
        if not user.person_id:
            return Q(pk__in=[])
        return Q(Exists(TeamMember.objects.filter(person_id=user.person_id, team=OuterRef(team_lookup))))

    return q


register_membership(Report, _via("target__team"))
register_membership(ReportAttachment, _via("report__target__team"))
register_membership(ReportMessage, _via("report__target__team"))
