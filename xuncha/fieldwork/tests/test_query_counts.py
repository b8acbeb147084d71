"""Fieldwork list and detail pages cost a fixed number of queries, however many rows they show."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from xuncha.accounts.permissions import Role
from xuncha.accounts.tests.factories import make_user
from xuncha.common.actors import SYSTEM
from xuncha.fieldwork import services
from xuncha.fieldwork.models import RecordKind
from xuncha.fieldwork.tests.factories import on_site, pdf

TODAY = timezone.localdate()


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def _grow(site, n):
    team, target = site["team"], site["target"]
    members = [m.person for m in team.members.all()][:2]
    for i in range(n):
        services.record_create(
            actor=SYSTEM,
            team=team,
            target=target,
            kind=RecordKind.INTERVIEW,
            title=f"谈话{i}",
            occurred_on=TODAY,
            category="cadre",
            interviewee_name=f"干部{i}",
            interviewers=members,
            uploads=[pdf(f"记录{i}.pdf")],
        )
        paper = services.paper_create(
            actor=SYSTEM, team=team, target=target, title=f"问题{i}", facts="事实", basis="依据", resp_first=True
        )
        services.paper_evidence_add(actor=SYSTEM, paper=paper, uploads=[pdf(), pdf("二.pdf")], description="证据")
        services.paper_transition(obj=paper, action="submit", actor=SYSTEM)
        services.fix_issue(actor=SYSTEM, paper=paper, requirement="整改", due_on=TODAY + timedelta(days=5))


@pytest.fixture
def site(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return on_site(world)


@pytest.mark.parametrize(
    ("name", "team_arg", "limit"),
    [("fieldwork:record_list", True, 9), ("fieldwork:paper_list", True, 9), ("fieldwork:fix_list", False, 8)],
)
def test_lists_do_not_grow(client, world, site, django_assert_max_num_queries, name, team_arg, limit):
    client.force_login(make_user(world.a["dept"], Role.OFFICE_HEAD, scope=world.a["county"]))
    url = reverse(name, args=[site["team"].pk] if team_arg else [])
    _grow(site, 2)
    small = _count(client, url)
    _grow(site, 6)
    large = _count(client, url)
    assert small == large, f"{name}: {small} queries with few rows, {large} with many"
    with django_assert_max_num_queries(limit):
        client.get(url)


def test_paper_page_is_flat(client, world, site, django_assert_max_num_queries):
    """A paper with 8 evidence items and 3 sources costs what one with 1 and 1 costs."""
    team, target = site["team"], site["target"]
    members = [m.person for m in team.members.all()][:2]
    records = [
        services.record_create(
            actor=SYSTEM,
            team=team,
            target=target,
            kind=RecordKind.INTERVIEW,
            title=f"谈话{i}",
            occurred_on=TODAY,
            category="cadre",
            interviewee_name="干部",
            interviewers=members,
        )
        for i in range(3)
    ]
    papers = []
    for n_evidence, n_sources in ((1, 1), (8, 3)):
        paper = services.paper_create(
            actor=SYSTEM,
            team=team,
            target=target,
            title="问题",
            facts="事实",
            basis="依据",
            resp_first=True,
            sources=records[:n_sources],
        )
        services.paper_evidence_add(
            actor=SYSTEM, paper=paper, uploads=[pdf(f"{i}.pdf") for i in range(n_evidence)], description="证据"
        )
        services.paper_transition(obj=paper, action="submit", actor=SYSTEM)
        papers.append(paper)
    client.force_login(site["users"]["leader"])
    small, large = (_count(client, p.get_absolute_url()) for p in papers)
    assert small == large
    with django_assert_max_num_queries(20):
        client.get(papers[1].get_absolute_url())
