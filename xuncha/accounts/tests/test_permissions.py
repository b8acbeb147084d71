"""The access module on its own: paths, scoping as SQL, fetch-and-authorise."""

import pytest
from django.http import Http404

from xuncha.accounts.models import OrgUnit, Person
from xuncha.accounts.permissions import (
    ROLE_PERMS,
    Perm,
    Role,
    access_person,
    access_unit,
    has_perm,
    perm_paths,
    scope_queryset,
)
from xuncha.accounts.tests.factories import make_user


def test_every_role_is_declared():
    assert set(ROLE_PERMS) == set(Role)


def test_upper_office_sees_statistics_only():
    assert ROLE_PERMS[Role.UPPER_OFFICE] == {Perm.STATS_VIEW}


def test_nested_grants_collapse_to_the_outermost_path(world):
    user = make_user(world.a["dept"], Role.OFFICE_STAFF, scope=world.a["county"])
    from xuncha.accounts import services
    from xuncha.common.actors import SYSTEM

    services.role_grant(actor=SYSTEM, user=user, role=Role.UNIT_LEADER, scope=world.a["town"])
    user = type(user).objects.get(pk=user.pk)
    assert perm_paths(user, Perm.ORG_VIEW) == [world.a["county"].path]


def test_scope_is_a_prefix_filter_in_sql_not_an_id_list(world):
    user = make_user(world.a["dept"], Role.OFFICE_STAFF, scope=world.a["county"])
    qs = scope_queryset(user, Perm.PERSON_VIEW, Person.objects.all())
    sql = str(qs.query).upper()
    assert "LIKE" in sql and " IN (" not in sql
    assert set(qs) == {world.a["person"]}


def test_no_grant_means_empty_queryset_and_404(world):
    user = make_user(world.a["dept"])  # no role at all
    assert not scope_queryset(user, Perm.ORG_VIEW, OrgUnit.objects.all()).exists()
    with pytest.raises(Http404):
        access_unit(user, world.a["county"].pk)


def test_access_answers_404_for_missing_forbidden_and_malformed(world):
    user = make_user(world.a["dept"], Role.UNIT_LEADER, scope=world.a["town"])
    assert access_person(user, world.a["person"].pk) == world.a["person"]
    for pk in (world.b["person"].pk, 999_999, "abc", None):
        with pytest.raises(Http404):
            access_person(user, pk)


def test_inactive_scope_grants_nothing(world):
    from xuncha.accounts import services
    from xuncha.common.actors import SYSTEM

    user = make_user(world.a["village"], Role.UNIT_LIAISON, scope=world.a["village"])
    assert has_perm(user, Perm.ORG_VIEW, world.a["village"])
    services.unit_set_active(actor=SYSTEM, unit=world.a["village"], active=False, reason="撤并")
    user = type(user).objects.get(pk=user.pk)
    assert not has_perm(user, Perm.ORG_VIEW)


def test_anonymous_has_nothing(world):
    from django.contrib.auth.models import AnonymousUser

    assert not has_perm(AnonymousUser(), Perm.ORG_VIEW)
    assert not scope_queryset(AnonymousUser(), Perm.ORG_VIEW, OrgUnit.objects.all()).exists()
