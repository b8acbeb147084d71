"""Focus lists: an office adds a new version (never edits one in use) or retires one.

The items are written as text, one per line, a sub-item on a line starting with "-" under its
item — how an office would type the list from the committee's document.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from xuncha.accounts.models import OrgUnit
from xuncha.accounts.permissions import Perm, require
from xuncha.audit.services import audit_record
from xuncha.common.actors import SYSTEM
from xuncha.common.exceptions import ServiceError
from xuncha.findings.models import AppliesTo, FocusItem, FocusList

MAX_ITEMS = 60


def parse_items(text: str) -> list[tuple[str, list[str]]]:
    """ "item\\n- sub\\n- sub\\nitem" → [(item, [sub, sub]), (item, [])]; ServiceError when malformed."""
    items: list[tuple[str, list[str]]] = []
    for number, raw in enumerate((text or "").replace("\x00", "").splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        is_sub = line[0] in "-－—·•"
        line = line.lstrip("-－—·• ").strip()
        if not line:
            continue
        if len(line) > 200:
            raise ServiceError(_("第%(n)s行过长（不超过200字）。") % {"n": number})
        if is_sub:
            if not items:
                raise ServiceError(_("第%(n)s行是子项，但前面没有所属的条目。") % {"n": number})
            items[-1][1].append(line)
        else:
            items.append((line, []))
    if not items:
        raise ServiceError(_("请至少填写一个条目。"))
    if sum(1 + len(subs) for _item, subs in items) > MAX_ITEMS:
        raise ServiceError(_("条目过多（不超过%(n)s条）。") % {"n": MAX_ITEMS})
    return items


@transaction.atomic
def focus_list_create(
    *, actor: Any, name: str, jurisdiction: OrgUnit, items_text: str, applies_to: str = AppliesTo.UNIT, note: str = ""
) -> FocusList:
    require(actor, Perm.FOCUS_MANAGE, jurisdiction)
    name = (name or "").strip()
    if not name or len(name) > 50:
        raise ServiceError(_("请填写清单名称（不超过50字）。"))
    if applies_to not in AppliesTo.values:
        raise ServiceError(_("适用对象不正确。"))
    items = parse_items(items_text)
    FocusList.objects.select_for_update().filter(name=name, jurisdiction=jurisdiction).exists()
    version = (FocusList.objects.filter(name=name, jurisdiction=jurisdiction).aggregate(v=Max("version"))["v"] or 0) + 1
    focus = FocusList.objects.create(
        name=name,
        version=version,
        applies_to=applies_to,
        note=(note or "").strip()[:200],
        jurisdiction=jurisdiction,
        created_by=None if actor is SYSTEM else actor,
    )
    for position, (text, subs) in enumerate(items, start=1):
        parent = FocusItem.objects.create(focus_list=focus, position=position, text=text)
        FocusItem.objects.bulk_create(
            FocusItem(focus_list=focus, parent=parent, position=n, text=sub) for n, sub in enumerate(subs, start=1)
        )
    audit_record(
        actor=actor,
        action="findings.focus.create",
        target=focus,
        scope_unit=jurisdiction,
        after={"name": name, "version": version, "items": sum(1 + len(s) for _t, s in items)},
    )
    return focus


@transaction.atomic
def focus_list_set_active(*, actor: Any, focus_list: FocusList, active: bool) -> FocusList:
    """Offer a list for new rounds or retire it; rounds already using it keep it."""
    focus_list = FocusList.objects.select_for_update().get(pk=focus_list.pk)
    if focus_list.jurisdiction is None:
        require(actor, Perm.ADMIN_SITE)  # the installation's national lists
    else:
        require(actor, Perm.FOCUS_MANAGE, focus_list.jurisdiction)
    if focus_list.active != active:
        focus_list.active = active
        focus_list.save(update_fields=["active", "updated_at"])
        audit_record(
            actor=actor,
            action="findings.focus.activate" if active else "findings.focus.retire",
            target=focus_list,
            scope_unit=focus_list.jurisdiction,
            after={"active": active},
        )
    return focus_list
