"""The main list queries can use an index on PostgreSQL (EXPLAIN with sequential scans priced out).

A tiny test database makes the planner prefer sequential scans whatever the indexes, so the
check prices them out (``enable_seqscan = off``). The planner may then walk a whole index and
filter (no better than a scan), so the test asks more: the list's table must be reached through an
index *condition* (``Index Cond`` or a bitmap's ``Recheck Cond``), i.e. an index serves the filter.
"""

import json

import pytest
from django.db import connection, transaction

from xuncha.accounts.models import User
from xuncha.accounts.selectors import person_list
from xuncha.fieldwork.selectors import fix_list, paper_list, record_list
from xuncha.findings.selectors import office_queue, problem_list
from xuncha.intake.selectors import report_list
from xuncha.notify.models import Notification
from xuncha.plans.models import RoundTarget, Team
from xuncha.plans.selectors import round_list
from xuncha.rectification.models import Task
from xuncha.rectification.selectors import plan_list
from xuncha.rectification.selectors.letters import letter_list
from xuncha.synth.bench.picks import pick
from xuncha.transfers.selectors import transfer_list
from xuncha.workspace.audit_log import audit_entry_list

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="EXPLAIN plans are PostgreSQL's; SQLite's planner has no enable_seqscan to price scans out",
)


def _nodes(plan: dict) -> list[dict]:
    out = [plan]
    for child in plan.get("Plans", []):
        out.extend(_nodes(child))
    return out


def _plan(qs) -> list[dict]:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        sql, params = qs.query.sql_with_params()
        cursor.execute("EXPLAIN (FORMAT JSON) " + sql, params)
        plan = cursor.fetchone()[0]
    plan = plan if isinstance(plan, list) else json.loads(plan)
    return _nodes(plan[0]["Plan"])


def _indexed(node: dict) -> bool:
    """Read through an index condition (a bitmap heap scan: its bitmap index scans' conditions)."""
    if node.get("Index Cond") or node.get("Recheck Cond"):
        return True
    children = node.get("Plans", [])
    return node["Node Type"] == "Bitmap Heap Scan" and bool(children) and all(_indexed(c) for c in children)


def _served_by_index(nodes: list[dict], table: str) -> bool:
    reads = [n for n in nodes if n.get("Relation Name") == table]
    return bool(reads) and all(_indexed(n) for n in reads)


def _queries(picks):
    later = _later(picks)
    staff = User.objects.get(pk=picks.users["staff"])
    head = User.objects.get(pk=picks.users["head"])
    member = User.objects.get(pk=picks.users["member"])
    team = Team.objects.get(pk=picks.team)
    return {
        "fieldwork_workingpaper": paper_list(user=member, team=team)[:25],
        "fieldwork_fieldrecord": record_list(user=staff, team=team)[:25],
        "fieldwork_fixnotice": fix_list(user=staff)[:25],
        "plans_round": round_list(user=staff)[:25],
        "accounts_person": person_list(user=staff)[:25],
        "audit_auditentry": audit_entry_list(user=head)[:25],
        "intake_report": report_list(user=staff)[:25],
        **later,
    }


def _later(picks):
    """Findings, transfers, rectification and the inbox: the registers' list queries."""
    staff = User.objects.get(pk=picks.users["staff"])
    unit = User.objects.get(pk=picks.users["unit"])
    target = RoundTarget.objects.get(pk=picks.fed_target)
    return {
        "findings_problem": problem_list(user=staff, target=target),
        "findings_inspectionreport": office_queue(user=staff)[:25],
        "transfers_transfer": transfer_list(user=staff)[:25],
        "rectification_rectificationplan": plan_list(user=unit)[:25],
        "rectification_task": Task.objects.filter(plan_id=picks.plan).order_by("number"),
        "rectification_escalationletter": letter_list(user=staff)[:25],
        "notify_notification": Notification.objects.filter(user=unit)[:25],
    }


def test_main_lists_use_an_index(synth):
    for table, qs in _queries(pick()).items():
        nodes = _plan(qs)
        assert _served_by_index(nodes, table), f"{table}: no index serves the list query: {nodes}"
        # The scope filter (everything under the county) is a path prefix: the org units are found
        # through an index, by the path (pattern ops) or by id from the other side of a join.
        for node in nodes:
            if node.get("Relation Name") == "accounts_orgunit" and "path" in (node.get("Filter") or ""):
                assert _indexed(node), node


def test_the_check_can_fail(synth):
    # A filter on a column without an index: the planner can only walk an index and filter. The
    # default ordering (by team, then the team's own order) is dropped: it joins plans_team, and the
    # planner may then reach the papers through the team index *for the join*, which would say
    # nothing about the filter (seen on CI: a nested loop from plans_team into paper_team_state).
    from xuncha.fieldwork.models import WorkingPaper

    query = WorkingPaper.objects.filter(place="x").order_by()
    assert not _served_by_index(_plan(query), "fieldwork_workingpaper")
