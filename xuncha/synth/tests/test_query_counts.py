"""Regression guard: every list page of the benchmark costs the same number of queries whether the
county has a few rows or many (N+1 and per-row lookups fail here), for every role it is measured
as; a city office's pages cost the same with one county or three. Also: each page's hand-written
raw SQL runs on this database.

Detail pages are left to each app's own query-count tests: two data sets cannot offer the same
object, and a detail page's queries rightly depend on the object (its state, its channel)."""

from dataclasses import replace

import pytest
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from xuncha.accounts.models import User
from xuncha.fieldwork.models import WorkingPaper
from xuncha.intake.models import Report
from xuncha.synth.bench.pages import pages
from xuncha.synth.bench.picks import pick
from xuncha.synth.bench.raw import Raw
from xuncha.synth.context import TINY
from xuncha.synth.generate import generate
from xuncha.synth.tests.conftest import AS_OF

FEW = replace(TINY, reports_per_target=2, records_per_target=2, extra_staff=0)
# ≈ 1000 papers, reports and audit rows in the county: several pages of every list.
MANY = replace(TINY, papers_per_target=150, reports_per_target=25, records_per_target=30, extra_staff=8)


def _counts(sizes) -> tuple[dict[str, int], dict[str, int]]:
    with transaction.atomic():
        generate(counties=2, seed=3, as_of=AS_OF, sizes=sizes)
        picks = pick()
        volume = {"papers": WorkingPaper.objects.count(), "reports": Report.objects.count()}
        counts = {}
        clients = {}
        for page in pages(picks):
            if page.kind != "list":
                continue
            if page.role not in clients:
                clients[page.role] = Client()
                clients[page.role].force_login(User.objects.get(pk=picks.users[page.role]))
            with CaptureQueriesContext(connection) as ctx:
                response = clients[page.role].get(page.url)
            assert response.status_code == 200, f"{page.key} ({page.role}): HTTP {response.status_code}"
            counts[f"{page.key} ({page.role})"] = len(ctx)
        transaction.set_rollback(True)
    return counts, volume


@pytest.mark.django_db
def test_query_counts_do_not_grow_with_rows(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    few, few_volume = _counts(FEW)
    many, many_volume = _counts(MANY)
    assert many_volume["papers"] > 10 * few_volume["papers"] and many_volume["papers"] > 1000
    grown = {page: (few[page], many[page]) for page in few if few[page] != many[page]}
    assert not grown, f"query counts that grow with rows (few → many): {grown}"


def test_raw_sql_runs(synth):
    picks = pick()
    connection.ensure_connection()
    db = Raw(connection.connection, connection.vendor)
    for page in pages(picks):
        if page.raw is not None:
            page.raw(db, picks, page.role)


def _city_counts(counties: int) -> dict[str, int]:
    with transaction.atomic():
        generate(counties=counties, seed=3, as_of=AS_OF, sizes=FEW)
        picks = pick()
        client = Client()
        client.force_login(User.objects.get(pk=picks.users["city"]))
        counts = {}
        for page in pages(picks):
            if page.role == "city" and page.kind == "list":
                with CaptureQueriesContext(connection) as ctx:
                    assert client.get(page.url).status_code == 200
                counts[page.key] = len(ctx)
        transaction.set_rollback(True)
    return counts


# Pages whose query count is known to grow with the counties in scope (none now: the register of
# reports loads the deadline rules of every jurisdiction on the page in one query).
GROWS_WITH_JURISDICTIONS: set[str] = set()


@pytest.mark.django_db
def test_city_pages_do_not_grow_with_counties(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    one, three = _city_counts(1), _city_counts(3)
    grown = {k: (one[k], three[k]) for k in one if one[k] != three[k] and k not in GROWS_WITH_JURISDICTIONS}
    assert not grown, f"city pages whose query count grows with the counties in scope (1 → 3): {grown}"
    known = {k: (one[k], three[k]) for k in GROWS_WITH_JURISDICTIONS}
    assert all(a < b for a, b in known.values()), f"fixed? drop it from GROWS_WITH_JURISDICTIONS: {known}"
