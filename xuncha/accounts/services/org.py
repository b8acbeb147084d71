"""The organisation tree: create, edit, move and (de)activate units. Never delete."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from xuncha.accounts.models import OrgUnit, UnitType
from xuncha.accounts.models.org import JURISDICTION_TYPES
from xuncha.accounts.permissions import Perm, require
from xuncha.audit.services import audit_record, changed, snapshot
from xuncha.common.actors import SYSTEM, Actor
from xuncha.common.exceptions import ServiceError

UNIT_FIELDS = ["name", "unit_type", "party_org_name", "party_org_kind", "sector_dept", "is_active"]


def _check_placement(unit_type: str, parent: OrgUnit | None) -> None:
    if parent is None:
        if unit_type not in JURISDICTION_TYPES:
            raise ServiceError(_("只有省、市、县(市、区)可以作为顶级单位。"))
        return
    if unit_type in JURISDICTION_TYPES and not parent.is_jurisdiction:
        raise ServiceError(_("行政区域只能设在上级行政区域之下。"))
    if not parent.is_active:
        raise ServiceError(_("上级单位“%(parent)s”已停用，不能在其下新增或移入单位。") % {"parent": parent.name})


def _check_sector_dept(unit: OrgUnit | None, sector_dept: OrgUnit | None) -> None:
    if sector_dept is None:
        return
    if unit is not None and sector_dept.pk == unit.pk:
        raise ServiceError(_("行业主管部门不能是单位本身。"))
    if sector_dept.unit_type != UnitType.DEPARTMENT:
        raise ServiceError(_("行业主管部门必须是县直部门。"))
    if not sector_dept.is_active:
        raise ServiceError(_("行业主管部门“%(dept)s”已停用。") % {"dept": sector_dept.name})


def _clean_name(name: str) -> str:
    name = (name or "").strip()
    if not name:
        raise ServiceError(_("单位名称不能为空。"))
    if len(name) > 100:
        raise ServiceError(_("单位名称不能超过100个字。"))
    return name


@transaction.atomic
def unit_create(
    *,
    actor: Actor,
    parent: OrgUnit | None,
    name: str,
    unit_type: str,
    party_org_name: str = "",
    party_org_kind: str = "",
    sector_dept: OrgUnit | None = None,
) -> OrgUnit:
    if parent is None and actor is not SYSTEM:
        require(actor, Perm.ADMIN_SITE)
    elif parent is not None:
        require(actor, Perm.ORG_MANAGE, parent)
    _check_placement(unit_type, parent)
    _check_sector_dept(None, sector_dept)
    fields = {
        "name": _clean_name(name),
        "unit_type": unit_type,
        "party_org_name": party_org_name.strip(),
        "party_org_kind": party_org_kind,
        "sector_dept": sector_dept,
    }
    tree = OrgUnit.objects
    unit = tree.add_child(parent, create_kwargs=fields) if parent else tree.add_root(create_kwargs=fields)
    audit_record(actor=actor, action="org.unit.create", target=unit, after=snapshot(unit, UNIT_FIELDS))
    return unit


@transaction.atomic
def unit_update(*, actor: Actor, unit: OrgUnit, **data: Any) -> OrgUnit:
    require(actor, Perm.ORG_MANAGE, unit)
    unit = OrgUnit.objects.select_for_update().get(pk=unit.pk)
    before = snapshot(unit, UNIT_FIELDS)
    allowed = {"name", "unit_type", "party_org_name", "party_org_kind", "sector_dept"}
    unknown = set(data) - allowed
    if unknown:
        raise ServiceError(_("不能修改的字段：%(fields)s") % {"fields": ", ".join(sorted(unknown))})
    if "name" in data:
        data["name"] = _clean_name(data["name"])
    if "unit_type" in data and data["unit_type"] != unit.unit_type:
        _check_placement(data["unit_type"], OrgUnit.objects.get_parent(unit))
        if unit.is_jurisdiction and unit.numchild and data["unit_type"] not in JURISDICTION_TYPES:
            raise ServiceError(_("该行政区域下设有单位，不能改为普通单位。"))
    _check_sector_dept(unit, data.get("sector_dept", unit.sector_dept))
    for key, value in data.items():
        setattr(unit, key, value)
    unit.save(update_fields=[*data.keys(), "updated_at"])
    old, new = changed(before, snapshot(unit, UNIT_FIELDS))
    if new:
        audit_record(actor=actor, action="org.unit.update", target=unit, before=old, after=new)
    return unit


@transaction.atomic
def unit_move(*, actor: Actor, unit: OrgUnit, new_parent: OrgUnit) -> OrgUnit:
    require(actor, Perm.ORG_MANAGE, unit)
    require(actor, Perm.ORG_MANAGE, new_parent)
    unit = OrgUnit.objects.get(pk=unit.pk)
    new_parent = OrgUnit.objects.get(pk=new_parent.pk)
    if new_parent.is_inside(unit):
        raise ServiceError(_("不能把单位移到它自己或它的下级单位之下（会形成循环）。"))
    old_parent = OrgUnit.objects.get_parent(unit)
    if old_parent and old_parent.pk == new_parent.pk:
        raise ServiceError(_("该单位已在所选上级单位之下。"))
    _check_placement(unit.unit_type, new_parent)
    before = {"parent": old_parent.pk if old_parent else None, "path": unit.path}
    OrgUnit.objects.move(unit, new_parent, pos="last-child")
    unit.refresh_from_db()
    audit_record(
        actor=actor,
        action="org.unit.move",
        target=unit,
        before=before,
        after={"parent": new_parent.pk, "path": unit.path},
    )
    return unit


@transaction.atomic
def unit_set_active(*, actor: Actor, unit: OrgUnit, active: bool, reason: str = "") -> OrgUnit:
    require(actor, Perm.ORG_MANAGE, unit)
    unit = OrgUnit.objects.select_for_update().get(pk=unit.pk)
    if unit.is_active == active:
        return unit
    if not active:
        if not reason.strip():
            raise ServiceError(_("停用单位须说明原因。"))
        if OrgUnit.objects.get_children(unit).filter(is_active=True).exists():
            raise ServiceError(_("该单位还有启用中的下级单位，请先停用或移走下级单位。"))
    elif (parent := OrgUnit.objects.get_parent(unit)) and not parent.is_active:
        raise ServiceError(_("上级单位“%(parent)s”已停用，请先启用上级单位。") % {"parent": parent.name})
    unit.is_active = active
    unit.save(update_fields=["is_active", "updated_at"])
    audit_record(
        actor=actor,
        action="org.unit.activate" if active else "org.unit.deactivate",
        target=unit,
        before={"is_active": not active},
        after={"is_active": active, "reason": reason.strip()},
    )
    return unit
