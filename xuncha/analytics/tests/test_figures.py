"""Every figure of the situation report against the hand count (figures_fixture.HAND), the empty
round, scoping per role, and the query count per figure."""

from __future__ import annotations

import pytest

from xuncha.analytics.selectors import figures as f
from xuncha.analytics.selectors import figures_rectification as r
from xuncha.analytics.tests.figures_fixture import HAND, situation_round
from xuncha.plans.tests.factories import make_round


@pytest.fixture
def sr(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return situation_round(world)


def _by_label(rows, key="n"):
    return {row["label"]: row[key] for row in rows}


def test_what_the_teams_did(sr):
    user, rnd = sr["office"], sr["round"]
    assert f.teams_and_targets(user, rnd) == {"teams": HAND["teams"], "targets": HAND["targets"], "villages": 1}
    assert f.interviews(user, rnd) == HAND["interviews"]
    assert f.documents_requested(user, rnd) == HAND["documents"]
    assert f.site_visits(user, rnd) == HAND["visits"]
    assert f.special_checks(user, rnd) == HAND["checks"]
    assert f.questionnaires(user, rnd) == HAND["questionnaires"]
    reports = f.public_reports(user, rnd)
    assert {k: reports[k] for k in HAND["reports"]} == HAND["reports"]
    assert reports["pending"] == 1
    assert _by_label(reports["by_channel"]) == {"网上举报": 3, "来信": 1, "来电": 1, "来访": 1, "意见箱": 1}
    assert f.working_papers(user, rnd) == HAND["papers"]
    assert f.immediate_fixes(user, rnd) == HAND["fixes"]


def test_what_they_found(sr):
    user, rnd = sr["office"], sr["round"]
    severity = f.problems_by_severity(user, rnd)
    assert severity["total"] == 4 and _by_label(severity["rows"]) == HAND["severity"]
    by_item = f.problems_by_focus_item(user, rnd)
    assert [row["n"] for row in by_item] == HAND["by_item"]
    assert [row["label"] for row in by_item] == [item.text for item in sr["items"]]
    assert _by_label(f.problems_by_tag(user, rnd)) == HAND["tags"]
    assert f.recurring_tags(user, rnd) == HAND["recurring"]
    assert f.serious_problem_titles(user, rnd) == HAND["serious"]


def test_what_was_transferred(sr):
    user, rnd = sr["office"], sr["round"]
    kinds = {row["label"]: (row["n"], row["persons"]) for row in f.transfers_by_kind(user, rnd)}
    assert kinds == HAND["transfers_by_kind"]
    receivers = [(row["label"], row["n"], row["persons"]) for row in f.transfers_by_receiver(user, rnd)]
    assert receivers == HAND["by_receiver"]
    assert _by_label(f.transfers_by_state(user, rnd)) == HAND["transfer_states"]
    disposals = {k: v for k, v in _by_label(f.transfers_by_disposal(user, rnd)).items() if v}
    assert disposals == HAND["disposals"]
    assert f.transfers_overdue(user, rnd) == HAND["transfers_overdue"]


def test_how_rectification_stands(sr):
    user, rnd = sr["office"], sr["round"]
    assert r.plans_progress(user, rnd) == HAND["plans"]
    assert r.plans_pending(user, rnd) == [sr["village_target"].unit.name]
    assert r.tasks_progress(user, rnd) == HAND["tasks"]
    assert r.rectification_rate(user, rnd) == HAND["rate"]
    overdue = r.overdue_by_unit(user, rnd)
    assert [(row["label"], row["n"], row["days"]) for row in overdue] == [
        (sr["target"].unit.name, 1, 10),
        (sr["village_target"].unit.name, 1, 3),
    ]
    assert r.mechanisms_made(user, rnd) == HAND["mechanisms"]
    assert r.money_recovered(user, rnd) == {"total": HAND["money"], "n": 3}
    acc = r.accountability_by_form(user, rnd)
    expected = HAND["accountability"]
    assert (acc["total"], acc["organisations"], acc["cadres"]) == (4, 1, 3)
    assert {k: v for k, v in _by_label(acc["rows"]).items() if v} == {
        k: expected[k] for k in ("责令检查", "约谈", "诫勉")
    }
    assert r.campaigns_started(user, rnd) == HAND["campaigns"]


def test_one_unit_of_the_round(sr):
    user, rnd, village = sr["office"], sr["round"], sr["village_target"].unit
    assert f.interviews(user, rnd, village) == {"held": 1, "confirmed": 0}
    assert f.problems_by_severity(user, rnd, village)["total"] == 1
    assert f.immediate_fixes(user, rnd, village) == {"issued": 1, "done": 0, "answered": 0}
    # The round-wide sector transfer (no unit) is not the village's.
    assert sum(row["n"] for row in f.transfers_by_kind(user, rnd, village)) == 1
    assert r.tasks_progress(user, rnd, village)["total"] == 1
    assert r.rectification_rate(user, rnd, village) == {"problems": 1, "done": 0, "rate": 0}
    assert r.money_recovered(user, rnd, village)["total"] == 300


def test_upper_office_gets_the_figures_but_no_problem_texts(sr):
    upper, rnd = sr["upper"], sr["round"]
    assert f.interviews(upper, rnd) == HAND["interviews"]
    assert r.tasks_progress(upper, rnd) == HAND["tasks"]
    assert f.serious_problem_titles(upper, rnd) == []


def test_other_county_gets_zeros(sr):
    other, rnd = sr["other_office"], sr["round"]
    assert f.interviews(other, rnd) == {"held": 0, "confirmed": 0}
    assert f.problems_by_severity(other, rnd)["total"] == 0
    assert f.transfers_by_receiver(other, rnd) == []
    assert r.tasks_progress(other, rnd)["total"] == 0
    assert f.serious_problem_titles(other, rnd) == []


def test_a_unit_sees_its_own_rectification_and_nothing_of_the_inspection(sr):
    unit_user, rnd = sr["unit_user"], sr["round"]
    assert f.interviews(unit_user, rnd) == {"held": 0, "confirmed": 0}
    assert f.public_reports(unit_user, rnd)["received"] == 0
    assert f.transfers_by_receiver(unit_user, rnd) == []
    assert f.problems_by_tag(unit_user, rnd) == []
    # the village's own only (its subtree), not the town's
    assert r.tasks_progress(unit_user, rnd)["total"] == 1
    assert [row["label"] for row in r.overdue_by_unit(unit_user, rnd)] == [sr["village_target"].unit.name]
    assert r.money_recovered(unit_user, rnd)["total"] == 300
    assert r.plans_progress(unit_user, rnd) == {"fed_back": 1, "plans": 1, "approved": 0}


def test_an_empty_round_gives_zeros_and_empty_tables(world):
    from xuncha.accounts.permissions import Role
    from xuncha.accounts.tests.factories import make_user

    office = make_user(world.a["dept"], Role.OFFICE_STAFF, scope=world.a["county"])
    rnd = make_round(world.a["county"], number=9)
    assert f.teams_and_targets(office, rnd) == {"teams": 0, "targets": 0, "villages": 0}
    assert f.problems_by_focus_item(office, rnd) == []
    assert f.problems_by_tag(office, rnd) == []
    assert f.transfers_overdue(office, rnd) == 0
    assert r.rectification_rate(office, rnd) == {"problems": 0, "done": 0, "rate": None}
    assert r.money_recovered(office, rnd)["total"] == 0
    assert r.overdue_by_unit(office, rnd) == []


SELECTORS = [
    f.teams_and_targets,
    f.interviews,
    f.documents_requested,
    f.site_visits,
    f.public_reports,
    f.working_papers,
    f.immediate_fixes,
    f.problems_by_severity,
    f.problems_by_tag,
    f.recurring_tags,
    f.serious_problem_titles,
    f.transfers_by_kind,
    f.transfers_by_receiver,
    f.transfers_by_state,
    f.transfers_by_disposal,
    r.plans_progress,
    r.plans_pending,
    r.tasks_progress,
    r.rectification_rate,
    r.overdue_by_unit,
    r.mechanisms_made,
    r.money_recovered,
    r.accountability_by_form,
    r.campaigns_started,
]


@pytest.mark.parametrize("selector", SELECTORS, ids=lambda s: s.__name__)
def test_one_query_per_figure(sr, selector, django_assert_num_queries):
    user = sr["office"]
    selector(user, sr["round"])  # the user's grants are read once per request, then cached
    with django_assert_num_queries(1):
        selector(user, sr["round"])


def test_two_queries_for_focus_items_and_overdue_transfers(sr, django_assert_max_num_queries):
    user = sr["office"]
    f.problems_by_focus_item(user, sr["round"])
    with django_assert_max_num_queries(2):
        f.problems_by_focus_item(user, sr["round"])
    with django_assert_max_num_queries(3):  # the jurisdiction's deadline rule, then the count
        f.transfers_overdue(user, sr["round"])
