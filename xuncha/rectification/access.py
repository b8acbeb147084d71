"""Who reaches rectification rows other than by a role over the unit.

A team follows the rectification of the units it inspected (membership, read only). A county
leader reaches the key problems the office assigned to them, and nothing else (领衔督办): the
item, its tasks, the progress and closure requests with their evidence, and the letters that
concern only those tasks. Not the plan, not the unit's other tasks, not the ledger."""

from typing import Any, TypeVar

from django.db import models
from django.db.models import Exists, OuterRef, Q

from xuncha.accounts.permissions import Perm, access_scoped, register_membership, register_membership_check
from xuncha.plans.access import member_rows, via_team
from xuncha.rectification.models import (
    Campaign,
    Disclosure,
    EscalationLetter,
    LeaderAssignment,
    PlanReport,
    RectificationPlan,
    ReturnVisit,
    Task,
    TaskUpdate,
)

register_membership(RectificationPlan, via_team("feedback__team"), rows=member_rows)
register_membership(Task, via_team("plan__feedback__team"), rows=member_rows)
register_membership(TaskUpdate, via_team("task__plan__feedback__team"), rows=member_rows)
# The team also reads what followed its feedback: letters, reports, disclosures, visits.
for _model in (EscalationLetter, PlanReport, Disclosure, ReturnVisit):
    register_membership(_model, via_team("plan__feedback__team"), rows=member_rows)

LEADER_CODES = frozenset({Perm.SUPERVISE_VIEW, Perm.SUPERVISE_COMMENT})


def _assigned_to(user) -> Q:
    return Q(leader_id=user.pk, revoked_at__isnull=True)


def _assignments(user):
    """The user's items (the kind of membership every leader registration below names)."""
    return LeaderAssignment.objects.filter(_assigned_to(user))


register_membership(LeaderAssignment, _assigned_to, codes=LEADER_CODES, rows=_assignments)
register_membership_check(lambda user: _assignments(user).exists(), codes=LEADER_CODES)

ITEM_CODES = frozenset({Perm.RECTIFY_VIEW})


def _assigned_problem(problem_lookup: str):
    """Rows whose problem (through ``problem_lookup``) is assigned to the user."""

    def q(user) -> Q:
        mine = _assignments(user).filter(problem=OuterRef(problem_lookup))
        return Q(Exists(mine))

    return q


def _letter_on_assigned_tasks(user) -> Q:
    """A letter every task of which is one of the user's items: a letter that also names tasks of
    other problems would show those to the leader, so it stays with the unit and the office."""
    assigned = _assignments(user).values("problem_id")
    tasks = Task.objects.filter(letters=OuterRef("pk"))
    return Q(Exists(tasks.filter(problem_id__in=assigned))) & ~Q(Exists(tasks.exclude(problem_id__in=assigned)))


register_membership(Task, _assigned_problem("problem"), codes=ITEM_CODES, rows=_assignments)
register_membership(TaskUpdate, _assigned_problem("task__problem"), codes=ITEM_CODES, rows=_assignments)
register_membership(EscalationLetter, _letter_on_assigned_tasks, codes=ITEM_CODES, rows=_assignments)


M = TypeVar("M", bound=models.Model)

# --- fetch-and-authorise (one query; 404 for both missing and forbidden) -----------------


def access_plan(user: Any, pk: Any, code: Perm = Perm.RECTIFY_VIEW) -> RectificationPlan:
    qs = RectificationPlan.objects.select_related(
        "feedback__target__unit", "feedback__target__round__jurisdiction", "feedback__team", "signed_by"
    )
    return access_scoped(user, code, qs, pk)


def access_task(user: Any, pk: Any, code: Perm = Perm.RECTIFY_VIEW) -> Task:
    qs = Task.objects.select_related(
        "plan__feedback__target__unit", "plan__feedback__target__round__jurisdiction", "problem", "leader"
    )
    return access_scoped(user, code, qs, pk)


def access_assignment(user: Any, pk: Any, code: Perm = Perm.SUPERVISE_VIEW) -> LeaderAssignment:
    qs = LeaderAssignment.objects.select_related(
        "problem__target__unit", "problem__target__round__jurisdiction", "leader"
    )
    return access_scoped(user, code, qs, pk)


def access_campaign(user: Any, pk: Any, code: Perm = Perm.CAMPAIGN_VIEW) -> Campaign:
    return access_scoped(user, code, Campaign.objects.select_related("sector_dept", "jurisdiction"), pk)


def access_plan_record(user: Any, model: type[M], pk: Any, code: Perm = Perm.RECTIFY_VIEW) -> M:
    """A row that belongs to one unit's plan (escalation letter, return visit, evaluation,
    accountability, rule, recovery, disclosure, report): scoped through the plan's unit."""
    qs = model._default_manager.select_related(  # type: ignore[attr-defined]
        "plan__feedback__target__unit", "plan__feedback__target__round__jurisdiction"
    )
    return access_scoped(user, code, qs, pk)
