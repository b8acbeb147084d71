"""The audit log's date filters: the rows of local days, read through the created_at index."""

import json
from datetime import datetime
from unittest import mock

import pytest
from django.db import connection, transaction
from django.utils import timezone

from xuncha.audit.filters import AuditFilter
from xuncha.audit.models import AuditEntry
from xuncha.audit.services import audit_record
from xuncha.common.actors import SYSTEM


def _entry_at(local: datetime) -> AuditEntry:
    with mock.patch("django.utils.timezone.now", return_value=timezone.make_aware(local)):
        return audit_record(actor=SYSTEM, action="test.day", target_type="t")


def _seqs(**params: str) -> set[int]:
    return set(AuditFilter(params, AuditEntry.objects.filter(action="test.day")).qs.values_list("seq", flat=True))


def test_a_day_is_the_local_day(db):
    # Half an hour either side of local midnight: the same UTC day (Asia/Shanghai is UTC+8).
    late = _entry_at(datetime(2026, 3, 1, 23, 30)).seq
    early = _entry_at(datetime(2026, 3, 2, 0, 30)).seq
    assert _seqs(date_to="2026-03-01") == {late}
    assert _seqs(date_from="2026-03-02") == {early}
    assert _seqs(date_from="2026-03-01", date_to="2026-03-01") == {late}
    assert _seqs(date_from="2026-03-02", date_to="2026-03-01") == set()
    # The calendar's first and last days bound nothing (and answer, not fail).
    assert _seqs(date_from="0001-01-01", date_to="9999-12-31") == {late, early}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="EXPLAIN plans are PostgreSQL's")
def test_the_days_are_read_through_the_index(db):
    qs = AuditFilter({"date_from": "2026-03-01", "date_to": "2026-03-31"}, AuditEntry.objects.all()).qs
    sql, params = qs.query.sql_with_params()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # an empty table: scans would win otherwise
        cursor.execute("EXPLAIN (FORMAT JSON) " + sql, params)
        plan = cursor.fetchone()[0]
    text = json.dumps(plan if isinstance(plan, list) else json.loads(plan))
    assert '"Index Cond": "((created_at >=' in text, text
