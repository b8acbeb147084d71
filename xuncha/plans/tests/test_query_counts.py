"""Plans list and detail pages cost a fixed number of queries, however many rows they show."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from xuncha.accounts.permissions import Role
from xuncha.accounts.tests.factories import make_person, make_unit, make_user
from xuncha.common.actors import SYSTEM
from xuncha.plans import services
from xuncha.plans.tests.factories import make_round, make_staffed_team


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.fixture
def head_client(client, world):
    client.force_login(make_user(world.a["dept"], Role.OFFICE_HEAD, scope=world.a["county"]))
    return client


def _grow(world, rnd, n, start):
    """n more targets with their own staffed team and announcement, and n pool entries."""
    for i in range(start, start + n):
        unit = make_unit(world.a["county"], f"加测单位{i}", "department")
        home = make_unit(world.a["county"], f"抽调单位{i}", "department")
        team = make_staffed_team(rnd, [unit], home)
        target = rnd.targets.get(unit=unit)
        services.announcement_save(
            actor=SYSTEM, target=target, phone="1", opens_on=date(2026, 9, 1), closes_on=date(2026, 9, 2)
        )
        services.pool_entry_save(actor=SYSTEM, person=make_person(home, f"库员{i}"), jurisdiction=world.a["county"])
        assert team.members.count() == 3
    for i in range(start, start + n):
        make_round(world.a["county"], year=2020 + i % 5, number=10 + i)


@pytest.mark.parametrize(
    ("name", "args", "limit"),
    [
        ("plans:round_list", False, 8),
        ("plans:round_detail", True, 16),
        ("plans:pool_list", False, 10),
        ("plans:term_list", False, 7),
    ],
)
def test_pages_do_not_grow_with_rows(head_client, world, django_assert_max_num_queries, name, args, limit):
    rnd = make_round(world.a["county"])
    services.term_plan_create(actor=SYSTEM, jurisdiction=world.a["county"], name="规划", start_year=2022, end_year=2026)
    url = reverse(name, args=[rnd.pk] if args else [])
    _grow(world, rnd, 2, 0)
    small = _count(head_client, url)
    _grow(world, rnd, 6, 2)
    large = _count(head_client, url)
    assert large == small, f"{name}: {small} queries with few rows, {large} with many"
    with django_assert_max_num_queries(limit):
        head_client.get(url)


def test_team_page_is_flat(head_client, world, django_assert_max_num_queries):
    rnd = make_round(world.a["county"])
    units = [make_unit(world.a["county"], f"单位{i}", "department") for i in range(4)]
    team = make_staffed_team(rnd, units, make_unit(world.a["county"], "抽调单位", "department"), size=8)
    with django_assert_max_num_queries(16):
        head_client.get(team.get_absolute_url())


def test_coverage_page_is_flat(head_client, world, django_assert_max_num_queries):
    plan = services.term_plan_create(
        actor=SYSTEM, jurisdiction=world.a["county"], name="规划", start_year=2022, end_year=2026
    )
    for i in range(20):
        make_unit(world.a["county"], f"新增单位{i}", "department")
    with django_assert_max_num_queries(9):
        head_client.get(plan.get_absolute_url())
