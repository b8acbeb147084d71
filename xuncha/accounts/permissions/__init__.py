"""THE access module: the only door to protected objects.

* ``codes``  — ``Perm`` (permission codes) and ``Role`` (roles as code-declared sets of codes).
* ``core``   — grants over org subtrees, membership registered by apps, ``has_perm``,
  ``scope_queryset`` (a database filter on the org path, never a Python list of ids), ``can_grant``.
* ``access`` — ``access_scoped(user, code, queryset, pk)``: fetch and authorise in one step; 404
  for both missing and forbidden. The kernel's own entities have their ``access_<entity>`` here;
  each domain declares its own in its ``access.py`` with ``access_scoped``, so the door stays one
  mechanism and the kernel never imports a domain.

Every model that can be scoped names the lookup to its org path in ``SCOPE_PATH_FIELD``.
Import from this package (``from xuncha.accounts.permissions import Perm, has_perm``), not from
its modules, so the split stays an internal matter.
"""

from xuncha.accounts.permissions.access import (
    access_person,
    access_role_assignment,
    access_scoped,
    access_unit,
    access_user,
)
from xuncha.accounts.permissions.codes import (
    ASSIGNMENT_ROLES,
    GRANTABLE_BY,
    MEMBERSHIP_ONLY,
    MEMBERSHIP_ROLES,
    PERM_LABELS,
    REPORT_READER_ROLES,
    ROLE_PERMS,
    SYSADMIN_PERMS,
    Perm,
    Role,
)
from xuncha.accounts.permissions.core import (
    can_grant,
    forget_grants,
    grantable_roles,
    has_perm,
    has_perm_over_path,
    membership_decides,
    perm_paths,
    register_membership,
    register_membership_check,
    require,
    scope_queryset,
    user_roles,
)
from xuncha.common.scoping import scope_path_of, scope_unit_of

__all__ = [
    "ASSIGNMENT_ROLES",
    "REPORT_READER_ROLES",
    "SYSADMIN_PERMS",
    "GRANTABLE_BY",
    "MEMBERSHIP_ONLY",
    "MEMBERSHIP_ROLES",
    "PERM_LABELS",
    "ROLE_PERMS",
    "Perm",
    "Role",
    "access_scoped",
    "access_person",
    "access_role_assignment",
    "access_unit",
    "access_user",
    "can_grant",
    "forget_grants",
    "grantable_roles",
    "has_perm",
    "has_perm_over_path",
    "membership_decides",
    "perm_paths",
    "register_membership",
    "register_membership_check",
    "require",
    "scope_path_of",
    "scope_queryset",
    "scope_unit_of",
    "user_roles",
]
