"""A county's pages cost the same whatever the database holds (issue 17).

The county office's list pages (and the same pages with their filters set) are requested for one
county twice: alone in the database, and beside two neighbouring counties several times its size
(1 and 3 counties). They must make the same number of queries. On PostgreSQL, with sequential
scans priced out as in test_explain.py (a small test database makes the planner prefer them
whatever the indexes), no query of those pages may read a big table sequentially: an index serves
every filter, the scope included. Which path the planner prefers at province scale cannot be seen
on a few hundred rows (reading them whole is cheaper); the benchmark measures that.

The scope filter itself is one condition on the granted subtree for an office user who belongs to
nothing: an OR with a membership's EXISTS (over another join) is what makes the database read
every row of a table, and a user with a person record (as real office staff have; the synthetic
ones have none) used to get one whether or not they sat on a team.

Timings are not asserted (the machine is shared); `make bench-pg SCALE=3 BENCH_ARGS="--only …"`
measures them, and the issue's note has the numbers.
"""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
from django.apps import apps
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext, override_settings

from xuncha.accounts.models import Person, User
from xuncha.accounts.permissions import ROLE_PERMS, Perm, scope_queryset, user_roles
from xuncha.fieldwork.models import WorkingPaper
from xuncha.findings.models import Problem
from xuncha.plans.access import member_rows
from xuncha.plans.models import TeamMember
from xuncha.synth.bench.pages import later_phases, pages
from xuncha.synth.bench.picks import Picks, pick
from xuncha.synth.bench.runner import clients
from xuncha.synth.context import TINY
from xuncha.synth.generate import generate
from xuncha.synth.tests.conftest import AS_OF

pytestmark = pytest.mark.django_db

COUNTY = replace(TINY, extra_staff=0)
# The neighbours: many times the county's rows in every big table.
NEIGHBOUR = replace(
    TINY, targets_per_round=8, papers_per_target=40, records_per_target=25, reports_per_target=25, extra_staff=0
)
BIG = {
    "findings_problem",
    "findings_inspectionreport",
    "rectification_task",
    "rectification_rectificationplan",
    "fieldwork_workingpaper",
    "fieldwork_fieldrecord",
    "intake_report",
    "transfers_transfer",
    "audit_auditentry",
}
# The filters the lists offer, set, beside the unfiltered pages.
FILTERED = {
    "transfers": "?state=handling&kind=clue",
    "reports": "?state=triaged&channel=letter",
    "audit log": "?action=plans.&date_from=2026-01-01",
    "fix notices": "?state=issued",
    "papers": "?state=signed",
    "field records": "?kind=interview",
}
COUNTY_ROLES = ("staff", "head")


def _county_pages(picks: Picks) -> list[tuple[str, str, str]]:
    """(name, role, url) of the county office's list pages, each also with its filters set."""
    out = []
    for page in pages(picks) + later_phases(picks):
        if page.kind == "list" and page.role in COUNTY_ROLES:
            out.append((f"{page.key} ({page.role})", page.role, page.url))
            if page.key in FILTERED:
                out.append((f"{page.key} ({page.role}) filtered", page.role, page.url + FILTERED[page.key]))
    return out


def _give_office_people(picks: Picks) -> None:
    """Each county office user gets a person record of their own, on no team."""
    free = Person.objects.exclude(pk__in=TeamMember.objects.values("person")).exclude(
        pk__in=User.objects.exclude(person=None).values("person")
    )
    people = list(free.order_by("id")[: len(COUNTY_ROLES)])
    assert len(people) == len(COUNTY_ROLES)
    for role, person in zip(COUNTY_ROLES, people, strict=True):
        User.objects.filter(pk=picks.users[role]).update(person=person)


def _nodes(plan: dict) -> list[dict]:
    out = [plan]
    for child in plan.get("Plans", []):
        out.extend(_nodes(child))
    return out


def _sequential_reads(sql: str, params: tuple = ()) -> set[str]:
    """The big tables the plan of ``sql`` scans sequentially, with sequential scans priced out."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN (FORMAT JSON) " + sql, params or None)
        plan = cursor.fetchone()[0]
    plan = plan if isinstance(plan, list) else json.loads(plan)
    return {n["Relation Name"] for n in _nodes(plan[0]["Plan"]) if n["Node Type"] == "Seq Scan"} & BIG


def _measure(*, neighbours: bool) -> dict[str, dict]:
    """Per county page: its query count, and (PostgreSQL) the big tables read sequentially."""
    with transaction.atomic():
        generate(counties=1, seed=5, as_of=AS_OF, sizes=COUNTY)
        if neighbours:
            generate(counties=2, seed=5, as_of=AS_OF, sizes=NEIGHBOUR, append=True)
        picks = pick()
        _give_office_people(picks)
        by_role = clients(picks)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")  # the planner sees the database as it is
        out = {}
        for name, role, url in _county_pages(picks):
            with CaptureQueriesContext(connection) as ctx:
                response = by_role[role].get(url)
            assert response.status_code == 200, f"{name}: HTTP {response.status_code}"
            sequential: dict[str, set[str]] = {}
            if connection.vendor == "postgresql":
                for query in ctx.captured_queries:
                    if query["sql"].lstrip("(").startswith("SELECT") and (tables := _sequential_reads(query["sql"])):
                        sequential[query["sql"][:400]] = tables
            out[name] = {"queries": len(ctx), "sequential": sequential}
        transaction.set_rollback(True)
    return out


@pytest.fixture(scope="module")
def measured(django_db_setup, django_db_blocker, tmp_path_factory):
    # Audit checkpoints off: every 100th audit row writes one, on whichever request comes then.
    media = tmp_path_factory.mktemp("media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media, XUNCHA_AUDIT_CHECKPOINT_EVERY=0):
        return _measure(neighbours=False), _measure(neighbours=True)


def test_county_pages_make_the_same_queries_beside_bigger_counties(measured):
    alone, beside = measured
    assert len(alone) >= 20 and alone.keys() == beside.keys()
    grown = {
        k: (alone[k]["queries"], beside[k]["queries"]) for k in alone if alone[k]["queries"] != beside[k]["queries"]
    }
    assert not grown, f"county pages whose query count changes with the neighbours (alone → beside): {grown}"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="EXPLAIN plans are PostgreSQL's")
def test_county_pages_read_no_big_table_sequentially(measured):
    _alone, beside = measured
    scans = {name: result["sequential"] for name, result in beside.items() if result["sequential"]}
    assert not scans, f"county pages whose queries no index serves: {scans}"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="EXPLAIN plans are PostgreSQL's")
def test_the_scan_check_can_fail(synth):
    # A filter on a column no index holds: the planner has no other way than reading the table.
    sql, params = WorkingPaper.objects.filter(place="x").order_by().query.sql_with_params()
    assert _sequential_reads(sql, params) == {"fieldwork_workingpaper"}


# --- the filter itself --------------------------------------------------------------------------

SCOPED = [m for m in apps.get_models() if getattr(m, "SCOPE_PATH_FIELD", None)]
MEMBERSHIP_TABLES = ("plans_teammember", "rectification_leaderassignment", "findings_feedbackcopy")


def _where(qs) -> str:
    """The WHERE clause of ``qs`` (compiled, not run)."""
    sql = str(qs.order_by().query)
    return sql[sql.index(" WHERE ") :] if " WHERE " in sql else ""


def test_an_office_user_on_no_team_gets_one_path_filter(synth):
    """For every scoped model and every code the office holds: one prefix of the granted path, no
    membership subquery (the kinds of membership are read with the grants, in the same query)."""
    picks = pick()
    _give_office_people(picks)
    staff = User.objects.get(pk=picks.users["staff"])
    assert staff.person_id is not None
    codes = {code for role in user_roles(staff) for code in ROLE_PERMS[role]}
    checked = 0
    for model in SCOPED:
        for code in codes:
            where = _where(scope_queryset(staff, code, model._default_manager.all()))
            assert where.count(" LIKE ") == 1, (model._meta.label, code, where)
            others = [t for t in MEMBERSHIP_TABLES if t != model._meta.db_table]
            assert not any(table in where for table in others), (model._meta.label, code, where)
            checked += 1
    assert checked > 500


def test_a_member_and_an_office_user_on_a_team_keep_their_membership(synth):
    """The other side: a team member is scoped by membership alone; an office user who also sits
    on a team gets both conditions (the team may inspect another county) and sees the team's rows."""
    picks = pick()
    member = User.objects.get(pk=picks.users["member"])
    teams = sorted(member_rows(member).values_list("team_id", flat=True))
    where = _where(scope_queryset(member, Perm.FINDING_VIEW, Problem.objects.all()))
    # The member's teams as literal ids (read once per request), which the team index serves.
    assert '"findings_problem"."team_id" IN (' in where and " LIKE " not in where, where
    assert all(str(team) in where for team in teams), where
    # The member's person becomes the office user's: an office user on a team.
    person = member.person_id
    User.objects.filter(pk=member.pk).update(person=None)
    User.objects.filter(pk=picks.users["staff"]).update(person=person)
    staff = User.objects.get(pk=picks.users["staff"])
    where = _where(scope_queryset(staff, Perm.FINDING_VIEW, Problem.objects.all()))
    assert '"findings_problem"."team_id" IN (' in where and where.count(" LIKE ") == 1, where
    teams = Problem.objects.filter(team__members__person_id=person)
    assert teams.exists()
    assert set(teams) <= set(scope_queryset(staff, Perm.FINDING_VIEW, Problem.objects.all()))
