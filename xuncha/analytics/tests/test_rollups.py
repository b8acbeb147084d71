"""The rollups against a live recount after every kind of change.

One round of county A walks the whole loop through the services (problems written, reclassified,
tagged and deleted; work on site and a report from the public; the report approved and the
feedback sent; a clue transferred, acknowledged, disposed of, reported on and closed; a plan
drafted, returned, approved; measures added, removed, re-dated, requested, rejected, closed and
found done in stage; rules, money and accountability; a clean-up; the round archived), and after
each step every figure the statistics pages show from the rollups equals the live selectors' count
(``rollups.verify``), for the county office, the city's upper office, the leading group and the
unit itself, over the whole jurisdiction, one round, one unit and one year. What depends on today
(warning levels, overdue measures and transfers) moves with the date and no recount.
"""

from __future__ import annotations

import sys
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import DEFAULT_DB_ALIAS
from django.utils import timezone

from xuncha.accounts.permissions import Role
from xuncha.accounts.tests.factories import make_unit, make_user
from xuncha.analytics.models import AreaRollup, Kind, Rollup, RollupMark
from xuncha.analytics.rollups import rebuild_rollups, rollups_current
from xuncha.analytics.rollups.areas import regroup
from xuncha.analytics.rollups.verify import dashboard_differences, round_differences
from xuncha.analytics.selectors import dashboard as stats
from xuncha.analytics.selectors import dashboard_rollups
from xuncha.analytics.selectors.figures_rollups import round_counts
from xuncha.common.actors import SYSTEM
from xuncha.fieldwork.models import RecordKind
from xuncha.fieldwork.services import fixes as fix_services
from xuncha.fieldwork.services import records as record_services
from xuncha.fieldwork.tests.factories import on_site, pdf
from xuncha.findings.models import FocusItem, Tag
from xuncha.findings.services import feedback as feedback_services
from xuncha.findings.services import problems as problem_services
from xuncha.findings.tests.factories import (
    draft,
    findings_site,
    problem,
    ready_feedback,
    signed_paper,
    walk,
    with_focus_list,
)
from xuncha.intake import services as intake_services
from xuncha.plans import services as plan_services
from xuncha.rectification.models import Task
from xuncha.rectification.services import accountability as accountability_services
from xuncha.rectification.services import campaigns as campaign_services
from xuncha.rectification.services import plans as rect_services
from xuncha.rectification.services import results as result_services
from xuncha.rectification.services import tasks as task_services
from xuncha.transfers import services as transfer_services

TODAY = timezone.localdate
FED_DAYS_AGO = 60  # the feedback was sent two months ago: measures can be late already


def agree(s: dict) -> None:
    """Every figure from the rollups equals the live count, for every reader and filter."""
    rnd, town = s["round"], s["town"]
    for user in s["readers"]:
        scope = stats.scope_for(user)
        for f in (stats.Filters(), stats.Filters(round=rnd), stats.Filters(unit=town), stats.Filters(year=rnd.year)):
            assert dashboard_differences(scope, f) == [], (user.username, f)
    for user in (s["office"], s["liaison"], s["upper"]):
        for unit in (None, town):
            assert round_differences(user, rnd, unit) == [], (user.username, unit)


def summary(user) -> dict:
    return dashboard_rollups.figures(dashboard_rollups.statistics_scope(user), stats.Filters()).summary


@pytest.fixture
def s(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    site = findings_site(world)
    other = on_site(world, "b")  # another county's round: never in county A's figures
    county, town = world.a["county"], world.a["town"]
    commission = make_unit(county, "甲县纪委监委", "department")
    readers = {
        "office": make_user(world.a["dept"], Role.OFFICE_STAFF, scope=county),
        "leading": make_user(county, Role.LEADING_GROUP, scope=county),
        "upper": make_user(world.city, Role.UPPER_OFFICE, scope=world.city),
        "liaison": make_user(town, Role.UNIT_LIAISON, scope=town),
    }
    return {
        **site,
        **readers,
        "readers": list(readers.values()),
        "world": world,
        "other": other,
        "town": town,
        "unit_leader": make_user(town, Role.UNIT_LEADER, scope=town),
        "commission": commission,
        "jw": make_user(commission, Role.DISCIPLINE_RECEIVER, scope=commission),
        "edu": make_unit(county, "甲县教育局", "department"),
    }


def _findings(s: dict) -> list:
    """Problems written, reclassified under a sub-item and tagged, one deleted; work on site."""
    agree(s)
    first = problem(s, title="违规发放津贴补贴")
    agree(s)
    assert summary(s["office"])["problems"] == 1 and summary(s["liaison"])["problems"] == 0  # not fed back
    second = problem(s, item=2, title="选人用人不规范")
    sub = FocusItem.objects.filter(parent=s["items"][0]).order_by("position").first()
    tags = list(Tag.objects.order_by("pk")[:2])
    problem_services.problem_update(actor=s["users"]["member"], problem=first, focus_items=[sub], tags=tags)
    problem_services.problem_update(actor=s["users"]["member"], problem=second, tags=tags[:1])
    agree(s)
    gone = problem(s, item=1, title="重复录入的问题")
    agree(s)
    problem_services.problem_delete(actor=s["users"]["member"], problem=gone)
    agree(s)
    assert summary(s["office"])["problems"] == 2
    member = s["users"]["member"]
    record_services.record_create(
        actor=member, team=s["team"], target=s["target"], kind=RecordKind.VISIT, title="走访", occurred_on=TODAY()
    )
    paper = signed_paper(s, title="食堂账目不清")
    fix_services.fix_issue(actor=member, paper=paper, requirement="立即整改", due_on=TODAY() + timedelta(days=10))
    announcement = plan_services.announcement_save(
        actor=SYSTEM, target=s["target"], phone="1", opens_on=TODAY(), closes_on=TODAY(), published_on=TODAY()
    )
    filed = intake_services.report_file(announcement=announcement, content={"what": "村道工程指定亲属承包。"}).report
    intake_services.report_transition(
        obj=filed,
        action="accept",
        actor=member,
        data={"subject": "leadership", "disciplines": ["integrity"], "reply": "已受理。"},
    )
    agree(s)
    return [first, second]


def _feedback(s: dict) -> None:
    walk(draft(s), s, s["world"], until="approve")
    agree(s)
    sent_on = TODAY() - timedelta(days=FED_DAYS_AGO)
    feedback = ready_feedback(s, s["world"])
    feedback = feedback_services.feedback_update(
        actor=s["users"]["leader"], feedback=feedback, meeting_on=sent_on, main_leader_on=sent_on
    )
    s["feedback"] = feedback_services.feedback_send(actor=s["users"]["leader"], feedback=feedback, sent_on=sent_on)
    agree(s)
    assert summary(s["liaison"])["problems"] == 2  # now the unit's own


def _transfer(s: dict) -> None:
    transfer = transfer_services.transfer_send(
        actor=s["office"], round=s["round"], kind="clue", receiver=s["commission"], target=s["target"],
        title="张某违规发放津贴补贴问题线索", summary="张某违规发放津贴补贴3.2万元。", persons="张某", persons_count=1,
        sent_on=TODAY() - timedelta(days=100),
    )  # fmt: skip
    agree(s)
    assert round_counts(s["office"], s["round"]).transfers_overdue() == 1  # 3 months without a report back
    for action, data in (
        ("acknowledge", {}),
        ("dispose", {"disposal": "verify"}),
        ("report", {"result": "经初步核实，问题属实，已给予诫勉处理。"}),
    ):
        transfer = transfer_services.transfer_transition(obj=transfer, action=action, actor=s["jw"], data=data)
        agree(s)
    transfer_services.transfer_transition(obj=transfer, action="close", actor=s["office"])
    agree(s)
    assert summary(s["office"])["transfers"] == 1 and summary(s["liaison"]).get("transfers") is None


def _task(s: dict, plan, problem, due_in: int, horizon: str = "deadline") -> Task:
    return rect_services.task_add(
        actor=s["liaison"], plan=plan, problem=problem, measure="清退违规发放的补贴", standard="全部清退",
        horizon=horizon, due_on=TODAY() + timedelta(days=due_in), lead_dept="镇党政办", owner="张某",
        **({"report_interval": 3} if horizon == "long_term" else {}),
    )  # fmt: skip


def _plan(s: dict, first, second) -> list[Task]:
    plan = rect_services.plan_create(actor=s["liaison"], feedback=s["feedback"])
    agree(s)
    red = _task(s, plan, first, -3)  # due since the feedback was sent, passed three days ago
    yellow = _task(s, plan, second, 5)
    green = _task(s, plan, second, 15, horizon="long_term")
    later = _task(s, plan, first, 40)
    extra = _task(s, plan, first, 50)
    agree(s)
    assert summary(s["office"])["overdue"] == 1 and summary(s["office"])["open_tasks"] == 5
    rect_services.task_remove(actor=s["liaison"], task=extra)
    rect_services.task_update(actor=s["liaison"], task=later, due_on=TODAY() + timedelta(days=45))
    agree(s)
    rect_services.plan_transition(obj=plan, action="submit", actor=s["unit_leader"])
    rect_services.plan_transition(obj=plan, action="start_review", actor=s["office"])
    rect_services.plan_transition(obj=plan, action="return", actor=s["office"], data={"comment": "措施不具体"})
    agree(s)
    rect_services.plan_transition(obj=plan, action="submit", actor=s["unit_leader"])
    rect_services.plan_transition(obj=plan, action="start_review", actor=s["office"])
    s["plan"] = rect_services.plan_transition(obj=plan, action="approve", actor=s["office"])
    agree(s)
    return [red, yellow, green, later]


def _move(s: dict, task: Task, action: str, actor: str, **data) -> Task:
    return task_services.task_transition(obj=task, action=action, actor=s[actor], data=data)


def _rectify(s: dict, first, tasks: list[Task]) -> None:
    red, yellow, green, later = tasks
    _move(s, red, "request", "liaison", text="已清退", uploads=[pdf()])
    agree(s)
    _move(s, red, "reject", "office", text="凭证不全")
    agree(s)
    _move(s, red, "request", "liaison", text="补充凭证", uploads=[pdf()])
    _move(s, red, "close", "office", text="核验属实")
    _move(s, later, "request", "liaison", text="已清退", uploads=[pdf()])
    _move(s, later, "close", "office", text="核验属实")
    agree(s)
    assert summary(s["office"])["done"] == 1  # the first problem's measures are all done
    _move(s, green, "request", "liaison", text="阶段性完成", uploads=[pdf()])
    _move(s, green, "ongoing", "office", text="长期坚持")
    agree(s)
    plan = s["plan"]
    result_services.mechanism_create(
        actor=s["liaison"], plan=plan, title="补贴发放管理办法", kind="new", issued_on=TODAY()
    )
    result_services.recovery_create(
        actor=s["liaison"], plan=plan, amount="3200.50", description="清退补贴", recovered_on=TODAY()
    )
    accountability_services.accountability_create(
        actor=s["office"], plan=plan, problems=[first], subject_kind="cadre", subject_name="李某",
        position="镇党委副书记", form="talk", deciding_body="县纪委监委", doc_no="县纪发〔2026〕12号",
        decided_on=TODAY(),
    )  # fmt: skip
    agree(s)
    make_user(s["edu"], Role.SECTOR_RECEIVER, scope=s["edu"])
    campaign_services.campaign_create(
        actor=s["office"], sector_dept=s["edu"], problems=[first], title="津贴补贴专项整治", description="全面清查",
        standard="全部清退", due_on=TODAY() + timedelta(days=90),
    )  # fmt: skip
    agree(s)


def _archive(s: dict) -> None:
    rnd = s["round"]
    steps = [
        ("leave", {}),
        ("feedback", {"feedback_date": TODAY() - timedelta(days=FED_DAYS_AGO)}),
        ("rectify", {}),
        ("evaluate", {}),
        ("archive", {}),
    ]
    for action, data in steps:
        rnd = plan_services.round_transition(obj=rnd, action=action, actor=SYSTEM, data=data)
    s["round"] = rnd
    agree(s)


def test_rollups_equal_a_live_recount_after_every_change(s):
    first, second = _findings(s)
    _feedback(s)
    _transfer(s)
    tasks = _plan(s, first, second)
    _rectify(s, first, tasks)
    _archive(s)


def test_what_depends_on_today_moves_with_the_date_without_a_recount(s, monkeypatch):
    first, second = _findings(s)
    _feedback(s)
    _plan(s, first, second)
    levels = {
        r["level"]: r["n"]
        for r in dashboard_rollups.figures(stats.scope_for(s["office"]), stats.Filters()).overdue_by_level
    }
    assert levels == {"red": 1, "yellow": 1, "green": 1}
    written = RollupMark.objects.get().refreshed_at
    later = TODAY() + timedelta(days=20)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: later)
    agree(s)  # live and rollups alike, on the later day
    assert RollupMark.objects.get().refreshed_at == written  # nothing was recounted
    assert summary(s["office"])["overdue"] == 3  # the yellow and the green measure are late now


def test_a_change_recounts_only_its_round_and_its_kinds(s):
    first, second = _findings(s)
    rollups_current()
    other = set(Rollup.objects.exclude(round=s["round"]).values_list("pk", flat=True))
    targets = set(Rollup.objects.filter(round=s["round"], kind=Kind.TARGET).values_list("pk", flat=True))
    problems = set(Rollup.objects.filter(round=s["round"], kind=Kind.PROBLEM).values_list("pk", flat=True))
    problem_services.problem_update(actor=s["users"]["member"], problem=first, severity="grave")
    rollups_current()
    assert set(Rollup.objects.exclude(round=s["round"]).values_list("pk", flat=True)) == other
    assert set(Rollup.objects.filter(round=s["round"], kind=Kind.TARGET).values_list("pk", flat=True)) == targets
    assert not problems & set(Rollup.objects.filter(round=s["round"], kind=Kind.PROBLEM).values_list("pk", flat=True))
    assert round_counts(s["office"], s["round"]).problems_by_severity()["rows"][-1] == {"label": "严重", "n": 1}


def test_writes_that_bypass_the_services_need_a_rebuild_and_the_check_finds_them(s):
    first, second = _findings(s)
    _feedback(s)
    rollups_current()
    # No audit row, as the synthetic generator's bulk rows or a fix in a shell: not seen until rebuilt.
    Task.objects.bulk_create(
        [Task(plan=rect_services.plan_create(actor=s["liaison"], feedback=s["feedback"]), problem=first, number=1,
              measure="措施", standard="标准", due_on=TODAY() - timedelta(days=1), lead_dept="镇党政办", owner="张某")]
    )  # fmt: skip
    RollupMark.objects.update(seq=10**9)  # and nothing audited since
    with pytest.raises(CommandError, match="不一致"):
        call_command("analytics_rollup", "--check", stdout=StringIO(), stderr=StringIO())
    assert rebuild_rollups() > 0
    agree(s)
    out = StringIO()
    call_command("analytics_rollup", "--check", stdout=out, stderr=StringIO())
    assert "一致" in out.getvalue() and summary(s["office"])["overdue"] == 1


def _areas() -> list[tuple]:
    fields = ("jurisdiction_id", "year", "area_path", "kind", "key", "focus_id", "tag_id", "receiver_id", "day", "n")
    return sorted(AreaRollup.objects.values_list(*fields, "round_id", "unit_id", "part", "amount"), key=repr)


def test_the_area_rows_are_the_unit_rows_regrouped_and_answer_whole_jurisdictions_only(s, monkeypatch):
    # The walk's figures against the live count are the first test's (the area rows included, for the
    # county office and the upper office); here they are compared once, at the end.
    check = agree
    monkeypatch.setattr(sys.modules[__name__], "agree", lambda s: None)
    first, _second = _findings(s)
    problem(with_focus_list(s["other"]), title="乙县的问题")
    rollups_current()
    kept = _areas()
    county = s["world"].a["county"]
    # A change regroups its own round's jurisdiction and year only.
    others = set(AreaRollup.objects.exclude(jurisdiction=county).values_list("pk", flat=True))
    assert others
    problem_services.problem_update(actor=s["users"]["member"], problem=first, tags=[])
    rollups_current()
    assert set(AreaRollup.objects.exclude(jurisdiction=county).values_list("pk", flat=True)) == others
    assert _areas() != kept
    _feedback(s)
    _transfer(s)
    rollups_current()
    kept = _areas()
    assert {row[3] for row in kept} >= {"round", "focus", "fed", "tag", "transfer"}
    # Each unit's rows fall in its county: the town's, under county A's path (the area is the county).
    assert {row[2] for row in kept if row[0] == county.pk} == {county.path}
    regroup(DEFAULT_DB_ALIAS, None)  # kept after every change as a regroup from scratch would make them
    assert _areas() == kept
    check(s)
    # Who reads them: an office over whole jurisdictions; with a round or a unit chosen, or a unit's
    # own scope, the rows per round and unit.
    rnd = s["round"]
    for user in (s["office"], s["upper"]):
        scope = dashboard_rollups.statistics_scope(user)
        assert dashboard_rollups._areas_serve(scope, stats.Filters())
        assert dashboard_rollups._areas_serve(scope, stats.Filters(year=rnd.year))
        assert not dashboard_rollups._areas_serve(scope, stats.Filters(round=rnd))
        assert not dashboard_rollups._areas_serve(scope, stats.Filters(unit=s["town"]))
    assert not dashboard_rollups._areas_serve(dashboard_rollups.statistics_scope(s["liaison"]), stats.Filters())
