"""Rounds, targets, teams: the rules an office relies on."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied

from xuncha.accounts.permissions import Role
from xuncha.accounts.tests.factories import make_person, make_user
from xuncha.audit.models import AuditEntry
from xuncha.common.actors import SYSTEM
from xuncha.common.exceptions import ServiceError
from xuncha.findings.models import Feedback, FeedbackState
from xuncha.plans import services
from xuncha.plans.models import RoundEvent, RoundMode, RoundState, TeamRole
from xuncha.plans.tests.factories import make_round, make_staffed_team


@pytest.fixture
def staff(world):
    return make_user(world.a["dept"], Role.OFFICE_STAFF, scope=world.a["county"])


def test_round_dates_and_number_checked(world, staff):
    with pytest.raises(ServiceError, match="撤离日期不能早于进驻日期"):
        services.round_create(
            actor=staff,
            jurisdiction=world.a["county"],
            year=2026,
            number=1,
            name="x",
            entry_date=date(2026, 9, 2),
            exit_date=date(2026, 9, 1),
        )
    make_round(world.a["county"])
    with pytest.raises(ServiceError, match="已经存在"):
        make_round(world.a["county"])
    with pytest.raises(ServiceError, match="县（市、区）以上"):
        services.round_create(
            actor=staff,
            jurisdiction=world.a["town"],
            year=2026,
            number=2,
            name="x",
            entry_date=date(2026, 9, 1),
            exit_date=date(2026, 9, 2),
        )


def test_round_outside_scope_refused(world, staff):
    with pytest.raises(PermissionDenied):
        services.round_create(
            actor=staff,
            jurisdiction=world.b["county"],
            year=2026,
            number=1,
            name="x",
            entry_date=date(2026, 9, 1),
            exit_date=date(2026, 9, 2),
        )


def test_unit_in_two_overlapping_rounds_refused(world, staff):
    r1 = make_round(world.a["county"], number=1, entry=date(2026, 9, 1), exit=date(2026, 10, 31))
    r2 = make_round(world.a["county"], number=2, entry=date(2026, 10, 15), exit=date(2026, 12, 15))
    r3 = make_round(world.a["county"], number=3, entry=date(2026, 11, 1), exit=date(2026, 12, 15))
    services.round_target_add(actor=staff, rnd=r1, unit=world.a["town"])
    with pytest.raises(ServiceError, match="时间重叠"):
        services.round_target_add(actor=staff, rnd=r2, unit=world.a["town"])
    services.round_target_add(actor=staff, rnd=r3, unit=world.a["town"])  # no overlap: fine
    assert AuditEntry.objects.filter(action="plans.target.add").count() == 2


def test_target_rules(world, staff):
    rnd = make_round(world.a["county"])
    with pytest.raises(ServiceError, match="专项主题"):
        services.round_target_add(actor=staff, rnd=rnd, unit=world.a["town"], mode=RoundMode.THEMATIC)
    with pytest.raises(ServiceError, match="原巡察轮次"):
        services.round_target_add(actor=staff, rnd=rnd, unit=world.a["town"], mode=RoundMode.LOOK_BACK)
    with pytest.raises(ServiceError, match="行政区域本身"):
        services.round_target_add(actor=staff, rnd=rnd, unit=world.a["county"])
    services.round_target_add(actor=staff, rnd=rnd, unit=world.a["dept"], mode=RoundMode.THEMATIC, theme="惠民资金")
    with pytest.raises(ServiceError, match="已是本轮巡察对象"):
        services.round_target_add(actor=staff, rnd=rnd, unit=world.a["dept"])


def test_look_back_must_point_at_a_round_that_inspected_the_unit(world, staff):
    old = make_round(world.a["county"], year=2025, entry=date(2025, 3, 1), exit=date(2025, 4, 30))
    services.round_target_add(actor=staff, rnd=old, unit=world.a["town"])
    new = make_round(world.a["county"])
    with pytest.raises(ServiceError, match="不在原巡察轮次"):
        services.round_target_add(
            actor=staff, rnd=new, unit=world.a["dept"], mode=RoundMode.LOOK_BACK, original_round=old
        )
    t = services.round_target_add(
        actor=staff, rnd=new, unit=world.a["town"], mode=RoundMode.LOOK_BACK, original_round=old
    )
    assert t.original_round == old


def test_member_in_two_teams_of_a_round_and_duplicates_refused(world, staff):
    rnd = make_round(world.a["county"])
    t1 = services.team_create(actor=staff, rnd=rnd)
    t2 = services.team_create(actor=staff, rnd=rnd)
    assert (str(t1), str(t2)) == ("第一巡察组", "第二巡察组")
    p = make_person(world.a["dept"], "孙八")
    services.team_member_add(actor=staff, team=t1, person=p, role=TeamRole.LEADER)
    with pytest.raises(ServiceError, match="已是本组成员"):
        services.team_member_add(actor=staff, team=t1, person=p)
    with pytest.raises(ServiceError, match="同一轮次不能参加两个巡察组"):
        services.team_member_add(actor=staff, team=t2, person=p)
    with pytest.raises(ServiceError, match="已有组长"):
        services.team_member_add(actor=staff, team=t1, person=make_person(world.a["dept"]), role=TeamRole.LEADER)


def test_round_walks_its_whole_life_with_guards(world, staff):
    rnd = make_round(world.a["county"])
    with pytest.raises(ServiceError, match="巡察对象"):
        services.round_transition(
            obj=rnd,
            action="approve",
            actor=staff,
            data={"approved_on": date(2026, 8, 1), "approval_meeting": "领导小组会"},
        )
    services.round_target_add(actor=staff, rnd=rnd, unit=world.a["town"])
    with pytest.raises(ServiceError, match="批准日期"):
        services.round_transition(obj=rnd, action="approve", actor=staff, data={})
    services.round_transition(
        obj=rnd,
        action="approve",
        actor=staff,
        data={"approved_on": date(2026, 8, 1), "approval_meeting": "领导小组第3次会议"},
    )
    services.round_transition(obj=rnd, action="prepare", actor=staff)
    with pytest.raises(ServiceError, match="尚未分配巡察组"):
        services.round_transition(obj=rnd, action="enter", actor=staff)
    team = make_staffed_team(rnd, [world.a["town"]], world.a["dept"])
    with pytest.raises(ServiceError, match="尚未发布巡察公告"):
        services.round_transition(obj=rnd, action="enter", actor=staff)
    target = rnd.targets.get()
    services.announcement_save(
        actor=staff, target=target, phone="0000-1234567", opens_on=date(2026, 9, 1), closes_on=date(2026, 10, 31)
    )
    services.round_transition(obj=rnd, action="enter", actor=staff)
    with pytest.raises(ServiceError, match="已进驻"):
        services.team_member_add(actor=staff, team=team, person=make_person(world.a["dept"]))
    with pytest.raises(ServiceError, match="当前状态下不能"):
        services.round_transition(obj=rnd, action="approve", actor=staff, data={})
    services.round_transition(obj=rnd, action="leave", actor=staff)
    with pytest.raises(ServiceError, match="尚未反馈：甲县青山镇"):
        services.round_transition(obj=rnd, action="feedback", actor=staff, data={"feedback_date": date(2026, 11, 20)})
    # Feedback itself is the findings app's business (tested there); here the unit is simply fed back.
    Feedback.objects.create(target=target, round=rnd, team=team, state=FeedbackState.SENT, sent_on=date(2026, 11, 20))
    for action, data in [
        ("feedback", {"feedback_date": date(2026, 11, 20)}),
        ("rectify", {}),
        ("evaluate", {}),
        ("archive", {}),
    ]:
        services.round_transition(obj=rnd, action=action, actor=staff, data=data)
    rnd.refresh_from_db()
    assert rnd.state == RoundState.ARCHIVED and rnd.feedback_date == date(2026, 11, 20)
    assert RoundEvent.objects.filter(round=rnd).count() == 8
    assert AuditEntry.objects.filter(action__startswith="plans.round.", target_id=str(rnd.pk)).count() == 9


def test_transition_needs_the_permission(world):
    rnd = make_round(world.a["county"])
    leader = make_user(world.a["dept"], Role.LEADING_GROUP, scope=world.a["county"])
    services.round_target_add(actor=SYSTEM, rnd=rnd, unit=world.a["town"])
    with pytest.raises(PermissionDenied):
        services.round_transition(
            obj=rnd, action="approve", actor=leader, data={"approved_on": date(2026, 8, 1), "approval_meeting": "会"}
        )


def test_term_plan_lists_units_and_coverage_shows_gaps_first(world, staff):
    from xuncha.plans.selectors import term_coverage

    plan = services.term_plan_create(
        actor=staff, jurisdiction=world.a["county"], name="十四届规划", start_year=2022, end_year=2026
    )
    names = set(plan.plan_units.values_list("unit__name", flat=True))
    assert names == {world.a["dept"].name, world.a["town"].name, world.a["village"].name}
    rnd = make_round(world.a["county"])
    services.round_target_add(actor=staff, rnd=rnd, unit=world.a["town"])
    services.round_transition(
        obj=rnd, action="approve", actor=staff, data={"approved_on": date(2026, 8, 1), "approval_meeting": "会"}
    )
    rows = term_coverage(plan=plan)
    assert [r.covered for r in rows] == [False, False, True] and rows[-1].unit == world.a["town"]
    with pytest.raises(ServiceError, match="已有届内巡察规划"):
        services.term_plan_create(
            actor=staff, jurisdiction=world.a["county"], name="重复", start_year=2026, end_year=2030
        )
