"""Common problems page: scoping by role (office, other county, unit, upper office), threshold
validation, the group → sector clean-up path, and the page's query count."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from xuncha.accounts.models import UnitType
from xuncha.accounts.permissions import Role
from xuncha.accounts.tests.factories import make_unit, make_user
from xuncha.analytics.selectors import common_problems as selectors
from xuncha.findings.models import Problem
from xuncha.plans.models import RoundTarget
from xuncha.rectification.models import Campaign, Task
from xuncha.rectification.tests.conftest import approved, fed_back, site  # noqa: F401  (fixtures)
from xuncha.rectification.tests.test_remind import running  # noqa: F401  (fixture)

URL = reverse("analytics:common_problems")
CAMPAIGN_URL = reverse("analytics:common_campaign")


def _problem(ctx, unit, title, description, number=1):
    target, _ = RoundTarget.objects.get_or_create(round=ctx["target"].round, unit=unit, defaults={"team": ctx["team"]})
    p = Problem.objects.create(
        round=target.round, target=target, team=ctx["team"], number=number, title=title, description=description
    )
    p.focus_items.set([ctx["items"][0]])
    return p


@pytest.fixture
def common(running, world):  # noqa: F811
    """The town (with an approved plan) and the county's finance bureau (no plan yet) share a problem."""
    town_problem = running["target"].problems.get(title="违规发放津贴补贴")
    other = _problem(running, world.a["dept"], "违规发放津贴补贴", "2024年以值班费名义向干部违规发放补贴5.1万元。")
    edu = make_unit(world.a["county"], "甲县教育局", UnitType.DEPARTMENT)
    make_user(edu, Role.SECTOR_RECEIVER, scope=edu)
    return {**running, "town_problem": town_problem, "other": other, "edu": edu}


def _login(client, user):
    client.force_login(user)
    return client


def test_the_office_sees_the_group_with_units_and_links(common, client):
    response = _login(client, common["office"]).get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "甲县青山镇" in html and "甲县财政局" in html
    assert reverse("findings:problem_detail", args=[common["other"].pk]) in html
    assert "部署专项整治" in html
    groups = selectors.common_groups(user=common["office"], threshold=0.15)
    assert [sorted(g.keys) for g in groups] == [sorted([common["town_problem"].pk, common["other"].pk])]


def test_another_county_and_a_unit_see_no_group(common, client, world):
    other_office = make_user(world.b["dept"], Role.OFFICE_STAFF, scope=world.b["county"])
    assert selectors.common_groups(user=other_office, threshold=0.15) == []
    assert selectors.common_groups(user=common["liaison"], threshold=0.15) == []  # only its own problems
    html = _login(client, common["liaison"]).get(URL).content.decode()
    assert "没有发现" in html and "甲县财政局" not in html


def test_the_upper_office_sees_counts_only(common, client, world):
    upper = make_user(world.city, Role.UPPER_OFFICE, scope=world.city)
    response = _login(client, upper).get(URL)
    html = response.content.decode()
    assert response.status_code == 200
    assert "2个问题" in html and "2个单位" in html
    assert "违规发放津贴补贴" not in html and "甲县财政局" not in html and "值班费" not in html
    assert reverse("findings:problem_detail", args=[common["other"].pk]) not in html
    assert CAMPAIGN_URL not in html
    assert _login(client, upper).get(CAMPAIGN_URL, {"p": [common["other"].pk]}).status_code == 403


def test_people_without_statistics_are_refused(common, client, world):
    receiver = make_user(common["edu"], Role.SECTOR_RECEIVER, scope=common["edu"])
    assert _login(client, receiver).get(URL).status_code == 403


@pytest.mark.parametrize("value", ["0.05", "0.96", "abc"])
def test_a_threshold_out_of_range_is_rejected_with_a_message(common, client, value):
    response = _login(client, common["office"]).get(URL, {"threshold": value})
    assert response.status_code == 200
    html = response.content.decode()
    assert "相似度阈值" in html and "请修改后重新查询" in html
    assert "甲县财政局" not in html  # nothing computed with a rejected threshold


def test_a_valid_threshold_is_applied(common, client):
    html = _login(client, common["office"]).get(URL, {"threshold": "0.5"}).content.decode()
    assert "当前相似度阈值 0.50" in html and "甲县财政局" in html


def test_a_group_becomes_one_campaign_and_a_unit_without_plan_is_left_out(common, client):
    c = _login(client, common["office"])
    query = f"?c={common['town_problem'].pk}&p={common['town_problem'].pk}&p={common['other'].pk}"
    page = c.get(CAMPAIGN_URL + query)
    html = page.content.decode()
    assert page.status_code == 200
    assert "尚未建立整改方案" in html and "甲县财政局" in html
    assert "违规发放津贴补贴专项整治" in html  # title prefilled from the central problem
    data = {
        "title": "违规发放津贴补贴专项整治",
        "sector_dept": common["edu"].pk,
        "problems": [common["town_problem"].pk],
        "description": "全面清查2023年以来津贴补贴发放情况",
        "standard": "违规发放款项全部清退",
        "due_on": (timezone.localdate() + timedelta(days=60)).isoformat(),
    }
    response = c.post(CAMPAIGN_URL + query, data)
    campaign = Campaign.objects.get()
    assert response.status_code == 302 and response["Location"] == campaign.get_absolute_url()
    assert list(campaign.problems.all()) == [common["town_problem"]]
    assert Task.objects.filter(campaign=campaign, plan=common["plan"]).count() == 1


def test_a_problem_the_user_may_not_manage_is_not_taken(common, client, world):
    other_office = make_user(world.b["dept"], Role.OFFICE_STAFF, scope=world.b["county"])
    response = _login(client, other_office).get(CAMPAIGN_URL, {"p": [common["other"].pk]})
    assert response.status_code == 404
    assert _login(client, common["liaison"]).get(CAMPAIGN_URL, {"p": [common["other"].pk]}).status_code == 403


def test_the_page_query_count_does_not_grow_with_groups(common, client, django_assert_max_num_queries, world):
    for n in range(2, 14):
        unit = make_unit(world.a["county"], f"甲县单位{n}", UnitType.DEPARTMENT)
        _problem(common, unit, "违规发放津贴补贴", f"以值班费名义向干部违规发放补贴{n}万元。")
        _problem(common, unit, "公务用车私用", f"驾驶公务用车接送子女{n}次。", number=2)
        _problem(common, world.a["dept"] if n == 2 else unit, "公车私用问题", f"节假日公车回老家{n}次。", number=3)
    c = _login(client, common["office"])
    c.get(URL)
    with django_assert_max_num_queries(16):
        response = c.get(URL)
    assert response.status_code == 200


def test_an_empty_jurisdiction_shows_an_empty_state(client, world):
    office = make_user(world.b["dept"], Role.OFFICE_STAFF, scope=world.b["county"])
    html = _login(client, office).get(URL).content.decode()
    assert "没有发现" in html
