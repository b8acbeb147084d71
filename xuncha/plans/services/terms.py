"""The committee term's plan and its coverage list."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from xuncha.accounts.models import OrgUnit, UnitType
from xuncha.accounts.models.org import JURISDICTION_TYPES
from xuncha.accounts.permissions import Perm, require
from xuncha.audit.services import audit_record
from xuncha.common.exceptions import ServiceError
from xuncha.files.services import file_store
from xuncha.plans.models import TermPlan, TermPlanUnit

# Units a county term must cover; the county committee itself is not inspected by its own teams.
NOT_COVERED = (*JURISDICTION_TYPES, UnitType.COMMITTEE)


@transaction.atomic
def term_plan_create(*, actor: Any, jurisdiction: OrgUnit, name: str, start_year: int, end_year: int) -> TermPlan:
    """A term plan listing every active unit of the jurisdiction (the office can then adjust it)."""
    require(actor, Perm.ROUND_MANAGE, jurisdiction)
    if jurisdiction.unit_type not in JURISDICTION_TYPES:
        raise ServiceError(_("届内巡察规划须由县（市、区）以上行政区域制定。"))
    if end_year < start_year or end_year - start_year > 10:
        raise ServiceError(_("规划年度不正确：截止年度不能早于起始年度，跨度不超过10年。"))
    if not (name or "").strip():
        raise ServiceError(_("请填写规划名称。"))
    overlapping = TermPlan.objects.filter(jurisdiction=jurisdiction, start_year__lte=end_year, end_year__gte=start_year)
    if overlapping.exists():
        raise ServiceError(_("该行政区域在这些年度已有届内巡察规划。"))
    plan = TermPlan.objects.create(
        jurisdiction=jurisdiction, name=name.strip(), start_year=start_year, end_year=end_year
    )
    units = (
        OrgUnit.objects.filter(path__startswith=jurisdiction.path, is_active=True)
        .exclude(unit_type__in=NOT_COVERED)
        .only("pk")
    )
    TermPlanUnit.objects.bulk_create([TermPlanUnit(plan=plan, unit=u) for u in units])
    audit_record(
        actor=actor,
        action="plans.term.create",
        target=plan,
        after={"name": plan.name, "start_year": start_year, "end_year": end_year, "units": len(units)},
    )
    return plan


@transaction.atomic
def term_plan_approve(
    *, actor: Any, plan: TermPlan, approved_on: date, meeting: str, minutes: Any = None, minutes_upload: Any = None
) -> TermPlan:
    """Record the leading group's approval of the plan (date, meeting, minutes file)."""
    require(actor, Perm.ROUND_MANAGE, plan)
    plan = TermPlan.objects.select_for_update().select_related("jurisdiction").get(pk=plan.pk)
    if not (meeting or "").strip():
        raise ServiceError(_("请填写审议会议。"))
    if minutes_upload is not None:
        minutes = file_store(
            actor=actor, upload=minutes_upload, scope_unit=plan.jurisdiction, effective_date=approved_on
        )
    plan.approved_on, plan.approval_meeting, plan.minutes = approved_on, meeting.strip(), minutes
    plan.save(update_fields=["approved_on", "approval_meeting", "minutes", "updated_at"])
    audit_record(
        actor=actor,
        action="plans.term.approve",
        target=plan,
        after={
            "approved_on": approved_on.isoformat(),
            "meeting": plan.approval_meeting,
            "minutes": str(minutes.pk) if minutes else None,
        },
    )
    return plan
