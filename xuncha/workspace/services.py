"""Maintaining the working-day calendar and the deadline rules. Every write is audited.

Calendar overrides are installation-wide (one country, one calendar), so any holder of
CALENDAR_MANAGE may edit them. Deadline rules belong to a jurisdiction: its office sets them for
its subtree; the installation-wide row is the system administrator's.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils.translation import gettext as _

from xuncha.accounts.permissions import Perm, require
from xuncha.audit.services import audit_record, changed, snapshot
from xuncha.common.actors import SYSTEM
from xuncha.common.exceptions import ServiceError
from xuncha.common.models import DEADLINE_MAX_AMOUNT, CalendarDay, DeadlineKey, DeadlineRule, DeadlineUnit

if TYPE_CHECKING:
    from xuncha.accounts.models import OrgUnit

DAY_FIELDS = ["date", "is_workday", "note"]
RULE_FIELDS = ["jurisdiction", "key", "amount", "unit", "note"]


def _clean_day(day: Any) -> date:
    if isinstance(day, datetime) or not isinstance(day, date):
        raise ServiceError(_("请填写有效的日期。"))
    return day


def _clean_note(note: str, limit: int, *, required: bool) -> str:
    note = (note or "").strip()
    if required and not note:
        raise ServiceError(_("请说明调整原因，例如“2027年春节调休上班”。"))
    if len(note) > limit:
        raise ServiceError(_("说明不能超过%(limit)d个字。") % {"limit": limit})
    return note


def _audit_day(actor: Any, action: str, row: CalendarDay, before: dict | None, after: dict | None) -> None:
    # The calendar belongs to no unit; file the row under the actor's own unit so that the
    # office that changed the calendar reads the change in its audit log.
    audit_record(
        actor=actor,
        action=action,
        target_type=CalendarDay._meta.label_lower,
        target_id=str(row.pk),
        target_repr=str(row),
        scope_unit=getattr(actor, "unit", None),
        before=before,
        after=after,
    )


@transaction.atomic
def calendar_day_set(*, actor: Any, day: date, is_workday: bool, note: str) -> CalendarDay:
    """Declare ``day`` a working day or a day off (create or replace the override)."""
    require(actor, Perm.CALENDAR_MANAGE)
    day = _clean_day(day)
    note = _clean_note(note, 100, required=True)
    row = CalendarDay.objects.select_for_update().filter(date=day).first()
    if row is None:
        row = CalendarDay.objects.create(date=day, is_workday=bool(is_workday), note=note)
        _audit_day(actor, "calendar.day.create", row, None, snapshot(row, DAY_FIELDS))
        return row
    before = snapshot(row, DAY_FIELDS)
    row.is_workday, row.note = bool(is_workday), note
    old, new = changed(before, snapshot(row, DAY_FIELDS))
    if new:
        row.save(update_fields=["is_workday", "note", "updated_at"])
        _audit_day(actor, "calendar.day.update", row, old, new)
    return row


@transaction.atomic
def calendar_day_remove(*, actor: Any, day: date) -> None:
    """Drop the override: the statutory calendar (or Monday–Friday) decides again."""
    require(actor, Perm.CALENDAR_MANAGE)
    row = CalendarDay.objects.select_for_update().filter(date=_clean_day(day)).first()
    if row is None:
        raise ServiceError(_("该日期没有调整记录。"))
    _audit_day(actor, "calendar.day.remove", row, snapshot(row, DAY_FIELDS), None)
    row.delete()


def _require_rule_scope(actor: Any, jurisdiction: OrgUnit | None) -> None:
    if jurisdiction is not None:
        require(actor, Perm.CALENDAR_MANAGE, jurisdiction)
    elif actor is not SYSTEM:
        # The installation-wide row applies to every jurisdiction: the system administrator's.
        require(actor, Perm.ADMIN_SITE)
        require(actor, Perm.CALENDAR_MANAGE)


def _clean_rule(jurisdiction: OrgUnit | None, key: Any, amount: Any, unit: Any) -> tuple[str, int, str]:
    if jurisdiction is not None and not jurisdiction.is_jurisdiction:
        raise ServiceError(_("期限规则只能按省、市、县(市、区)设定。"))
    if key not in DeadlineKey.values:
        raise ServiceError(_("未知的期限事项：%(key)s") % {"key": key})
    if unit not in DeadlineUnit.values:
        raise ServiceError(_("期限单位须为工作日、自然日、月或年。"))
    # bool is an int in Python; True must not pass for 1.
    if isinstance(amount, bool) or not isinstance(amount, int) or not 1 <= amount <= DEADLINE_MAX_AMOUNT:
        raise ServiceError(_("期限数值须为1至%(max)d之间的整数。") % {"max": DEADLINE_MAX_AMOUNT})
    return str(key), amount, str(unit)


@transaction.atomic
def deadline_rule_set(
    *, actor: Any, jurisdiction: OrgUnit | None, key: str, amount: int, unit: str, note: str = ""
) -> DeadlineRule:
    """Set ``jurisdiction``'s own value for ``key`` (None: the installation-wide value)."""
    _require_rule_scope(actor, jurisdiction)
    key, amount, unit = _clean_rule(jurisdiction, key, amount, unit)
    note = _clean_note(note, 200, required=False)
    row = DeadlineRule.objects.select_for_update().filter(jurisdiction=jurisdiction, key=key).first()
    if row is None:
        row = DeadlineRule.objects.create(jurisdiction=jurisdiction, key=key, amount=amount, unit=unit, note=note)
        audit_record(actor=actor, action="deadline.rule.create", target=row, after=snapshot(row, RULE_FIELDS))
        return row
    before = snapshot(row, RULE_FIELDS)
    row.amount, row.unit, row.note = amount, unit, note
    old, new = changed(before, snapshot(row, RULE_FIELDS))
    if new:
        row.save(update_fields=["amount", "unit", "note", "updated_at"])
        audit_record(actor=actor, action="deadline.rule.update", target=row, before=old, after=new)
    return row


@transaction.atomic
def deadline_rule_remove(*, actor: Any, jurisdiction: OrgUnit | None, key: str) -> None:
    """Drop ``jurisdiction``'s own value: it inherits again (ancestor, installation, default)."""
    _require_rule_scope(actor, jurisdiction)
    row = DeadlineRule.objects.select_for_update().filter(jurisdiction=jurisdiction, key=key).first()
    if row is None:
        raise ServiceError(_("没有可删除的期限设定。"))
    audit_record(actor=actor, action="deadline.rule.remove", target=row, before=snapshot(row, RULE_FIELDS))
    row.delete()
