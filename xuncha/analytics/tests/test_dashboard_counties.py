"""The overview's per-county chart (各县（市、区）巡察整改情况): one row per jurisdiction of the rounds
in scope for a scope wider than one county, counted by hand over two counties, and no links."""

import re

import pytest
from django.urls import reverse

from xuncha.accounts.permissions import Role
from xuncha.accounts.services import role_grant
from xuncha.accounts.tests.factories import make_user
from xuncha.analytics.selectors import dashboard as stats
from xuncha.analytics.tests.figures_fixture import _plan, _tasks
from xuncha.analytics.tests.test_dashboard import _drill_links, county  # noqa: F401  (fixture)
from xuncha.common.actors import SYSTEM
from xuncha.fieldwork.tests.factories import on_site
from xuncha.findings.tests.conftest import approved  # noqa: F401  (fixture)
from xuncha.findings.tests.factories import problem, with_focus_list
from xuncha.rectification.models import PlanState, TaskState
from xuncha.rectification.tests.conftest import fed_back, site  # noqa: F401  (fixtures)


@pytest.fixture
def two_counties(county, world):  # noqa: F811
    """County A as in test_dashboard (1 round, 2 problems fed back, 1 done, 1 overdue task).
    County B: 1 round, 3 problems fed back; p1 done, p2 two overdue open tasks (and one ongoing,
    which counts as done), p3 no measure yet."""
    site_b = with_focus_list(on_site(world, "b"))
    p1, p2, p3 = (problem(site_b, title=f"乙县问题{n}") for n in (1, 2, 3))
    plan = _plan(site_b, site_b["target"], PlanState.APPROVED)
    _tasks(plan, p1, [(TaskState.CLOSED, -10)])
    _tasks(plan, p2, [(TaskState.IN_PROGRESS, -3), (TaskState.CLOSURE_REQUESTED, -1), (TaskState.ONGOING, -20)])
    return {**county, "site_b": site_b}


def _rows(user, **filters):
    figs = stats.figures(stats.scope_for(user), stats.Filters(**filters))
    keys = ("round__jurisdiction__name", "rounds", "problems", "fed", "done", "rate", "overdue")
    return [tuple(r[k] for k in keys) for r in figs.by_jurisdiction]


def _chart_section(html: str) -> str:
    match = re.search(r'<section[^>]*id="chart-by_jurisdiction-card".*?</section>', html, re.S)
    return match.group(0) if match else ""


def test_upper_office_sees_one_row_per_county(two_counties):
    assert _rows(two_counties["upper"]) == [("甲县", 1, 2, 2, 1, 50, 1), ("乙县", 1, 3, 3, 1, 33, 2)]
    # The rows add up to the summary the upper office already had.
    summary = stats.figures(stats.scope_for(two_counties["upper"]), stats.Filters()).summary
    assert (summary["problems"], summary["done"], summary["overdue"], summary["rounds"]) == (5, 2, 3, 2)


def test_a_user_over_two_counties_gets_the_chart(two_counties, world):
    both = make_user(world.city, Role.UPPER_OFFICE, scope=world.a["county"])
    role_grant(actor=SYSTEM, user=both, role=Role.UPPER_OFFICE, scope=world.b["county"])
    assert [r[0] for r in _rows(both)] == ["甲县", "乙县"]


def test_upper_office_page_shows_the_table_without_links(client, two_counties):
    client.force_login(two_counties["upper"])
    html = client.get(reverse("analytics:dashboard")).content.decode()
    section = _chart_section(html)
    assert "各县（市、区）巡察整改情况" in section and 'data-chart="by_jurisdiction"' in section
    assert 'id="chart-by_jurisdiction"' in section  # the chart's data beside the table
    assert "<a " not in section
    cells = re.findall(r"<tr><th scope=\"row\"[^>]*>([^<]+)</th>(.*?)</tr>", section, re.S)
    rows = [(name, re.findall(r'<td class="text-end">([^<]*)</td>', tds)) for name, tds in cells]
    assert rows == [("甲县", ["1", "2", "2", "1", "50", "1"]), ("乙县", ["1", "3", "3", "1", "33", "2"])]
    # Still no list of cases anywhere on the page: only the rounds' own statistics pages.
    rounds = {two_counties["round"].pk, two_counties["site_b"]["round"].pk}
    assert sorted(_drill_links(html)) == sorted(reverse("analytics:round_dashboard", args=[pk]) for pk in rounds)


def test_county_office_does_not_get_the_chart(client, two_counties):
    for user in (two_counties["office"], two_counties["leading"], two_counties["liaison"]):
        assert _rows(user) == []
        client.force_login(user)
        html = client.get(reverse("analytics:dashboard")).content.decode()
        assert 'data-chart="by_jurisdiction"' not in html and 'data-chart="by_unit"' in html


def test_one_round_shows_no_county_chart(client, two_counties):
    assert _rows(two_counties["upper"], round=two_counties["round"]) == []
    assert _rows(two_counties["upper"], year=two_counties["round"].year)  # a year keeps both counties
    client.force_login(two_counties["upper"])
    url = reverse("analytics:round_dashboard", args=[two_counties["round"].pk])
    assert 'data-chart="by_jurisdiction"' not in client.get(url).content.decode()


def test_upper_office_query_count_is_fixed(client, two_counties, django_assert_max_num_queries):
    client.force_login(two_counties["upper"])
    client.get(reverse("analytics:dashboard"))  # warm the session and the caches
    with django_assert_max_num_queries(31):
        client.get(reverse("analytics:dashboard"))
    site_b = two_counties["site_b"]
    plan = site_b["target"].feedback.plan
    _tasks(plan, site_b["target"].problems.first(), [(TaskState.IN_PROGRESS, -7), (TaskState.ONGOING, 3)])
    with django_assert_max_num_queries(31):
        client.get(reverse("analytics:dashboard"))
