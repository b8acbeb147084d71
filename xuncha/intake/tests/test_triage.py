"""Triage of reports against the database: every step, its reply to the reporter, its refusals
(nothing written when refused), duplicates and merging, and the register's deadlines."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from xuncha.audit.models import AuditEntry
from xuncha.common.actors import SYSTEM
from xuncha.common.exceptions import ServiceError
from xuncha.common.models import DeadlineKey, DeadlineRule, DeadlineUnit
from xuncha.fieldwork.services import papers as paper_services
from xuncha.intake import selectors, services
from xuncha.intake.models import Report, ReportEvent, ReportMessage, ReportState
from xuncha.plans.models import RoundTarget

ACCEPT = {"subject": "leadership", "disciplines": ["integrity"], "reply": "已受理。"}


def _file(window, what="镇党委书记张明在村道工程中指定亲属承包，收受好处费五万元。", people="张明（镇党委书记）"):
    return services.report_file(announcement=window["announcement"], content={"what": what, "people": people}).report


@pytest.fixture
def report(window):
    return _file(window)


def _move(report, action, actor=SYSTEM, **data):
    return services.report_transition(obj=report, action=action, actor=actor, data=data)


def _paper(window, title="村道工程指定亲属承包"):
    return paper_services.paper_create(
        actor=window["users"]["member"], team=window["team"], target=window["target"], title=title
    )


def test_accept_classifies_replies_and_records_the_step(window, report):
    member = window["users"]["member"]
    report = _move(report, "accept", member, **ACCEPT)
    assert report.state == ReportState.ACCEPTED
    assert report.subject == "leadership" and report.disciplines == ["integrity"]
    reply = report.messages.get()
    assert reply.side == ReportMessage.Side.TEAM and services.message_text(reply) == "已受理。"
    event = report.events.get()
    assert (event.from_state, event.to_state, event.actor, event.message) == ("received", "accepted", member, reply)
    entry = AuditEntry.objects.get(action="intake.report.accept")
    assert entry.after["state"] == "accepted" and "已受理" not in str(entry.after)  # the reply text stays sealed


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({**ACCEPT, "subject": "other"}, "领导班子"),
        ({**ACCEPT, "disciplines": []}, "纪律"),
        ({**ACCEPT, "reply": "  "}, "答复"),
    ],
)
def test_accept_refused_out_of_scope_or_without_reply_writes_nothing(report, data, message):
    with pytest.raises(ServiceError, match=message):
        _move(report, "accept", **data)
    report.refresh_from_db()
    assert report.state == ReportState.RECEIVED and not report.subject
    assert not report.messages.exists() and not report.events.exists()


def test_forward_names_the_receiver(report):
    with pytest.raises(ServiceError, match="转交"):
        _move(report, "forward", subject="other", reply="已转交。")
    report = _move(report, "forward", subject="other", forwarded_to="县信访局", reply="已转交县信访局。")
    assert report.state == ReportState.FORWARDED and report.forwarded_to == "县信访局"
    assert report.events.get().detail == "县信访局"


def test_reject_and_close_need_a_reply_and_final_states_take_nothing_more(report):
    _move(report, "reject", reply="不属于受理范围。")
    report.refresh_from_db()
    for action in ("accept", "close", "link", "forward"):
        with pytest.raises(ServiceError, match="不予受理"):
            _move(report, action, **ACCEPT)
    with pytest.raises(ServiceError, match="不再接收"):
        services.message_add(report=report, side=ReportMessage.Side.REPORTER, text="补充")


def test_link_feeds_papers_of_the_same_unit_only(world, window, report):
    _move(report, "accept", **ACCEPT)
    paper = _paper(window)
    with pytest.raises(ServiceError, match="底稿"):
        _move(report, "link", papers=[])
    report = _move(report, "link", papers=[paper])
    assert report.state == ReportState.LINKED and list(report.papers.all()) == [paper]
    assert list(paper.reports.all()) == [report]
    # a paper about another unit cannot be fed by this report
    other_target = RoundTarget.objects.create(round=window["round"], unit=world.a["village"], team=window["team"])
    stranger = paper_services.paper_create(
        actor=window["users"]["member"], team=window["team"], target=other_target, title="别的单位"
    )
    with pytest.raises(ServiceError, match="本单位"):
        _move(report, "link", papers=[stranger])
    assert report.papers.count() == 1
    report = _move(report, "close", reply="已办结。")
    assert report.state == ReportState.CLOSED


def test_close_only_after_acceptance(report):
    with pytest.raises(ServiceError, match="已收到"):
        _move(report, "close", reply="已办结。")


def test_merge_into_a_report_about_the_same_unit(world, window, report):
    first = _file(window, what="张明书记把村里修路的工程给了他小舅子，拿了五万块钱好处。", people="张明")
    with pytest.raises(ServiceError, match="自身"):
        _move(report, "merge", into=report, reply="合并。")
    report = _move(report, "merge", into=first, reply="与同一事项合并办理。")
    assert report.state == ReportState.MERGED and report.merged_into == first
    assert list(first.duplicates.all()) == [report]
    # a third report cannot be merged into one that was itself merged
    third = _file(window)
    with pytest.raises(ServiceError, match="最终办理"):
        _move(third, "merge", into=report, reply="合并。")


def test_duplicates_are_flagged_by_name_or_similar_text(window, report):
    same_person = _file(window, what="反映修路工程的事情。", people="张明")
    similar = _file(window, what="村道硬化工程指定亲属承包，收受好处费。", people="")
    unrelated = _file(window, what="卫生院多收群众检查费。", people="李华")
    found = {c.report.pk: c for c in selectors.duplicate_candidates(user=window["users"]["member"], report=report)}
    assert same_person.pk in found and found[same_person.pk].shared_names == {"张明"}
    assert similar.pk in found and found[similar.pk].score >= 0.3
    assert unrelated.pk not in found


def test_team_members_of_other_teams_cannot_triage(window, report):
    from xuncha.accounts.tests.factories import make_user

    outsider = make_user(window["world"].a["dept"])
    with pytest.raises(PermissionDenied):
        _move(report, "accept", outsider, **ACCEPT)


# --- deadlines --------------------------------------------------------------------------------


def test_acknowledgement_then_reply_deadlines_are_derived_and_follow_the_rule(window, report):
    today = timezone.localdate()
    Report.objects.filter(pk=report.pk).update(received_on=today - timedelta(days=16))
    report = Report.objects.select_related("round__jurisdiction").get(pk=report.pk)
    clock = selectors.Clock(today)
    due = clock.due(report)
    assert due.on == today - timedelta(days=1) and due.overdue and due.days_overdue == 1
    # the county gives itself 20 days: the same report is no longer late
    DeadlineRule.objects.create(
        jurisdiction=window["round"].jurisdiction, key=DeadlineKey.REPORT_ACKNOWLEDGE, amount=20, unit=DeadlineUnit.DAYS
    )
    due = selectors.Clock(today).due(report)
    assert not due.overdue and due.days_left == 4
    # once accepted, the reply deadline (60 days from receipt) runs instead
    report = _move(report, "accept", **ACCEPT)
    report = Report.objects.select_related("round__jurisdiction").get(pk=report.pk)
    assert selectors.Clock(today).due(report).on == today - timedelta(days=16) + timedelta(days=60)
    _move(report, "close", reply="已办结。")
    report = Report.objects.select_related("round__jurisdiction").get(pk=report.pk)
    assert selectors.Clock(today).due(report) is None


def test_overdue_filter_is_a_database_filter_matching_the_badges(window):
    today = timezone.localdate()
    ages = {"late": 16, "edge": 15, "fresh": 3, "late_accepted": 61, "accepted": 59}
    reports = {name: _file(window, what=name) for name in ages}
    for name, age in ages.items():
        Report.objects.filter(pk=reports[name].pk).update(received_on=today - timedelta(days=age))
    for name in ("late_accepted", "accepted"):
        _move(reports[name], "accept", **ACCEPT)
    clock = selectors.Clock(today)
    overdue = selectors.report_list(user=window["users"]["member"], overdue=True, clock=clock)
    assert {r.pk for r in overdue} == {reports["late"].pk, reports["late_accepted"].pk}
    every = selectors.report_list(user=window["users"]["member"], clock=clock)
    assert {r.pk for r in every if clock.due(r).overdue} == {r.pk for r in overdue}


def test_events_list_nothing_of_the_reply(window, report):
    _move(report, "accept", **ACCEPT)
    assert not ReportEvent.objects.filter(detail__contains="已受理").exists()
