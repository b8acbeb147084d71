"""Fetch-and-authorise: ``access_<entity>(user, pk, code)`` in one query; ``Http404`` for both
"missing" and "forbidden", so ids outside one's scope reveal nothing."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar

from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.db.models import QuerySet
from django.http import Http404

from xuncha.accounts.permissions.codes import Perm
from xuncha.accounts.permissions.core import scope_queryset
from xuncha.common.actors import Principal

if TYPE_CHECKING:
    from xuncha.accounts.models import OrgUnit, Person, RoleAssignment, User

M = TypeVar("M", bound=models.Model)


# --- fetch-and-authorise ------------------------------------------------------------------


def access_scoped(user: Principal, code: Perm, qs: QuerySet[M], pk: object) -> M:
    """The one fetch-and-authorise primitive: the row ``pk`` of ``qs`` if ``user`` holds ``code``
    over it, else ``Http404``. Each domain's ``access.py`` builds its ``access_<entity>`` on it."""
    try:
        return scope_queryset(user, code, qs).get(pk=pk)
    except (ObjectDoesNotExist, ValueError, TypeError):  # the base of every Model.DoesNotExist
        raise Http404 from None


def access_unit(user: Principal, pk: object, code: Perm = Perm.ORG_VIEW) -> OrgUnit:
    from xuncha.accounts.models import OrgUnit

    return access_scoped(user, code, OrgUnit.objects.select_related("sector_dept"), pk)


def access_person(user: Principal, pk: object, code: Perm = Perm.PERSON_VIEW) -> Person:
    from xuncha.accounts.models import Person

    return access_scoped(user, code, Person.objects.select_related("unit"), pk)


def access_user(user: Principal, pk: object, code: Perm = Perm.USER_VIEW) -> User:
    from xuncha.accounts.models import User as UserModel

    return access_scoped(user, code, UserModel.objects.select_related("unit", "person"), pk)


def access_role_assignment(user: Principal, pk: object, code: Perm = Perm.ROLE_ASSIGN) -> RoleAssignment:
    from xuncha.accounts.models import RoleAssignment

    qs = RoleAssignment.objects.select_related("user", "scope")
    return access_scoped(user, code, qs, pk)
