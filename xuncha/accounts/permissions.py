"""THE access module: the only door to protected objects.

* ``Perm`` — permission codes. ``Role`` — roles, each declared in code as a set of codes.
* Access comes from role assignments over an org subtree: a role held over unit U applies to U
  and everything under it (a prefix of the materialized ``path``).
* ``has_perm(user, code, obj)`` answers yes/no; ``scope_queryset(user, code, qs)`` narrows a
  queryset with a database filter on the org path (never a Python list of ids);
  ``access_<entity>(user, pk, code)`` fetches and authorises in one step and raises ``Http404``
  for both "missing" and "forbidden", so ids outside one's scope reveal nothing.

Every model that can be scoped names the lookup to its org path in ``SCOPE_PATH_FIELD``.
Team membership (巡察组成员) arrives with the rounds issue and will add membership filters here.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from functools import reduce
from operator import or_
from typing import TYPE_CHECKING, Any, TypeVar

from django.db import models
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from xuncha.accounts.models import OrgUnit, Person, RoleAssignment, User

M = TypeVar("M", bound=models.Model)


class Perm(StrEnum):
    ORG_VIEW = "org.view"
    ORG_MANAGE = "org.manage"
    PERSON_VIEW = "person.view"
    PERSON_MANAGE = "person.manage"
    USER_VIEW = "user.view"
    USER_MANAGE = "user.manage"
    ROLE_ASSIGN = "role.assign"
    AUDIT_VIEW = "audit.view"
    STATS_VIEW = "stats.view"
    ADMIN_SITE = "admin.site"
    ROUND_VIEW = "round.view"
    ROUND_MANAGE = "round.manage"
    TEAM_MANAGE = "team.manage"
    RECUSAL_OVERRIDE = "recusal.override"
    POOL_VIEW = "pool.view"
    POOL_MANAGE = "pool.manage"
    FIELDWORK_VIEW = "fieldwork.view"
    FIELDWORK_EDIT = "fieldwork.edit"
    FIX_VIEW = "fix.view"
    FIX_RESPOND = "fix.respond"
    FIX_REVIEW = "fix.review"
    CALENDAR_MANAGE = "calendar.manage"


PERM_LABELS: dict[Perm, Any] = {
    Perm.ORG_VIEW: _("查看组织机构"),
    Perm.ORG_MANAGE: _("维护组织机构"),
    Perm.PERSON_VIEW: _("查看人员信息"),
    Perm.PERSON_MANAGE: _("维护人员信息"),
    Perm.USER_VIEW: _("查看用户账户"),
    Perm.USER_MANAGE: _("管理用户账户"),
    Perm.ROLE_ASSIGN: _("分配角色权限"),
    Perm.AUDIT_VIEW: _("查阅审计日志"),
    Perm.STATS_VIEW: _("查看统计数据"),
    Perm.ADMIN_SITE: _("使用系统后台"),
    Perm.ROUND_VIEW: _("查看巡察轮次"),
    Perm.ROUND_MANAGE: _("安排巡察轮次"),
    Perm.TEAM_MANAGE: _("组建巡察组"),
    Perm.RECUSAL_OVERRIDE: _("批准不予回避"),
    Perm.POOL_VIEW: _("查看巡察人才库"),
    Perm.POOL_MANAGE: _("维护巡察人才库"),
    Perm.FIELDWORK_VIEW: _("查阅谈话记录与问题底稿"),
    Perm.FIELDWORK_EDIT: _("记录现场工作、撰写底稿"),
    Perm.FIX_VIEW: _("查看立行立改通知"),
    Perm.FIX_RESPOND: _("反馈立行立改情况"),
    Perm.FIX_REVIEW: _("验收立行立改"),
    Perm.CALENDAR_MANAGE: _("维护工作日历与期限规则"),
}


class Role(models.TextChoices):
    SYSADMIN = "sysadmin", _("系统管理员")
    OFFICE_HEAD = "office_head", _("巡察办主任")
    OFFICE_STAFF = "office_staff", _("巡察办工作人员")
    LEADING_GROUP = "leading_group", _("巡察工作领导小组成员")
    TEAM_MEMBER = "team_member", _("巡察组成员")
    UNIT_LEADER = "unit_leader", _("被巡察单位负责人")
    UNIT_LIAISON = "unit_liaison", _("被巡察单位联络员")
    DISCIPLINE_RECEIVER = "discipline_receiver", _("纪委监委承办人")
    ORGANISATION_RECEIVER = "organisation_receiver", _("组织部承办人")
    SECTOR_RECEIVER = "sector_receiver", _("行业主管部门承办人")
    SUPERVISING_LEADER = "supervising_leader", _("分管(联系)县领导")
    UPPER_OFFICE = "upper_office", _("上级巡察办")


_OFFICE = frozenset(
    {
        Perm.ORG_VIEW,
        Perm.ORG_MANAGE,
        Perm.PERSON_VIEW,
        Perm.PERSON_MANAGE,
        Perm.USER_VIEW,
        Perm.USER_MANAGE,
        Perm.ROLE_ASSIGN,
        Perm.STATS_VIEW,
        Perm.ROUND_VIEW,
        Perm.ROUND_MANAGE,
        Perm.TEAM_MANAGE,
        Perm.POOL_VIEW,
        Perm.POOL_MANAGE,
        Perm.FIELDWORK_VIEW,
        Perm.FIX_VIEW,
        Perm.FIX_REVIEW,
    }
)

# Codes only team membership gives: nobody writes a team's papers by holding a role elsewhere.
MEMBERSHIP_ONLY = frozenset({Perm.FIELDWORK_EDIT})

ROLE_PERMS: dict[Role, frozenset[Perm]] = {
    Role.SYSADMIN: frozenset(Perm) - MEMBERSHIP_ONLY,
    Role.OFFICE_HEAD: _OFFICE | {Perm.AUDIT_VIEW, Perm.RECUSAL_OVERRIDE, Perm.CALENDAR_MANAGE},
    Role.OFFICE_STAFF: _OFFICE,
    Role.LEADING_GROUP: frozenset({Perm.ORG_VIEW, Perm.PERSON_VIEW, Perm.STATS_VIEW, Perm.ROUND_VIEW}),
    # Team members hold these only over their own team's round and units, through membership
    # (see register_membership below), never through a role assignment.
    Role.TEAM_MEMBER: frozenset({Perm.ROUND_VIEW, Perm.FIELDWORK_VIEW, Perm.FIELDWORK_EDIT, Perm.FIX_VIEW}),
    # An inspected unit sees the notices addressed to it, never the fieldwork behind them.
    Role.UNIT_LEADER: frozenset({Perm.ORG_VIEW, Perm.PERSON_VIEW, Perm.FIX_VIEW, Perm.FIX_RESPOND}),
    Role.UNIT_LIAISON: frozenset({Perm.ORG_VIEW, Perm.PERSON_VIEW, Perm.FIX_VIEW, Perm.FIX_RESPOND}),
    Role.DISCIPLINE_RECEIVER: frozenset({Perm.ORG_VIEW}),
    Role.ORGANISATION_RECEIVER: frozenset({Perm.ORG_VIEW, Perm.PERSON_VIEW}),
    Role.SECTOR_RECEIVER: frozenset({Perm.ORG_VIEW}),
    Role.SUPERVISING_LEADER: frozenset({Perm.ORG_VIEW, Perm.STATS_VIEW}),
    # 上下联动: statistics of lower levels, never their detail.
    Role.UPPER_OFFICE: frozenset({Perm.STATS_VIEW}),
}

# Roles that come from membership and cannot be granted on the role-assignment page.
MEMBERSHIP_ROLES = frozenset({Role.TEAM_MEMBER})

# Which roles a holder of a role may grant (within their own subtree). Nobody grants a role
# that carries more power than their own.
_GRANTABLE_BY_OFFICE = frozenset(Role) - MEMBERSHIP_ROLES - {Role.SYSADMIN, Role.OFFICE_HEAD}
GRANTABLE_BY: dict[Role, frozenset[Role]] = {
    Role.SYSADMIN: frozenset(Role) - MEMBERSHIP_ROLES,
    Role.OFFICE_HEAD: _GRANTABLE_BY_OFFICE | {Role.OFFICE_HEAD},
    Role.OFFICE_STAFF: _GRANTABLE_BY_OFFICE,
}


# --- membership ---------------------------------------------------------------------------
# Some access comes from belonging to something (a team member sees the team's round and units)
# rather than from a role over a subtree. Apps register, per model, how a user reaches its rows;
# scope_queryset ORs that condition (an EXISTS subquery, still one SQL filter) with the paths.

_MEMBERSHIP_Q: dict[type[models.Model], Callable[[Any], Q]] = {}
_MEMBERSHIP_ANY: list[Callable[[Any], bool]] = []


def register_membership(model: type[models.Model], q_for_user: Callable[[Any], Q]) -> None:
    _MEMBERSHIP_Q[model] = q_for_user


def register_membership_check(has_any: Callable[[Any], bool]) -> None:
    """``has_any(user)``: does the user belong to anything that grants membership codes?"""
    _MEMBERSHIP_ANY.append(has_any)


def _member_codes() -> frozenset[Perm]:
    return ROLE_PERMS[Role.TEAM_MEMBER]


def _membership_q(user: Any, code: Perm, model: type[models.Model]) -> Q | None:
    if code not in _member_codes() or not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    builder = _MEMBERSHIP_Q.get(model)
    return builder(user) if builder is not None else None


def _has_any_membership(user: Any) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    cached = getattr(user, "_xuncha_member", None)
    if cached is None:
        cached = any(check(user) for check in _MEMBERSHIP_ANY)
        user._xuncha_member = cached
    return cached


# --- grants -------------------------------------------------------------------------------


def _grants(user: Any) -> list[tuple[str, str]]:
    """(role, scope path) of the user's active assignments; cached on the user object."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    cached = getattr(user, "_xuncha_grants", None)
    if cached is None:
        from xuncha.accounts.models import RoleAssignment

        cached = list(
            RoleAssignment.objects.filter(user_id=user.pk, revoked_at__isnull=True, scope__is_active=True).values_list(
                "role", "scope__path"
            )
        )
        user._xuncha_grants = cached
    return cached


def forget_grants(user: Any) -> None:
    """Drop the cached grants (after a grant, revoke or team change in the same request)."""
    for attr in ("_xuncha_grants", "_xuncha_member"):
        if hasattr(user, attr):
            delattr(user, attr)


def user_roles(user: Any) -> set[Role]:
    return {Role(role) for role, _path in _grants(user)}


def perm_paths(user: Any, code: Perm) -> list[str]:
    """The minimal set of path prefixes over which ``user`` holds ``code``."""
    paths = sorted({path for role, path in _grants(user) if code in ROLE_PERMS[Role(role)]})
    minimal: list[str] = []
    for path in paths:  # sorted, so an ancestor comes before its descendants
        if not any(path.startswith(kept) for kept in minimal):
            minimal.append(path)
    return minimal


def scope_path_of(obj: models.Model) -> str:
    """Follow the model's SCOPE_PATH_FIELD (e.g. ``unit__path``) to the org path."""
    value: Any = obj
    # Read through the instance: request.user is a lazy proxy whose type() is not the model.
    for part in obj.SCOPE_PATH_FIELD.split("__"):  # type: ignore[attr-defined]
        value = getattr(value, part, None)
        if value is None:
            return ""
    return str(value)


def scope_unit_of(obj: models.Model) -> Any:
    """The org unit an object belongs to (the unit itself for a unit), or None."""
    field = obj.SCOPE_PATH_FIELD  # type: ignore[attr-defined]
    if "__" not in field:
        return obj
    value: Any = obj
    for part in field.split("__")[:-1]:
        value = getattr(value, part, None)
        if value is None:
            return None
    return value


def has_perm(user: Any, code: Perm, obj: models.Model | None = None) -> bool:
    """Does ``user`` hold ``code`` — anywhere, or over ``obj`` when given?"""
    paths = perm_paths(user, code)
    if obj is None:
        return bool(paths) or (code in _member_codes() and _has_any_membership(user))
    target = scope_path_of(obj)
    if target and any(target.startswith(p) for p in paths):
        return True
    membership = _membership_q(user, code, type(obj))
    return membership is not None and type(obj)._default_manager.filter(membership, pk=obj.pk).exists()


def has_perm_over_path(user: Any, code: Perm, path: str) -> bool:
    return any(path.startswith(p) for p in perm_paths(user, code))


def scope_queryset(user: Any, code: Perm, qs: QuerySet[M]) -> QuerySet[M]:
    """Narrow ``qs`` to the rows the user may see under ``code``: a prefix filter in SQL."""
    field = qs.model.SCOPE_PATH_FIELD  # type: ignore[attr-defined]
    conditions = [Q(**{f"{field}__startswith": p}) for p in perm_paths(user, code)]
    membership = _membership_q(user, code, qs.model)
    if membership is not None:
        conditions.append(membership)
    if not conditions:
        return qs.none()
    return qs.filter(reduce(or_, conditions))


def grantable_roles(user: Any) -> set[Role]:
    roles: set[Role] = set()
    for role in user_roles(user):
        roles |= GRANTABLE_BY.get(role, frozenset())
    return roles


def can_grant(user: Any, role: Role, scope: OrgUnit) -> bool:
    """May ``user`` grant ``role`` over ``scope``? Needs a granting role that covers the scope."""
    for held, path in _grants(user):
        if role in GRANTABLE_BY.get(Role(held), frozenset()) and scope.path.startswith(path):
            return True
    return False


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
