"""A team reaches the problems, reports and feedback of its own round work; nobody else's.

A county leader copied on a feedback (抄告, CopyKind.SUPERVISING_LEADER naming their person) reads
that feedback and its problem list, as the unit does: a copy is a membership, not a county grant."""

from django.db.models import Exists, OuterRef, Q

from xuncha.accounts.permissions import Perm, register_membership, register_membership_check
from xuncha.findings.models import CopyKind, Feedback, FeedbackCopy, InspectionReport, Problem, ReportVersion
from xuncha.plans.access import via_team

register_membership(Problem, via_team("team"))
register_membership(InspectionReport, via_team("team"))
register_membership(ReportVersion, via_team("report__team"))
register_membership(Feedback, via_team("team"))

COPY_CODES = frozenset({Perm.FEEDBACK_VIEW})


def _copies(user):
    return FeedbackCopy.objects.filter(kind=CopyKind.SUPERVISING_LEADER, person_id=user.person_id)


def _copied_to(user) -> Q:
    if not user.person_id:
        return Q(pk__in=[])
    return Q(Exists(_copies(user).filter(feedback=OuterRef("pk"))))


register_membership(Feedback, _copied_to, codes=COPY_CODES)
register_membership_check(lambda user: bool(user.person_id) and _copies(user).exists(), codes=COPY_CODES)
