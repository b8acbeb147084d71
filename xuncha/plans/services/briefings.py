"""Pre-entry briefings, recusal declarations, and the team's own particulars."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xuncha.accounts.models import OrgUnit, Person
from xuncha.accounts.permissions import Perm, require
from xuncha.audit.services import audit_record
from xuncha.common.actors import SYSTEM
from xuncha.common.exceptions import ServiceError
from xuncha.files.services import file_store_many
from xuncha.plans.models import Briefing, BriefingSource, RecusalDeclaration, Round


@transaction.atomic
def briefing_add(
    *,
    actor: Any,
    rnd: Round,
    source: str,
    title: str,
    filed_on: date,
    summary: str = "",
    uploads: list[Any] | None = None,
) -> Briefing:
    require(actor, Perm.ROUND_MANAGE, rnd)
    if source not in BriefingSource.values:
        raise ServiceError(_("请选择通报部门。"))
    if not (title or "").strip():
        raise ServiceError(_("请填写标题。"))
    if filed_on > timezone.localdate():
        raise ServiceError(_("通报日期不能晚于今天。"))
    briefing = Briefing.objects.create(
        round=rnd,
        source=source,
        title=title.strip(),
        summary=(summary or "").strip(),
        filed_on=filed_on,
        filed_by=None if actor is SYSTEM else actor,
    )
    if uploads:
        briefing.attachments.add(*file_store_many(actor=actor, uploads=uploads, scope_unit=rnd.jurisdiction))
    audit_record(
        actor=actor,
        action="plans.briefing.add",
        target=briefing,
        after={"source": source, "title": briefing.title, "files": len(uploads or [])},
    )
    return briefing


@transaction.atomic
def declaration_add(*, actor: Any, person: Person, unit: OrgUnit, source: str, reason: str) -> RecusalDeclaration:
    """Record a declared conflict (by the person) or a recusal request (by the inspected unit)."""
    require(actor, Perm.TEAM_MANAGE, unit)
    require(actor, Perm.PERSON_VIEW, person)
    if source not in RecusalDeclaration.Source.values:
        raise ServiceError(_("请选择申报来源。"))
    if not (reason or "").strip():
        raise ServiceError(_("请写明回避事由。"))
    if RecusalDeclaration.objects.filter(person=person, unit=unit, withdrawn=False).exists():
        raise ServiceError(_("%(name)s对%(unit)s的回避申报已经登记。") % {"name": person.name, "unit": unit.name})
    declaration = RecusalDeclaration.objects.create(
        person=person, unit=unit, source=source, reason=reason.strip()[:200]
    )
    audit_record(
        actor=actor,
        action="plans.recusal.declare",
        target=declaration,
        after={"person": person.pk, "unit": unit.pk, "source": source, "reason": declaration.reason},
    )
    return declaration


@transaction.atomic
def declaration_withdraw(*, actor: Any, declaration: RecusalDeclaration, reason: str) -> RecusalDeclaration:
    require(actor, Perm.TEAM_MANAGE, declaration)
    declaration = RecusalDeclaration.objects.select_for_update().get(pk=declaration.pk)
    if declaration.withdrawn:
        raise ServiceError(_("该申报已撤回。"))
    if not (reason or "").strip():
        raise ServiceError(_("撤回须说明理由。"))
    declaration.withdrawn = True
    declaration.save(update_fields=["withdrawn", "updated_at"])
    audit_record(actor=actor, action="plans.recusal.withdraw", target=declaration, after={"reason": reason.strip()})
    return declaration
