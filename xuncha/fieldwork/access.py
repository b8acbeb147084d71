"""Team members reach their own team's field records, papers and notices through membership."""

from django.db.models import Exists, OuterRef, Q

from xuncha.accounts.permissions import register_membership
from xuncha.fieldwork.models import FieldRecord, FixNotice, PaperEvidence, WorkingPaper
from xuncha.plans.models import TeamMember


def _via(team_lookup: str):
    def q(user) -> Q:
        if not user.person_id:
            return Q(pk__in=[])
        return Q(Exists(TeamMember.objects.filter(person_id=user.person_id, team=OuterRef(team_lookup))))

    return q


register_membership(FieldRecord, _via("team"))
register_membership(WorkingPaper, _via("team"))
register_membership(PaperEvidence, _via("paper__team"))
register_membership(FixNotice, _via("paper__team"))
