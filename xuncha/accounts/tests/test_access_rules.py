"""The access rules without a database: every scoped model × every role × every code × where.

The page matrices (test_access_matrix.py and each domain's) send real requests through real
views, which needs rows. The rule underneath them — a role held over a subtree grants its codes
over the objects in that subtree and nowhere else — needs none: the user's grants are what
``_grants`` would have read (the same cache attribute), the objects are unsaved instances linked
along their ``SCOPE_PATH_FIELD`` to an org unit at a known path. 64 models × 12 roles × 48 codes ×
inside / outside / above: about 100,000 decisions, and each list's SQL filter, in three seconds
with no database access allowed (pytest-django refuses any query here).

Membership (a team member reaching the team's round) is a query by nature; the pairs it decides
are left to the page matrices and the need-to-know sweep, and skipped here by name.
"""

from __future__ import annotations

import re

import pytest
from django.apps import apps
from django.db import models

from xuncha.accounts.models import OrgUnit, User
from xuncha.accounts.permissions import ROLE_PERMS, Perm, Role, has_perm, membership_decides, scope_queryset
from xuncha.common.scoping import scope_path_of

# treebeard paths, four characters a level: a city, its two counties, a township of county A.
CITY, COUNTY_A, COUNTY_B, TOWN_A = "0001", "00010001", "00010002", "000100010001"

SCOPED = sorted(
    (m for m in apps.get_models() if getattr(m, "SCOPE_PATH_FIELD", None)),
    key=lambda m: m._meta.label,
)


def _placed(model: type[models.Model], path: str) -> models.Model:
    """An unsaved ``model`` whose SCOPE_PATH_FIELD leads to an org unit at ``path``."""
    obj = model()
    *links, last = model.SCOPE_PATH_FIELD.split("__")  # type: ignore[attr-defined]
    current: models.Model = obj
    for name in links:
        related = current._meta.get_field(name).related_model
        assert isinstance(related, type), f"{model._meta.label}: {name} is not a forward relation"
        child = related()
        setattr(current, name, child)
        current = child
    assert last == "path" and isinstance(current, OrgUnit), f"{model._meta.label} does not end at OrgUnit.path"
    current.path = path
    return obj


def _user(role: Role, path: str) -> User:
    user = User(pk=10_000, username=f"rule_{role}", is_active=True)
    # What ``_grants`` caches on the user after reading the role assignments.
    user._xuncha_grants = [(role.value, path)]  # type: ignore[attr-defined]
    user._xuncha_member = {}  # type: ignore[attr-defined]
    return user


def test_every_scoped_model_is_placed_where_its_path_says():
    """The fixture itself: a placed object's scope path is the one asked for, for all 60-odd models."""
    assert len(SCOPED) >= 50
    for model in SCOPED:
        assert scope_path_of(_placed(model, TOWN_A)) == TOWN_A, model._meta.label


@pytest.mark.parametrize("model", SCOPED, ids=lambda m: m._meta.label)
def test_a_role_over_a_county_reaches_exactly_that_county(model: type[models.Model]):
    inside = _placed(model, TOWN_A)
    outside = _placed(model, COUNTY_B)
    above = _placed(model, CITY)
    decided = 0
    for role in Role:
        user = _user(role, COUNTY_A)
        for code in Perm:
            if membership_decides(model, code):
                continue
            granted = code in ROLE_PERMS[role]
            assert has_perm(user, code, inside) is granted, f"{role} {code} inside {model._meta.label}"
            assert has_perm(user, code, outside) is False, f"{role} {code} reaches county B's {model._meta.label}"
            assert has_perm(user, code, above) is False, f"{role} {code} reaches the city's {model._meta.label}"
            decided += 3
    assert decided > 0


@pytest.mark.parametrize("role", list(Role))
def test_no_grant_no_access_and_a_revoked_user_has_none(role: Role):
    nobody = _user(role, COUNTY_A)
    nobody._xuncha_grants = []  # type: ignore[attr-defined]
    inactive = _user(role, COUNTY_A)
    inactive.is_active = False
    for model in SCOPED:
        obj = _placed(model, TOWN_A)
        for code in ROLE_PERMS[role]:
            if membership_decides(model, code):
                continue
            assert not has_perm(nobody, code, obj)
            assert not has_perm(inactive, code, obj)


def _paths_in(sql: str) -> set[str]:
    return set(re.findall(r"\b(?:\d{4})+\b", sql))


@pytest.mark.parametrize("model", SCOPED, ids=lambda m: m._meta.label)
def test_lists_are_narrowed_to_the_granted_subtree_in_sql(model: type[models.Model]):
    """scope_queryset compiles to one prefix filter on the granted path, or to nothing at all
    without the code (compiled, never run)."""
    for role in Role:
        user = _user(role, COUNTY_A)
        for code in Perm:
            if membership_decides(model, code):
                continue
            qs = scope_queryset(user, code, model._default_manager.all())
            if code in ROLE_PERMS[role]:
                assert _paths_in(str(qs.query)) == {COUNTY_A}, (role, code, str(qs.query))
            else:
                assert qs.query.is_empty(), (role, code)
