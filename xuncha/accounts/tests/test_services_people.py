"""People, posts and relationships: the data the recusal check will read."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from xuncha.accounts import services
from xuncha.accounts.models import Person, Post, RelationKind, Relationship
from xuncha.accounts.permissions import Role
from xuncha.accounts.tests.factories import make_person, make_user
from xuncha.audit.models import AuditEntry
from xuncha.common.exceptions import ServiceError


@pytest.fixture
def staff(world):
    return make_user(world.a["dept"], Role.OFFICE_STAFF, scope=world.a["county"])


def test_person_create_validates_and_audits(world, staff):
    person = services.person_create(actor=staff, name=" 王五 ", gender="F", unit=world.a["dept"])
    assert person.name == "王五"
    assert AuditEntry.objects.filter(action="people.person.create", target_id=str(person.pk)).exists()
    with pytest.raises(ServiceError, match="姓名不能为空"):
        services.person_create(actor=staff, name="", gender="F", unit=world.a["dept"])
    with pytest.raises(ServiceError, match="性别"):
        services.person_create(actor=staff, name="赵六", gender="X", unit=world.a["dept"])
    with pytest.raises(PermissionDenied):
        services.person_create(actor=staff, name="赵六", gender="M", unit=world.b["dept"])


def test_person_cannot_be_moved_out_of_scope(world, staff):
    person = world.a["person"]
    with pytest.raises(PermissionDenied):
        services.person_update(actor=staff, person=person, name=person.name, gender="M", unit=world.b["dept"])
    assert Person.objects.get(pk=person.pk).unit == world.a["town"]


def test_post_dates_must_be_in_order(world, staff):
    person = make_person(world.a["dept"])
    with pytest.raises(ServiceError, match="不能早于开始"):
        services.post_add(
            actor=staff,
            person=person,
            unit=world.a["dept"],
            title="科员",
            start_date=date(2022, 5, 1),
            end_date=date(2021, 1, 1),
        )
    tomorrow = timezone.localdate() + timedelta(days=1)
    with pytest.raises(ServiceError, match="不能晚于今天"):
        services.post_add(actor=staff, person=person, unit=world.a["dept"], title="科员", start_date=tomorrow)
    assert not person.posts.exists()


def test_one_current_main_leader_per_unit(world, staff):
    town = world.a["town"]  # already has a main leader (the world's 张三)
    newcomer = make_person(town)
    with pytest.raises(ServiceError, match="现任主要负责人是甲县张三"):
        services.post_add(
            actor=staff, person=newcomer, unit=town, title="党委书记", start_date=date(2024, 1, 1), is_main_leader=True
        )
    old_post = Post.objects.get(person=world.a["person"], unit=town)
    services.post_end(actor=staff, post=old_post, end_date=date(2024, 1, 1))
    post = services.post_add(
        actor=staff, person=newcomer, unit=town, title="党委书记", start_date=date(2024, 1, 2), is_main_leader=True
    )
    assert post.is_leadership_member  # a main leader is always a leadership member


def test_post_end_cannot_be_before_start_or_twice(world, staff):
    post = Post.objects.get(person=world.a["person"])
    with pytest.raises(ServiceError, match="不能早于开始"):
        services.post_end(actor=staff, post=post, end_date=date(2019, 1, 1))
    services.post_end(actor=staff, post=post, end_date=date(2025, 1, 1))
    with pytest.raises(ServiceError, match="已经结束"):
        services.post_end(actor=staff, post=post, end_date=date(2025, 2, 1))


def test_symmetric_relationship_is_stored_once(world, staff):
    a, b = make_person(world.a["dept"], "甲"), make_person(world.a["dept"], "乙")
    rel = services.relationship_add(actor=staff, person=b, relative=a, kind=RelationKind.SPOUSE)
    assert (rel.person_id, rel.relative_id) == (min(a.pk, b.pk), max(a.pk, b.pk))
    with pytest.raises(ServiceError, match="已经登记"):
        services.relationship_add(actor=staff, person=a, relative=b, kind=RelationKind.SPOUSE)
    assert Relationship.objects.count() == 1


def test_directed_relationship_keeps_its_direction(world, staff):
    parent, child = make_person(world.a["dept"], "父"), make_person(world.a["dept"], "子")
    rel = services.relationship_add(
        actor=staff,
        person=child if child.pk < parent.pk else parent,
        relative=child if child.pk > parent.pk else parent,
        kind=RelationKind.PARENT_CHILD,
    )
    assert rel.kind == RelationKind.PARENT_CHILD
    boss, staffer = make_person(world.a["dept"], "上"), make_person(world.a["dept"], "下")
    rel = services.relationship_add(actor=staff, person=staffer, relative=boss, kind=RelationKind.SUPERIOR)
    assert (rel.person, rel.relative) == (staffer, boss)  # direction as entered


def test_self_relationship_and_unknown_kind_refused(world, staff):
    p = make_person(world.a["dept"])
    with pytest.raises(ServiceError, match="本人与本人"):
        services.relationship_add(actor=staff, person=p, relative=p, kind=RelationKind.SIBLING)
    with pytest.raises(ServiceError, match="关系类型"):
        services.relationship_add(actor=staff, person=p, relative=world.a["person"], kind="friend")


def test_relationship_across_counties_needs_sight_of_both(world, staff):
    with pytest.raises(PermissionDenied):
        services.relationship_add(
            actor=staff, person=world.a["person"], relative=world.b["person"], kind=RelationKind.SIBLING
        )


def test_relationship_removal_needs_a_reason_and_is_audited(world, staff):
    other = make_person(world.a["dept"])
    rel = services.relationship_add(actor=staff, person=world.a["person"], relative=other, kind=RelationKind.SIBLING)
    with pytest.raises(ServiceError, match="原因"):
        services.relationship_remove(actor=staff, relationship=rel, reason="")
    services.relationship_remove(actor=staff, relationship=rel, reason="登记错误")
    assert not Relationship.objects.exists()
    entry = AuditEntry.objects.get(action="people.relationship.remove")
    assert entry.before["kind"] == "sibling" and entry.after["reason"] == "登记错误"
