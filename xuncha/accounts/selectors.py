"""Reads for the accounts app. Each takes the acting user and returns only what they may see."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, Q, QuerySet

from xuncha.accounts.models import OrgUnit, Person, Post, Relationship, RoleAssignment, User
from xuncha.accounts.models.org import JURISDICTION_TYPES, UnitType
from xuncha.accounts.permissions import Perm, perm_paths, scope_queryset
from xuncha.common.actors import Principal


def unit_roots(*, user: Principal, code: Perm = Perm.ORG_VIEW) -> QuerySet[OrgUnit]:
    """The top units of the user's visible subtrees (where the tree page starts)."""
    return OrgUnit.objects.filter(path__in=perm_paths(user, code)).order_by("path")


def unit_children(*, user: Principal, parent: OrgUnit, include_inactive: bool = True) -> QuerySet[OrgUnit]:
    qs = scope_queryset(user, Perm.ORG_VIEW, OrgUnit.objects.get_children(parent))
    if not include_inactive:
        qs = qs.filter(is_active=True)
    return qs.select_related("sector_dept").order_by("path")


def unit_visible_ancestors(*, user: Principal, unit: OrgUnit) -> list[OrgUnit]:
    """Ancestors the user may open (for breadcrumbs); those above their scope are left out."""
    roots = perm_paths(user, Perm.ORG_VIEW)
    return [a for a in OrgUnit.objects.get_ancestors(unit) if any(a.path.startswith(r) for r in roots)]


def unit_search(*, user: Principal, q: str = "", unit_type: str = "", active: str = "") -> QuerySet[OrgUnit]:
    qs = scope_queryset(user, Perm.ORG_VIEW, OrgUnit.objects.all())
    if q:
        qs = qs.filter(Q(name__contains=q) | Q(party_org_name__contains=q))
    if unit_type:
        qs = qs.filter(unit_type=unit_type)
    if active in ("1", "0"):
        qs = qs.filter(is_active=active == "1")
    return qs.select_related("sector_dept").order_by("path")


def unit_choices(
    *, user: Principal, code: Perm, parents_only: bool = False, active_only: bool = True
) -> QuerySet[OrgUnit]:
    """Units offered in pickers: within the user's scope for ``code``."""
    qs = scope_queryset(user, code, OrgUnit.objects.all())
    if active_only:
        qs = qs.filter(is_active=True)
    if parents_only:
        qs = qs.exclude(unit_type=UnitType.VILLAGE)
    return qs.order_by("path")


def sector_dept_choices(*, user: Principal) -> QuerySet[OrgUnit]:
    return unit_choices(user=user, code=Perm.ORG_VIEW).filter(unit_type=UnitType.DEPARTMENT)


def unit_jurisdiction(unit: OrgUnit) -> OrgUnit | None:
    """The nearest jurisdiction (county, city, province) at or above ``unit``."""
    if unit.unit_type in JURISDICTION_TYPES:
        return unit
    return OrgUnit.objects.get_ancestors(unit).filter(unit_type__in=JURISDICTION_TYPES).last()


def unit_current_posts(*, unit: OrgUnit) -> QuerySet[Post]:
    return (
        Post.objects.filter(unit=unit, end_date__isnull=True)
        .select_related("person")
        .order_by("-is_main_leader", "-is_leadership_member", "start_date", "id")
    )


def person_list(*, user: Principal) -> QuerySet[Person]:
    """The people in scope (the list page narrows it with accounts.filters.PersonFilter)."""
    qs = scope_queryset(user, Perm.PERSON_VIEW, Person.objects.all())
    current = (
        Post.objects.filter(end_date__isnull=True).select_related("unit").order_by("-is_main_leader", "-start_date")
    )
    return (
        qs.select_related("unit")
        .prefetch_related(Prefetch("posts", queryset=current, to_attr="current_posts"))
        .order_by("unit__path", "name", "id")
    )


def person_detail(*, person: Person) -> dict[str, Any]:
    relations = Relationship.objects.filter(Q(person=person) | Q(relative=person)).select_related(
        "person__unit", "relative__unit"
    )
    return {
        "posts": person.posts.select_related("unit").order_by("end_date", "-start_date"),
        "relations": relations.order_by("kind", "id"),
    }


def user_list(*, user: Principal) -> QuerySet[User]:
    """The accounts in scope (the list page narrows it with accounts.filters.UserFilter)."""
    qs = scope_queryset(user, Perm.USER_VIEW, User.objects.all())
    active_roles = RoleAssignment.objects.filter(revoked_at__isnull=True).select_related("scope").order_by("role")
    return (
        qs.select_related("unit")
        .prefetch_related(Prefetch("role_assignments", queryset=active_roles, to_attr="active_roles"))
        .order_by("unit__path", "username")
    )


def user_assignments(*, target: User) -> QuerySet[RoleAssignment]:
    return target.role_assignments.select_related("scope", "granted_by", "revoked_by").order_by(
        "revoked_at", "role", "id"
    )


def unit_counts(*, unit: OrgUnit) -> dict[str, int]:
    """Figures shown on a unit page (children, people, accounts)."""
    return {
        "children": unit.numchild,
        "people": Person.objects.filter(unit=unit, is_active=True).count(),
        "descendants_people": Person.objects.filter(unit__path__startswith=unit.path, is_active=True).count(),
    }


__all__ = [
    "person_detail",
    "person_list",
    "sector_dept_choices",
    "unit_children",
    "unit_choices",
    "unit_counts",
    "unit_current_posts",
    "unit_jurisdiction",
    "unit_roots",
    "unit_search",
    "unit_visible_ancestors",
    "user_assignments",
    "user_list",
]
