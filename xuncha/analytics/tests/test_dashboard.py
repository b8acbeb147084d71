"""Dashboards: figures against a hand-counted fixture, scoping per role, drill-down links that open
for who may open them (and are absent for the upper office), empty states, the query count."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from xuncha.accounts.permissions import Role
from xuncha.accounts.tests.factories import make_user
from xuncha.analytics.selectors import dashboard as stats
from xuncha.findings.tests.conftest import approved  # noqa: F401  (fixture)
from xuncha.rectification.models import Task, TaskState
from xuncha.rectification.services import plans as plan_services
from xuncha.rectification.tests.conftest import fed_back, site  # noqa: F401  (fixtures)
from xuncha.transfers.models import Transfer
from xuncha.transfers.services import transfer_send


def _task(fb, problem, due_in: int, **changes):
    plan = plan_services.plan_create(actor=fb["liaison"], feedback=fb["feedback"])
    task = plan_services.task_add(
        actor=fb["liaison"],
        plan=plan,
        problem=problem,
        measure="清退违规发放的补贴",
        standard="全部清退",
        horizon="deadline",
        due_on=timezone.localdate() + timedelta(days=30),
        lead_dept="镇党政办",
        owner="张某",
    )
    # As if time had passed (and, for closed ones, as if the office had verified the closure).
    Task.objects.filter(pk=task.pk).update(due_on=timezone.localdate() + timedelta(days=due_in), **changes)
    return task


@pytest.fixture
def county(fed_back, world):  # noqa: F811
    """Hand count: the town, 2 problems fed back today. Problem 1: one task, closed (done).
    Problem 2: one task 2 days overdue (red), one due in 5 days (yellow). One clue (2 persons)
    to the county's discipline department, disposed of by opening a case."""
    fb = fed_back
    p1, p2 = fb["target"].problems.order_by("number")
    today = timezone.localdate()
    _task(fb, p1, 10, state=TaskState.CLOSED, closed_on=today)
    red = _task(fb, p2, -2)
    yellow = _task(fb, p2, 5)
    receiver = world.a["dept"]
    make_user(receiver, Role.DISCIPLINE_RECEIVER, scope=receiver)
    transfer = transfer_send(
        actor=fb["office"],
        round=fb["round"],
        kind="clue",
        receiver=receiver,
        target=fb["target"],
        title="某村干部违规领取补贴",
        summary="涉嫌违规领取补贴。",
        persons="张某、李某",
        persons_count=2,
    )
    Transfer.objects.filter(pk=transfer.pk).update(disposal="case", state="handling")
    return {
        **fb,
        "p1": p1,
        "p2": p2,
        "red": red,
        "yellow": yellow,
        "transfer": transfer,
        "upper": make_user(world.city, Role.UPPER_OFFICE, scope=world.city),
        "office_b": make_user(world.b["dept"], Role.OFFICE_STAFF, scope=world.b["county"]),
        "other_unit": make_user(world.a["dept"], Role.UNIT_LIAISON, scope=world.a["dept"]),
        "leading": make_user(world.a["county"], Role.LEADING_GROUP, scope=world.a["county"]),
    }


def _figures(user, **filters):
    return stats.figures(stats.scope_for(user), stats.Filters(**filters))


def test_figures_match_the_hand_count(county):
    figs = _figures(county["office"])
    s = figs.summary
    assert (s["problems"], s["fed"], s["done"], s["rate"]) == (2, 2, 1, 50)
    assert (s["units"], s["rounds"], s["overdue"], s["open_tasks"]) == (1, 1, 1, 2)
    assert (s["transfers"], s["persons"]) == (1, 2)
    assert [(r["round__name"], r["problems"], r["fed"], r["done"]) for r in figs.by_round] == [
        (county["round"].name, 2, 2, 1)
    ]
    assert [(r["target__unit__name"], r["problems"], r["done"]) for r in figs.by_unit] == [("甲县青山镇", 2, 1)]
    assert sorted(r["n"] for r in figs.by_focus) == [1, 1]
    month = timezone.localdate().replace(day=1)
    assert figs.by_month == [{"month": month, "fed": 2, "done": 1, "rate": 50}]
    assert figs.overdue_by_level == [{"level": "red", "n": 1}, {"level": "yellow", "n": 1}, {"level": "green", "n": 0}]
    assert [(r["name"], r["red"], r["yellow"]) for r in figs.overdue_by_unit] == [("甲县青山镇", 1, 1)]
    assert [(r["receiver__name"], r["n"], r["persons"]) for r in figs.transfers_by_receiver] == [("甲县财政局", 1, 2)]
    assert [(r["disposal"], r["n"]) for r in figs.transfers_by_disposal] == [("case", 1)]


def test_coverage_counts_planned_and_inspected_units(county, world):
    from xuncha.plans.models import Round, TermPlan, TermPlanUnit

    year = county["round"].year
    # In force this year (the dashboard's default) as well as in the round's, whenever this runs.
    end = max(year, timezone.localdate().year) + 4
    plan = TermPlan.objects.create(jurisdiction=world.a["county"], name="届内规划", start_year=year, end_year=end)
    TermPlanUnit.objects.create(plan=plan, unit=world.a["town"])
    TermPlanUnit.objects.create(plan=plan, unit=world.a["village"])
    Round.objects.filter(pk=county["round"].pk).update(term_plan=plan)
    [row] = _figures(county["office"]).coverage
    # The county's units: the department, the town, the village and the office made by the site.
    assert (row["planned"], row["covered"], row["rate"]) == (2, 1, 50)
    assert row["units"] == 4


def test_scoping_by_role(county):
    assert _figures(county["office_b"]).summary["problems"] == 0
    unit = _figures(county["liaison"])
    assert (unit.summary["problems"], unit.summary["overdue"]) == (2, 1)
    assert unit.transfers_by_receiver == [] and unit.coverage == [] and "transfers" not in unit.summary
    assert _figures(county["other_unit"]).summary["problems"] == 0
    upper = _figures(county["upper"])
    assert (upper.summary["problems"], upper.summary["transfers"]) == (2, 1)


def test_a_unit_sees_only_problems_fed_back_to_it(county, world):
    from xuncha.findings.models import Feedback

    Feedback.objects.filter(pk=county["feedback"].pk).update(state="draft")
    assert _figures(county["liaison"]).summary["problems"] == 0
    assert _figures(county["office"]).summary["problems"] == 2


def _drill_links(html: str) -> list[str]:
    import re

    return [u.replace("&amp;", "&") for u in re.findall(r'<a href="([^"]+)" data-drill>', html)]


def test_office_drills_down_and_every_link_opens(client, county):
    client.force_login(county["office"])
    page = client.get(reverse("analytics:dashboard"))
    html = page.content.decode()
    assert page.status_code == 200 and 'data-chart="by_unit"' in html and "甲县青山镇" in html
    links = _drill_links(html)
    for name in ("analytics:dashboard_problems", "analytics:dashboard_tasks", "transfers:transfer_list"):
        assert any(link.startswith(reverse(name)) for link in links), name
    for link in links:
        assert client.get(link).status_code == 200, link


def test_drill_lists_hold_the_rows_behind_the_bar(client, county):
    client.force_login(county["office"])
    done = client.get(reverse("analytics:dashboard_problems"), {"status": "done"}).content.decode()
    assert county["p1"].title in done and county["p2"].title not in done
    red = client.get(reverse("analytics:dashboard_tasks"), {"level": "red"})
    assert [t.pk for t in red.context["page"]] == [county["red"].pk]
    yellow = client.get(reverse("analytics:dashboard_tasks"), {"level": "yellow", "unit": county["target"].unit_id})
    assert [t.pk for t in yellow.context["page"]] == [county["yellow"].pk]
    received = client.get(reverse("transfers:transfer_list"), {"receiver": county["transfer"].receiver_id})
    assert [t.pk for t, _due in received.context["rows"]] == [county["transfer"].pk]
    assert not client.get(reverse("transfers:transfer_list"), {"receiver": county["target"].unit_id}).context["rows"]
    assert client.get(reverse("transfers:transfer_list"), {"disposal": "case"}).context["rows"]
    assert not client.get(reverse("transfers:transfer_list"), {"disposal": "talk"}).context["rows"]


def test_round_dashboard_per_unit_links_to_the_units_problem_list(client, county):
    client.force_login(county["office"])
    url = reverse("analytics:round_dashboard", args=[county["round"].pk])
    html = client.get(url).content.decode()
    problem_list = reverse("findings:problem_list", args=[county["target"].pk])
    assert problem_list in _drill_links(html)
    assert client.get(problem_list).status_code == 200


def test_upper_office_sees_figures_without_case_detail(client, county):
    client.force_login(county["upper"])
    html = client.get(reverse("analytics:dashboard")).content.decode()
    assert 'data-stat="problems">2<' in html
    # Only the round's own statistics page is offered, never a list of cases.
    assert _drill_links(html) == [reverse("analytics:round_dashboard", args=[county["round"].pk])]
    assert "/findings/" not in html and "/transfers/" not in html and "/rectification/" not in html
    assert client.get(reverse("analytics:round_dashboard", args=[county["round"].pk])).status_code == 200
    for name in ("analytics:dashboard_problems", "analytics:dashboard_tasks"):
        assert client.get(reverse(name)).status_code == 403


def test_unit_sees_its_own_figures_and_its_own_tasks(client, county):
    client.force_login(county["liaison"])
    html = client.get(reverse("analytics:dashboard")).content.decode()
    assert 'data-stat="problems">2<' in html and 'data-chart="by_receiver"' not in html
    links = [link for link in _drill_links(html) if not link.startswith("/analytics/rounds/")]
    assert links and all(link.startswith(reverse("analytics:dashboard_tasks")) for link in links)
    tasks = client.get(links[0])
    assert tasks.status_code == 200
    client.force_login(county["other_unit"])
    assert client.get(reverse("analytics:round_dashboard", args=[county["round"].pk])).status_code == 404
    assert not client.get(reverse("analytics:dashboard_tasks")).context["page"].object_list


def test_other_county_and_outsiders(client, county):
    client.force_login(county["office_b"])
    html = client.get(reverse("analytics:dashboard")).content.decode()
    assert html.count("暂无数据") >= 5 and 'data-stat="problems">0<' in html
    assert client.get(reverse("analytics:round_dashboard", args=[county["round"].pk])).status_code == 404
    client.force_login(county["users"]["member"])  # a team member reads its round's pages, not statistics
    assert client.get(reverse("analytics:dashboard")).status_code == 403
    client.force_login(county["leading"])
    assert client.get(reverse("analytics:dashboard")).status_code == 200


def test_empty_round_shows_empty_states(client, world):
    from xuncha.plans.tests.factories import make_round

    rnd = make_round(world.a["county"])
    office = make_user(world.a["dept"], Role.OFFICE_HEAD, scope=world.a["county"])
    client.force_login(office)
    page = client.get(reverse("analytics:round_dashboard", args=[rnd.pk]))
    html = page.content.decode()
    assert page.status_code == 200 and "暂无数据" in html and "暂无" in html
    assert client.get(reverse("analytics:dashboard"), {"round": rnd.pk}).status_code == 200


def test_bad_filters_do_not_break_the_pages(client, county):
    client.force_login(county["office"])
    for params in ({"year": "abc", "round": "999999", "unit": "x"}, {"unit": county["office_b"].unit_id}):
        assert client.get(reverse("analytics:dashboard"), params).status_code == 200
    bad = {"month": "2026-13", "unit": "abc", "round": "1' or 1=1", "level": "purple", "status": "x"}
    assert client.get(reverse("analytics:dashboard_problems"), bad).status_code == 200
    assert client.get(reverse("analytics:dashboard_tasks"), bad).status_code == 200
    assert client.get(reverse("transfers:transfer_list"), {"receiver": "abc"}).status_code == 200


def test_unit_filter_outside_scope_is_ignored(client, county, world):
    client.force_login(county["office"])
    page = client.get(reverse("analytics:dashboard"), {"unit": world.b["town"].pk})
    assert page.context["filters"].unit is None


def test_query_count_does_not_grow_with_the_data(client, county, django_assert_max_num_queries):
    client.force_login(county["office"])
    client.get(reverse("analytics:dashboard"))  # warm the session and the caches
    with django_assert_max_num_queries(32):
        client.get(reverse("analytics:dashboard"))
    with django_assert_max_num_queries(30):
        client.get(reverse("analytics:round_dashboard", args=[county["round"].pk]))
    for due_in in (-5, 1, 15):
        _task(county, county["p2"], due_in)
    with django_assert_max_num_queries(32):
        client.get(reverse("analytics:dashboard"))
    with django_assert_max_num_queries(14):
        client.get(reverse("analytics:dashboard_tasks"))
    with django_assert_max_num_queries(14):
        client.get(reverse("analytics:dashboard_problems"))


def test_nav_entry_for_statistics(client, county):
    client.force_login(county["office"])
    html = client.get(reverse("analytics:dashboard")).content.decode()
    assert f'href="{reverse("analytics:dashboard")}">统计分析<' in html
