"""Fetch-and-authorise: ``access_<entity>(user, pk, code)`` in one query; ``Http404`` for both
"missing" and "forbidden", so ids outside one's scope reveal nothing."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

from django.db import models
from django.db.models import QuerySet
from django.http import Http404

from xuncha.accounts.permissions.codes import Perm
from xuncha.accounts.permissions.core import scope_queryset

if TYPE_CHECKING:
    from xuncha.accounts.models import OrgUnit, Person, RoleAssignment, User

M = TypeVar("M", bound=models.Model)


# --- fetch-and-authorise ------------------------------------------------------------------


def _access(user: Any, code: Perm, qs: QuerySet[M], pk: Any) -> M:
    try:
        return scope_queryset(user, code, qs).get(pk=pk)
    except (qs.model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def access_unit(user: User, pk: Any, code: Perm = Perm.ORG_VIEW) -> OrgUnit:
    from xuncha.accounts.models import OrgUnit

    return _access(user, code, OrgUnit.objects.select_related("sector_dept"), pk)


def access_person(user: User, pk: Any, code: Perm = Perm.PERSON_VIEW) -> Person:
    from xuncha.accounts.models import Person

    return _access(user, code, Person.objects.select_related("unit"), pk)


def access_user(user: User, pk: Any, code: Perm = Perm.USER_VIEW) -> User:
    from xuncha.accounts.models import User as UserModel

    return _access(user, code, UserModel.objects.select_related("unit", "person"), pk)


def access_role_assignment(user: User, pk: Any, code: Perm = Perm.ROLE_ASSIGN) -> RoleAssignment:
    from xuncha.accounts.models import RoleAssignment

    qs = RoleAssignment.objects.select_related("user", "scope")
    return _access(user, code, qs, pk)


# --- plans (rounds, teams, pool) ---------------------------------------------------------


def access_round(user: Any, pk: Any, code: Perm = Perm.ROUND_VIEW) -> Any:
    from xuncha.plans.models import Round

    return _access(user, code, Round.objects.select_related("jurisdiction"), pk)


def access_target(user: Any, pk: Any, code: Perm = Perm.ROUND_VIEW) -> Any:
    from xuncha.plans.models import RoundTarget

    return _access(user, code, RoundTarget.objects.select_related("round__jurisdiction", "unit", "team"), pk)


def access_team(user: Any, pk: Any, code: Perm = Perm.ROUND_VIEW) -> Any:
    from xuncha.plans.models import Team

    return _access(user, code, Team.objects.select_related("round__jurisdiction", "branch_secretary"), pk)


def access_member(user: Any, pk: Any, code: Perm = Perm.TEAM_MANAGE) -> Any:
    from xuncha.plans.models import TeamMember

    return _access(user, code, TeamMember.objects.select_related("team__round", "person"), pk)


def access_term(user: Any, pk: Any, code: Perm = Perm.ROUND_VIEW) -> Any:
    from xuncha.plans.models import TermPlan

    return _access(user, code, TermPlan.objects.select_related("jurisdiction"), pk)


def access_pool_entry(user: Any, pk: Any, code: Perm = Perm.POOL_VIEW) -> Any:
    from xuncha.plans.models import PoolEntry

    return _access(user, code, PoolEntry.objects.select_related("person__unit", "jurisdiction"), pk)


# --- fieldwork (records, papers, immediate-fix notices) ----------------------------------


def access_record(user: Any, pk: Any, code: Perm = Perm.FIELDWORK_VIEW) -> Any:
    from xuncha.fieldwork.models import FieldRecord

    return _access(user, code, FieldRecord.objects.select_related("team__round", "target__unit", "interviewee"), pk)


def access_paper(user: Any, pk: Any, code: Perm = Perm.FIELDWORK_VIEW) -> Any:
    from xuncha.fieldwork.models import WorkingPaper

    qs = WorkingPaper.objects.select_related(
        "team__round__jurisdiction", "target__unit", "finder", "writer", "signed_by"
    )
    return _access(user, code, qs, pk)


def access_fix(user: Any, pk: Any, code: Perm = Perm.FIX_VIEW) -> Any:
    from xuncha.fieldwork.models import FixNotice

    return _access(user, code, FixNotice.objects.select_related("paper__team__round", "unit"), pk)


# --- intake (reports from the public) -------------------------------------------------------


def access_report(user: Any, pk: Any, code: Perm = Perm.REPORT_VIEW) -> Any:
    from xuncha.intake.models import Report

    return _access(user, code, Report.objects.select_related("round__jurisdiction", "target__unit", "target__team"), pk)


def access_problem(user: Any, pk: Any, code: Perm = Perm.FINDING_VIEW) -> Any:
    from xuncha.findings.models import Problem

    qs = Problem.objects.select_related("round__jurisdiction", "round__focus_list", "target__unit", "team")
    return _access(user, code, qs, pk)


def access_draft(user: Any, pk: Any, code: Perm = Perm.FINDING_VIEW) -> Any:
    from xuncha.findings.models import InspectionReport

    qs = InspectionReport.objects.select_related("round__jurisdiction", "target__unit", "team")
    return _access(user, code, qs, pk)


def access_feedback(user: Any, pk: Any, code: Perm = Perm.FEEDBACK_VIEW, *, sent_only: bool = False) -> Any:
    """``sent_only``: the unit's own view, where a feedback exists only once it has been given."""
    from xuncha.findings.models import Feedback, FeedbackState

    qs = Feedback.objects.select_related("target__unit", "target__round__jurisdiction", "team", "main_leader")
    if sent_only:
        qs = qs.filter(state=FeedbackState.SENT)
    return _access(user, code, qs, pk)


def access_transfer(user: Any, pk: Any, code: Perm = Perm.TRANSFER_VIEW) -> Any:
    from xuncha.transfers.models import Transfer

    qs = Transfer.objects.select_related("round__jurisdiction", "receiver", "target__unit", "team", "letter")
    return _access(user, code, qs, pk)


def access_plan(user: Any, pk: Any, code: Perm = Perm.RECTIFY_VIEW) -> Any:
    from xuncha.rectification.models import RectificationPlan

    qs = RectificationPlan.objects.select_related(
        "feedback__target__unit", "feedback__target__round__jurisdiction", "feedback__team", "signed_by"
    )
    return _access(user, code, qs, pk)


def access_task(user: Any, pk: Any, code: Perm = Perm.RECTIFY_VIEW) -> Any:
    from xuncha.rectification.models import Task

    qs = Task.objects.select_related(
        "plan__feedback__target__unit", "plan__feedback__target__round__jurisdiction", "problem", "leader"
    )
    return _access(user, code, qs, pk)


def access_assignment(user: Any, pk: Any, code: Perm = Perm.SUPERVISE_VIEW) -> Any:
    from xuncha.rectification.models import LeaderAssignment

    qs = LeaderAssignment.objects.select_related(
        "problem__target__unit", "problem__target__round__jurisdiction", "leader"
    )
    return _access(user, code, qs, pk)


def access_campaign(user: Any, pk: Any, code: Perm = Perm.CAMPAIGN_VIEW) -> Any:
    from xuncha.rectification.models import Campaign

    return _access(user, code, Campaign.objects.select_related("sector_dept", "jurisdiction"), pk)


def access_plan_record(user: Any, model: type[models.Model], pk: Any, code: Perm = Perm.RECTIFY_VIEW) -> Any:
    """A row that belongs to one unit's plan (escalation letter, return visit, evaluation,
    accountability, rule, recovery, disclosure, report): scoped through the plan's unit."""
    qs = model._default_manager.select_related(  # type: ignore[attr-defined]
        "plan__feedback__target__unit", "plan__feedback__target__round__jurisdiction"
    )
    return _access(user, code, qs, pk)
