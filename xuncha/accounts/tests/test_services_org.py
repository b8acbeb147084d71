"""The organisation tree: create, edit, move, deactivate. Every write is audited."""

import pytest
from django.core.exceptions import PermissionDenied

from xuncha.accounts import services
from xuncha.accounts.models import OrgUnit, UnitType
from xuncha.accounts.permissions import Role
from xuncha.accounts.tests.factories import make_person, make_unit, make_user
from xuncha.audit.models import AuditEntry
from xuncha.common.actors import SYSTEM
from xuncha.common.exceptions import ServiceError


@pytest.fixture
def staff(world):
    return make_user(world.a["dept"], Role.OFFICE_STAFF, scope=world.a["county"])


def test_create_puts_the_unit_under_its_parent_and_audits(world, staff):
    unit = services.unit_create(actor=staff, parent=world.a["town"], name=" 新村 ", unit_type=UnitType.VILLAGE)
    assert unit.name == "新村"
    assert unit.path.startswith(world.a["town"].path) and unit.depth == world.a["town"].depth + 1
    entry = AuditEntry.objects.order_by("-seq").first()
    assert (entry.action, entry.actor_id, entry.target_id) == ("org.unit.create", staff.pk, str(unit.pk))
    assert entry.scope_unit == unit and entry.after["name"] == "新村"


def test_create_outside_scope_is_refused(world, staff):
    with pytest.raises(PermissionDenied):
        services.unit_create(actor=staff, parent=world.b["town"], name="越权村", unit_type=UnitType.VILLAGE)
    assert not OrgUnit.objects.filter(name="越权村").exists()


@pytest.mark.parametrize(
    ("parent_key", "unit_type", "message"),
    [
        ("town", UnitType.COUNTY, "行政区域只能设在上级行政区域之下"),
        (None, UnitType.DEPARTMENT, "只有省、市、县"),
    ],
)
def test_placement_rules(world, parent_key, unit_type, message):
    parent = world.a[parent_key] if parent_key else None
    with pytest.raises(ServiceError, match=message):
        services.unit_create(actor=SYSTEM, parent=parent, name="错位单位", unit_type=unit_type)


def test_empty_and_long_names_are_refused(world, staff):
    with pytest.raises(ServiceError, match="不能为空"):
        services.unit_create(actor=staff, parent=world.a["county"], name="   ", unit_type=UnitType.DEPARTMENT)
    with pytest.raises(ServiceError, match="100"):
        services.unit_create(actor=staff, parent=world.a["county"], name="长" * 101, unit_type=UnitType.DEPARTMENT)


def test_sector_department_must_be_a_department(world, staff):
    with pytest.raises(ServiceError, match="必须是县直部门"):
        services.unit_update(actor=staff, unit=world.a["village"], sector_dept=world.a["town"])
    services.unit_update(actor=staff, unit=world.a["village"], sector_dept=world.a["dept"])
    assert OrgUnit.objects.get(pk=world.a["village"].pk).sector_dept == world.a["dept"]


def test_update_audits_only_what_changed(world, staff):
    services.unit_update(
        actor=staff, unit=world.a["dept"], name="甲县财政局（改）", party_org_name="中共甲县财政局党组"
    )
    entry = AuditEntry.objects.order_by("-seq").first()
    assert entry.action == "org.unit.update"
    assert entry.before == {"name": "甲县财政局", "party_org_name": ""}
    assert entry.after == {"name": "甲县财政局（改）", "party_org_name": "中共甲县财政局党组"}


def test_move_carries_the_subtree(world, staff):
    other_town = make_unit(world.a["county"], "甲县河口乡", UnitType.TOWNSHIP)
    village = world.a["village"]
    services.unit_move(actor=staff, unit=village, new_parent=other_town)
    village.refresh_from_db()
    assert village.path.startswith(other_town.path)
    assert AuditEntry.objects.order_by("-seq").first().action == "org.unit.move"


def test_move_into_own_subtree_is_refused(world, staff):
    town, village = world.a["town"], world.a["village"]
    before = OrgUnit.objects.get(pk=town.pk).path
    with pytest.raises(ServiceError, match="循环"):
        services.unit_move(actor=staff, unit=town, new_parent=village)
    with pytest.raises(ServiceError, match="循环"):
        services.unit_move(actor=staff, unit=town, new_parent=town)
    assert OrgUnit.objects.get(pk=town.pk).path == before


def test_move_out_of_scope_is_refused(world, staff):
    with pytest.raises(PermissionDenied):
        services.unit_move(actor=staff, unit=world.a["village"], new_parent=world.b["town"])


def test_deactivate_needs_a_reason_and_no_active_children(world, staff):
    with pytest.raises(ServiceError, match="原因"):
        services.unit_set_active(actor=staff, unit=world.a["village"], active=False, reason=" ")
    with pytest.raises(ServiceError, match="下级单位"):
        services.unit_set_active(actor=staff, unit=world.a["town"], active=False, reason="撤并")


def test_deactivated_unit_keeps_its_history(world, staff):
    village = world.a["village"]
    person = make_person(village, "李四", title="村支书", is_main_leader=True)
    services.unit_set_active(actor=staff, unit=village, active=False, reason="撤村并居")
    village.refresh_from_db()
    assert not village.is_active
    assert person.posts.filter(unit=village).exists()  # history stays
    assert (
        AuditEntry.objects.filter(target_id=str(village.pk), action="org.unit.deactivate").get().after["reason"]
        == "撤村并居"
    )
    with pytest.raises(ServiceError, match="已停用"):
        services.unit_create(actor=staff, parent=village, name="x", unit_type=UnitType.OTHER)
    services.unit_set_active(actor=staff, unit=village, active=True)
    village.refresh_from_db()
    assert village.is_active


def test_units_cannot_be_deleted_while_referenced(world):
    """The database itself refuses: people, posts and accounts point at units with PROTECT."""
    from django.db.models import ProtectedError

    with pytest.raises(ProtectedError):
        OrgUnit.objects.filter(pk=world.a["town"].pk).delete()
    assert OrgUnit.objects.filter(pk=world.a["town"].pk).exists()
