"""A team reaches the problems, reports and feedback of its own round work; nobody else's.

A county leader copied on a feedback (抄告, CopyKind.SUPERVISING_LEADER naming their person) reads
that feedback and its problem list, as the unit does: a copy is a membership, not a county grant."""

from typing import Any

from django.db.models import Exists, OuterRef, Q

from xuncha.accounts.permissions import Perm, access_scoped, register_membership, register_membership_check
from xuncha.findings.models import (
    CopyKind,
    Feedback,
    FeedbackCopy,
    FeedbackState,
    InspectionReport,
    Problem,
    ReportVersion,
)
from xuncha.plans.access import member_rows, via_team

register_membership(Problem, via_team("team"), rows=member_rows)
register_membership(InspectionReport, via_team("team"), rows=member_rows)
register_membership(ReportVersion, via_team("report__team"), rows=member_rows)
register_membership(Feedback, via_team("team"), rows=member_rows)

COPY_CODES = frozenset({Perm.FEEDBACK_VIEW})


def _copies(user):
    return FeedbackCopy.objects.filter(kind=CopyKind.SUPERVISING_LEADER, person_id=user.person_id)


def _copies_held(user):
    return _copies(user) if user.person_id else None


def _copied_to(user) -> Q:
    if not user.person_id:
        return Q(pk__in=[])
    return Q(Exists(_copies(user).filter(feedback=OuterRef("pk"))))


register_membership(Feedback, _copied_to, codes=COPY_CODES, rows=_copies_held)
register_membership_check(lambda user: bool(user.person_id) and _copies(user).exists(), codes=COPY_CODES)


# --- fetch-and-authorise (one query; 404 for both missing and forbidden) -----------------


def access_problem(user: Any, pk: Any, code: Perm = Perm.FINDING_VIEW) -> Problem:
    qs = Problem.objects.select_related("round__jurisdiction", "round__focus_list", "target__unit", "team")
    return access_scoped(user, code, qs, pk)


def access_draft(user: Any, pk: Any, code: Perm = Perm.FINDING_VIEW) -> InspectionReport:
    qs = InspectionReport.objects.select_related("round__jurisdiction", "target__unit", "team")
    return access_scoped(user, code, qs, pk)


def access_feedback(user: Any, pk: Any, code: Perm = Perm.FEEDBACK_VIEW, *, sent_only: bool = False) -> Feedback:
    """``sent_only``: the unit's own view, where a feedback exists only once it has been given."""
    qs = Feedback.objects.select_related("target__unit", "target__round__jurisdiction", "team", "main_leader")
    if sent_only:
        qs = qs.filter(state=FeedbackState.SENT)
    return access_scoped(user, code, qs, pk)
