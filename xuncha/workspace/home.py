"""What "我的工作" shows each user: their roles, the figures of their scope, recent activity.

The to-do list (common/todo.py) gathers each app's work items for the user's roles. A domain adds
its own panel's data with ``home_part`` (e.g. plans: the user's teams), so the kernel imports none.
"""

from collections.abc import Callable
from typing import Any

from django.db.models import Count

from xuncha.accounts.models import OrgUnit, Person, RoleAssignment, UnitType, User
from xuncha.accounts.permissions import Perm, has_perm, scope_queryset
from xuncha.common.todo import todo_items
from xuncha.notify.models import Notification
from xuncha.workspace.audit_log import audit_entry_list

HomePart = Callable[[Any], dict[str, Any]]
_PARTS: list[HomePart] = []


def home_part(fn: HomePart) -> HomePart:
    """Register ``fn(user) -> {context key: value}`` for the home page (a domain's panel)."""
    if fn not in _PARTS:
        _PARTS.append(fn)
    return fn


def home_context(user: Any) -> dict[str, Any]:
    assignments = (
        RoleAssignment.objects.filter(user=user, revoked_at__isnull=True)
        .select_related("scope")
        .order_by("role", "scope__path")
    )
    unread = Notification.objects.filter(user=user, read_at__isnull=True).order_by("-created_at", "-id")[:5]
    ctx: dict[str, Any] = {"assignments": assignments, "todo": todo_items(user), "unread": unread}
    if has_perm(user, Perm.STATS_VIEW):
        units = scope_queryset(user, Perm.STATS_VIEW, OrgUnit.objects.filter(is_active=True))
        by_type = dict(units.values_list("unit_type").annotate(n=Count("id")).order_by())
        ctx["stats"] = {
            "units": sum(by_type.values()),
            "by_type": [(label, by_type.get(value, 0)) for value, label in UnitType.choices if by_type.get(value)],
            "people": scope_queryset(user, Perm.STATS_VIEW, Person.objects.filter(is_active=True)).count(),
            "accounts": scope_queryset(user, Perm.STATS_VIEW, User.objects.filter(is_active=True)).count(),
        }
    if has_perm(user, Perm.AUDIT_VIEW):
        ctx["recent_audit"] = audit_entry_list(user=user)[:8]
    for part in _PARTS:
        ctx.update(part(user))
    ctx["can_manage_org"] = has_perm(user, Perm.ORG_MANAGE)
    ctx["can_manage_people"] = has_perm(user, Perm.PERSON_MANAGE)
    ctx["can_manage_users"] = has_perm(user, Perm.USER_MANAGE)
    return ctx
