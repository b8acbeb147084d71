"""Who reaches rectification rows other than by a role over the unit.

A team follows the rectification of the units it inspected (membership, read only). A county
leader reaches the key problems the office assigned to them, and nothing else (领衔督办)."""

from django.db.models import Q

from xuncha.accounts.permissions import Perm, register_membership, register_membership_check
from xuncha.plans.access import via_team
from xuncha.rectification.models import (
    Disclosure,
    EscalationLetter,
    LeaderAssignment,
    PlanReport,
    RectificationPlan,
    ReturnVisit,
    Task,
    TaskUpdate,
)

register_membership(RectificationPlan, via_team("feedback__team"))
register_membership(Task, via_team("plan__feedback__team"))
register_membership(TaskUpdate, via_team("task__plan__feedback__team"))
# The team also reads what followed its feedback: letters, reports, disclosures, visits.
for _model in (EscalationLetter, PlanReport, Disclosure, ReturnVisit):
    register_membership(_model, via_team("plan__feedback__team"))

LEADER_CODES = frozenset({Perm.SUPERVISE_VIEW, Perm.SUPERVISE_COMMENT})


def _assigned_to(user) -> Q:
    return Q(leader_id=user.pk, revoked_at__isnull=True)


register_membership(LeaderAssignment, _assigned_to, codes=LEADER_CODES)
register_membership_check(lambda user: LeaderAssignment.objects.filter(_assigned_to(user)).exists(), codes=LEADER_CODES)
