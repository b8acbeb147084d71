"""Pre-entry briefings, recusal declarations, team particulars and the term plan's minutes."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from xuncha.accounts.permissions import Role
from xuncha.accounts.tests.factories import make_person, make_user
from xuncha.common.exceptions import ServiceError
from xuncha.fieldwork.tests.factories import pdf
from xuncha.plans import services
from xuncha.plans.models import TeamRole
from xuncha.plans.services.teams import RecusalBlocked
from xuncha.plans.tests.factories import make_round


@pytest.fixture
def staff(world):
    return make_user(world.a["dept"], Role.OFFICE_STAFF, scope=world.a["county"])


def test_briefing_with_attachment(world, staff, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    rnd = make_round(world.a["county"])
    briefing = services.briefing_add(
        actor=staff, rnd=rnd, source="audit", title="审计通报", filed_on=date(2026, 8, 1), uploads=[pdf()]
    )
    assert briefing.attachments.count() == 1
    with pytest.raises(ServiceError, match="晚于今天"):
        services.briefing_add(
            actor=staff, rnd=rnd, source="audit", title="x", filed_on=timezone.localdate() + timedelta(days=1)
        )
    with pytest.raises(ServiceError, match="通报部门"):
        services.briefing_add(actor=staff, rnd=rnd, source="nope", title="x", filed_on=date(2026, 8, 1))
    other = make_round(world.b["county"])
    with pytest.raises(PermissionDenied):
        services.briefing_add(actor=staff, rnd=other, source="audit", title="x", filed_on=date(2026, 8, 1))


def test_declaration_blocks_assignment_until_withdrawn(world, staff):
    rnd = make_round(world.a["county"])
    target = services.round_target_add(actor=staff, rnd=rnd, unit=world.a["town"])
    team = services.team_create(actor=staff, rnd=rnd)
    services.round_target_update(actor=staff, target=target, team=team)
    person = make_person(world.a["dept"], "申报人")
    declaration = services.declaration_add(
        actor=staff, person=person, unit=world.a["town"], source="unit", reason="与镇长系同学"
    )
    with pytest.raises(ServiceError, match="已经登记"):
        services.declaration_add(actor=staff, person=person, unit=world.a["town"], source="self", reason="重复")
    with pytest.raises(RecusalBlocked, match="与镇长系同学"):
        services.team_member_add(actor=staff, team=team, person=person)
    with pytest.raises(ServiceError, match="理由"):
        services.declaration_withdraw(actor=staff, declaration=declaration, reason="")
    services.declaration_withdraw(actor=staff, declaration=declaration, reason="经核实不存在利害关系")
    assert services.team_member_add(actor=staff, team=team, person=person)


def test_branch_secretary_must_be_a_member(world, staff):
    rnd = make_round(world.a["county"])
    team = services.team_create(actor=staff, rnd=rnd)
    leader = make_person(world.a["dept"], "组长甲")
    services.team_member_add(actor=staff, team=team, person=leader, role=TeamRole.LEADER)
    with pytest.raises(ServiceError, match="须是本组成员"):
        services.team_update(actor=staff, team=team, branch_secretary=make_person(world.a["dept"]))
    services.team_update(actor=staff, team=team, branch_secretary=leader, phone="0000-1")
    team.refresh_from_db()
    assert team.branch_secretary == leader and team.phone == "0000-1"


def test_term_minutes_stored_with_the_approval(world, staff, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    plan = services.term_plan_create(
        actor=staff, jurisdiction=world.a["county"], name="规划", start_year=2022, end_year=2026
    )
    services.term_plan_approve(
        actor=staff, plan=plan, approved_on=date(2022, 3, 1), meeting="领导小组会", minutes_upload=pdf("纪要.pdf")
    )
    plan.refresh_from_db()
    assert plan.minutes.original_name == "纪要.pdf" and plan.minutes.effective_date == date(2022, 3, 1)


def test_appraisal_after_entry_only(world, staff):
    from xuncha.plans.tests.factories import make_staffed_team

    rnd = make_round(world.a["county"])
    team = make_staffed_team(rnd, [world.a["town"]], world.a["dept"])
    member = team.members.first()
    with pytest.raises(ServiceError, match="进驻后"):
        services.member_appraise(actor=staff, member=member, grade="优秀")
    services.announcement_save(
        actor=staff, target=rnd.targets.get(), phone="1", opens_on=date(2026, 9, 1), closes_on=date(2026, 9, 2)
    )
    for action, data in [
        ("approve", {"approved_on": date(2026, 8, 1), "approval_meeting": "会"}),
        ("prepare", {}),
        ("enter", {}),
    ]:
        services.round_transition(obj=rnd, action=action, actor=staff, data=data)
    with pytest.raises(ServiceError, match="考核等次"):
        services.member_appraise(actor=staff, member=member, grade="满分")
    services.member_appraise(actor=staff, member=member, grade="优秀", note="工作扎实")
    member.refresh_from_db()
    assert (member.appraisal_grade, member.appraisal_note) == ("优秀", "工作扎实")


def test_training_records(world, staff):
    entry = services.pool_entry_save(actor=staff, person=make_person(world.a["dept"]), jurisdiction=world.a["county"])
    with pytest.raises(ServiceError, match="学时"):
        services.training_add(actor=staff, entry=entry, on=date(2026, 3, 1), title="巡察业务培训", hours=999)
    services.training_add(actor=staff, entry=entry, on=date(2026, 3, 1), title="巡察业务培训", hours=16)
    assert entry.trainings.get().hours == 16
