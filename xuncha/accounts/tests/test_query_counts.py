"""List pages cost a fixed number of queries, however many rows they show (no N+1)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from xuncha.accounts import services
from xuncha.accounts.permissions import Role
from xuncha.accounts.tests.factories import PersonFactory, make_unit, make_user
from xuncha.common.actors import SYSTEM


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.fixture
def head_client(client, world):
    head = make_user(world.a["dept"], Role.OFFICE_HEAD, scope=world.a["county"])
    client.force_login(head)
    return client


def _grow(world, n):
    """n more people with posts, units, accounts with roles, audit rows."""
    for i in range(n):
        unit = make_unit(world.a["town"], f"增村{i}", "village")
        PersonFactory(unit=unit)
        user = make_user(unit, username=f"grow{i}_{unit.pk}")
        services.role_grant(actor=SYSTEM, user=user, role=Role.UNIT_LIAISON, scope=unit)


PAGES = [
    # session, user, grants, (session save) + the page's own reads
    ("accounts:person_list", 10),
    ("accounts:user_list", 10),
    ("accounts:unit_tree", 7),
    ("audit:entry_list", 8),
    # 我的工作: 11 as before, plus the to-do list (one count per item the role has, the overdue ones also
    # reading the deadline rules and the working-day calendar: rule_regions, whether or not the scope
    # holds rows — with data that is one query fewer per overdue count than finding the rows'
    # jurisdictions first) and the unread messages: bounded by the role, not the rows.
    ("home", 23),
]


@pytest.mark.parametrize(("name", "limit"), PAGES)
def test_list_pages_do_not_grow_with_rows(head_client, world, django_assert_max_num_queries, name, limit):
    url = reverse(name)
    _grow(world, 3)
    small = _queries(head_client, url)
    _grow(world, 20)
    large = _queries(head_client, url)
    assert large == small, f"{name}: {small} queries with few rows, {large} with many"
    with django_assert_max_num_queries(limit):
        head_client.get(url)


def test_unit_search_and_detail_are_flat(head_client, world, django_assert_max_num_queries):
    _grow(world, 25)
    with django_assert_max_num_queries(8):
        head_client.get(reverse("accounts:unit_tree") + "?q=增村")
    with django_assert_max_num_queries(13):
        head_client.get(world.a["town"].get_absolute_url())
