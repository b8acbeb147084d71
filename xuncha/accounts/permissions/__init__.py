"""THE access module: the only door to protected objects.

* ``codes``  — ``Perm`` (permission codes) and ``Role`` (roles as code-declared sets of codes).
* ``core``   — grants over org subtrees, membership registered by apps, ``has_perm``,
  ``scope_queryset`` (a database filter on the org path, never a Python list of ids), ``can_grant``.
* ``access`` — ``access_<entity>(user, pk, code)``: fetch and authorise in one step; 404 for both
  missing and forbidden.

Every model that can be scoped names the lookup to its org path in ``SCOPE_PATH_FIELD``.
Import from this package (``from xuncha.accounts.permissions import Perm, has_perm``), not from
its modules, so the split stays an internal matter.
"""

from xuncha.accounts.permissions.access import (
    _access,
    access_assignment,
    access_campaign,
    access_draft,
    access_feedback,
    access_fix,
    access_member,
    access_paper,
    access_person,
    access_plan,
    access_plan_record,
    access_pool_entry,
    access_problem,
    access_record,
    access_report,
    access_role_assignment,
    access_round,
    access_target,
    access_task,
    access_team,
    access_term,
    access_transfer,
    access_unit,
    access_user,
)
from xuncha.accounts.permissions.codes import (
    GRANTABLE_BY,
    MEMBERSHIP_ONLY,
    MEMBERSHIP_ROLES,
    PERM_LABELS,
    ROLE_PERMS,
    Perm,
    Role,
)
from xuncha.accounts.permissions.core import (
    can_grant,
    forget_grants,
    grantable_roles,
    has_perm,
    has_perm_over_path,
    perm_paths,
    register_membership,
    register_membership_check,
    scope_path_of,
    scope_queryset,
    scope_unit_of,
    user_roles,
)

__all__ = [
    "GRANTABLE_BY",
    "MEMBERSHIP_ONLY",
    "MEMBERSHIP_ROLES",
    "PERM_LABELS",
    "ROLE_PERMS",
    "Perm",
    "Role",
    "_access",
    "access_fix",
    "access_member",
    "access_paper",
    "access_person",
    "access_plan",
    "access_plan_record",
    "access_campaign",
    "access_assignment",
    "access_pool_entry",
    "access_record",
    "access_report",
    "access_problem",
    "access_draft",
    "access_feedback",
    "access_role_assignment",
    "access_round",
    "access_target",
    "access_task",
    "access_team",
    "access_transfer",
    "access_term",
    "access_unit",
    "access_user",
    "can_grant",
    "forget_grants",
    "grantable_roles",
    "has_perm",
    "has_perm_over_path",
    "perm_paths",
    "register_membership",
    "register_membership_check",
    "scope_path_of",
    "scope_queryset",
    "scope_unit_of",
    "user_roles",
]
