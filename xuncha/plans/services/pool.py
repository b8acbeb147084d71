"""The talent pool: who may be drawn into teams, with what expertise and training."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from xuncha.accounts.models import OrgUnit, Person
from xuncha.accounts.permissions import Perm, require
from xuncha.audit.services import audit_record
from xuncha.common.exceptions import ServiceError
from xuncha.plans.models import ExpertiseTag, PoolEntry, TrainingRecord


@transaction.atomic
def pool_entry_save(
    *,
    actor: Any,
    person: Person,
    jurisdiction: OrgUnit,
    in_leader_pool: bool = False,
    in_specialist_pool: bool = False,
    in_staff_pool: bool = True,
    expertise: list[ExpertiseTag] | None = None,
    available: bool = True,
    availability_note: str = "",
) -> PoolEntry:
    require(actor, Perm.POOL_MANAGE, jurisdiction)
    require(actor, Perm.PERSON_VIEW, person)
    if not (in_leader_pool or in_specialist_pool or in_staff_pool):
        raise ServiceError(_("请至少选择一个人才库。"))
    entry, created = PoolEntry.objects.get_or_create(person=person, defaults={"jurisdiction": jurisdiction})
    if not created and entry.jurisdiction_id != jurisdiction.pk:
        require(actor, Perm.POOL_MANAGE, entry)
    entry.jurisdiction = jurisdiction
    entry.in_leader_pool, entry.in_specialist_pool, entry.in_staff_pool = (
        in_leader_pool,
        in_specialist_pool,
        in_staff_pool,
    )
    entry.available, entry.availability_note = available, availability_note.strip()
    entry.save()
    if expertise is not None:
        entry.expertise.set(expertise)
    audit_record(
        actor=actor,
        action="plans.pool.create" if created else "plans.pool.update",
        target=entry,
        after={
            "person": person.pk,
            "leader": in_leader_pool,
            "specialist": in_specialist_pool,
            "staff": in_staff_pool,
            "expertise": sorted(t.name for t in (expertise or [])),
            "available": available,
        },
    )
    return entry


@transaction.atomic
def training_add(*, actor: Any, entry: PoolEntry, on: date, title: str, hours: int = 0) -> TrainingRecord:
    require(actor, Perm.POOL_MANAGE, entry)
    if not (title or "").strip():
        raise ServiceError(_("请填写培训内容。"))
    if hours < 0 or hours > 500:
        raise ServiceError(_("学时须在0至500之间。"))
    record = TrainingRecord.objects.create(entry=entry, date=on, title=title.strip(), hours=hours)
    audit_record(
        actor=actor,
        action="plans.pool.training",
        target=entry,
        after={"date": on.isoformat(), "title": record.title, "hours": hours},
    )
    return record


APPRAISAL_GRADES = ("优秀", "称职", "基本称职", "不称职")


@transaction.atomic
def member_appraise(*, actor: Any, member: Any, grade: str, note: str = "") -> Any:
    """The office's appraisal of a member for this round; it goes into the person's pool record."""
    from xuncha.plans.models import RoundState, TeamMember

    member = TeamMember.objects.select_for_update().select_related("team__round", "person").get(pk=member.pk)
    require(actor, Perm.TEAM_MANAGE, member.team)
    if member.team.round.state in (RoundState.DRAFT, RoundState.APPROVED, RoundState.PREPARING):
        raise ServiceError(_("巡察组进驻后才能进行考核。"))
    if grade not in APPRAISAL_GRADES:
        raise ServiceError(_("请选择考核等次。"))
    if len(note) > 200:
        raise ServiceError(_("考核评语不能超过200个字。"))
    member.appraisal_grade, member.appraisal_note = grade, note.strip()
    member.save(update_fields=["appraisal_grade", "appraisal_note", "updated_at"])
    audit_record(
        actor=actor,
        action="plans.team.appraise",
        target=member.team,
        after={
            "person": member.person_id,
            "person_name": member.person.name,
            "grade": grade,
            "note": member.appraisal_note,
        },
    )
    return member
