"""Recusal: each relationship kind, the time windows, declarations and the justified override."""

from datetime import date

import pytest

from xuncha.accounts import services as accounts
from xuncha.accounts.models import RelationKind
from xuncha.accounts.permissions import Role
from xuncha.accounts.tests.factories import make_person, make_unit, make_user
from xuncha.common.actors import SYSTEM
from xuncha.plans import services
from xuncha.plans.models import RecusalDeclaration, RecusalOverride, TeamMember
from xuncha.plans.recusal import find_conflicts
from xuncha.plans.services.teams import RecusalBlocked
from xuncha.plans.tests.factories import make_round

TODAY = date(2026, 11, 29)


@pytest.fixture
def setup(world):
    town = world.a["town"]
    deputy = make_person(town, "李四", title="副镇长")  # holds a post in the inspected unit
    inspector = make_person(world.a["dept"], "张三", title="科员")
    return {"town": town, "deputy": deputy, "inspector": inspector, "world": world}


def reasons(person, units, **kw):
    return [c.reason for c in find_conflicts(person, units, today=TODAY, **kw)]


def test_no_relation_no_conflict(setup):
    assert reasons(setup["inspector"], [setup["town"]]) == []


@pytest.mark.parametrize(
    ("kind", "forward", "words"),
    [
        (RelationKind.SPOUSE, True, "配偶"),
        (RelationKind.SIBLING, True, "兄弟姐妹"),
        (RelationKind.COLLATERAL, True, "三代以内旁系血亲"),
        (RelationKind.IN_LAW, True, "近姻亲"),
        (RelationKind.PARENT_CHILD, True, "子女"),  # the inspector is the parent
        (RelationKind.PARENT_CHILD, False, "父母"),  # the inspector is the child
        (RelationKind.SUPERIOR, True, "曾经的直接下级"),  # the inspector was the superior
        (RelationKind.SUPERIOR, False, "曾经的直接上级"),
    ],
)
def test_each_relationship_kind_is_named(setup, kind, forward, words):
    a, b = (setup["inspector"], setup["deputy"]) if forward else (setup["deputy"], setup["inspector"])
    accounts.relationship_add(actor=SYSTEM, person=a, relative=b, kind=kind)
    assert reasons(setup["inspector"], [setup["town"]]) == [f"张三的{words}李四现任{setup['town'].name}副镇长"]


def test_relative_in_a_village_under_the_township_counts(setup):
    village_head = make_person(setup["world"].a["village"], "王五", title="村支书")
    accounts.relationship_add(actor=SYSTEM, person=setup["inspector"], relative=village_head, kind=RelationKind.SPOUSE)
    assert len(reasons(setup["inspector"], [setup["town"]])) == 1


def test_relative_whose_post_ended_is_no_conflict(setup):
    accounts.relationship_add(
        actor=SYSTEM, person=setup["inspector"], relative=setup["deputy"], kind=RelationKind.SPOUSE
    )
    post = setup["deputy"].posts.get()
    accounts.post_end(actor=SYSTEM, post=post, end_date=date(2025, 1, 1))
    assert reasons(setup["inspector"], [setup["town"]]) == []


def test_current_post_in_the_unit(setup):
    assert reasons(setup["deputy"], [setup["town"]]) == [f"李四现任{setup['town'].name}副镇长"]


@pytest.mark.parametrize(
    ("start", "end", "hit"),
    [
        (date(2020, 1, 1), date(2024, 6, 30), "离任未满3年"),  # left 2.4 years ago
        (date(2010, 1, 1), date(2020, 6, 30), "工作满3年"),  # left long ago but served 10 years
        (date(2021, 1, 1), date(2022, 6, 30), None),  # short and long ago: no conflict
        (date(2022, 1, 1), date(2023, 11, 28), None),  # left 3 years and a day ago, served < 3: outside
    ],
)
def test_time_windows_of_former_posts(setup, start, end, hit):
    accounts.post_add(
        actor=SYSTEM, person=setup["inspector"], unit=setup["town"], title="科员", start_date=start, end_date=end
    )
    found = reasons(setup["inspector"], [setup["town"]])
    if hit:
        assert len(found) == 1 and hit in found[0]
    else:
        assert found == []


def test_windows_are_configurable(setup):
    accounts.post_add(
        actor=SYSTEM,
        person=setup["inspector"],
        unit=setup["town"],
        title="科员",
        start_date=date(2021, 1, 1),
        end_date=date(2022, 6, 30),
    )
    assert reasons(setup["inspector"], [setup["town"]], recent_years=5)


def test_declarations_count_until_withdrawn(setup):
    decl = RecusalDeclaration.objects.create(
        person=setup["inspector"], unit=setup["town"], source="unit", reason="与党委书记有经济往来"
    )
    assert reasons(setup["inspector"], [setup["town"]]) == ["被巡察单位申请：与党委书记有经济往来"]
    decl.withdrawn = True
    decl.save()
    assert reasons(setup["inspector"], [setup["town"]]) == []


def test_only_the_units_in_question(setup):
    other = make_unit(setup["world"].a["county"], "甲县教育局", "department")
    assert reasons(setup["deputy"], [other]) == []


def test_query_count_is_fixed(setup, django_assert_num_queries):
    for i in range(5):
        relative = make_person(setup["town"], f"亲属{i}", title="干部")
        accounts.relationship_add(actor=SYSTEM, person=setup["inspector"], relative=relative, kind=RelationKind.IN_LAW)
    with django_assert_num_queries(4):
        assert len(reasons(setup["inspector"], [setup["town"], setup["world"].a["dept"]])) == 6


# --- the service: blocked, refused in words, overridden only by the office head -----------


@pytest.fixture
def team_setup(setup):
    world = setup["world"]
    rnd = make_round(world.a["county"])
    target = services.round_target_add(actor=SYSTEM, rnd=rnd, unit=setup["town"])
    team = services.team_create(actor=SYSTEM, rnd=rnd)
    services.round_target_update(actor=SYSTEM, target=target, team=team)
    accounts.relationship_add(
        actor=SYSTEM, person=setup["inspector"], relative=setup["deputy"], kind=RelationKind.SPOUSE
    )
    staff = make_user(world.a["dept"], Role.OFFICE_STAFF, scope=world.a["county"])
    head = make_user(world.a["dept"], Role.OFFICE_HEAD, scope=world.a["county"])
    return {**setup, "rnd": rnd, "team": team, "target": target, "staff": staff, "head": head}


def test_conflicted_member_is_refused_with_the_reason(team_setup):
    from xuncha.audit.models import AuditEntry

    with pytest.raises(RecusalBlocked) as exc:
        services.team_member_add(actor=team_setup["staff"], team=team_setup["team"], person=team_setup["inspector"])
    text = " ".join(exc.value.messages)
    assert f"张三的配偶李四现任{team_setup['town'].name}副镇长" in text
    assert not TeamMember.objects.exists()
    refusal = AuditEntry.objects.get(action="plans.team.recusal_refused")
    assert refusal.after["person_name"] == "张三"


def test_staff_cannot_override_even_with_a_reason(team_setup):
    with pytest.raises(RecusalBlocked):
        services.team_member_add(
            actor=team_setup["staff"], team=team_setup["team"], person=team_setup["inspector"], justification="熟悉情况"
        )
    assert not TeamMember.objects.exists()


def test_head_overrides_with_a_written_justification(team_setup):
    member = services.team_member_add(
        actor=team_setup["head"],
        team=team_setup["team"],
        person=team_setup["inspector"],
        justification="全县仅此一名审计专业人员",
    )
    override = RecusalOverride.objects.get(member=member)
    assert override.unit == team_setup["town"] and "配偶" in override.conflicts
    assert override.justification == "全县仅此一名审计专业人员" and override.decided_by == team_setup["head"]


def test_assigning_a_unit_checks_existing_members(team_setup):
    """The member is fine for the township, then the team takes on a unit where his wife works."""
    world = team_setup["world"]
    school = make_unit(world.a["county"], "甲县第一中学", "school")
    teacher = make_person(school, "赵六", title="副校长")
    qian = make_person(world.a["dept"], "钱七")
    member = services.team_member_add(actor=team_setup["staff"], team=team_setup["team"], person=qian)
    accounts.relationship_add(actor=SYSTEM, person=member.person, relative=teacher, kind=RelationKind.SPOUSE)
    target = services.round_target_add(actor=SYSTEM, rnd=team_setup["rnd"], unit=school)
    with pytest.raises(RecusalBlocked):
        services.round_target_update(actor=team_setup["staff"], target=target, team=team_setup["team"])
    target.refresh_from_db()
    assert target.team is None
