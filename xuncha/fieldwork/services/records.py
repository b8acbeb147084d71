"""On-site records: interviews (two interviewers, confirmed by the interviewee), document
requests (handed over, returned), site visits, special checks, questionnaires."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xuncha.audit.services import audit_record, changed, snapshot
from xuncha.common.actors import SYSTEM
from xuncha.common.exceptions import ServiceError
from xuncha.fieldwork.models import FieldRecord, RecordKind
from xuncha.fieldwork.services.common import check_on_site, check_target, fresh_team, require_team_writer
from xuncha.files.services import file_store_many
from xuncha.plans.models import RoundTarget, Team

FIELDS = [
    "kind",
    "title",
    "planned",
    "occurred_on",
    "place",
    "content",
    "interviewee",
    "interviewee_name",
    "category",
    "confirmed_on",
    "provider",
    "handed_over_on",
    "returned_on",
]
EDITABLE = set(FIELDS) - {"kind"}


def _validate(record: FieldRecord, interviewers: list[Any] | None) -> None:
    if not record.title.strip():
        raise ServiceError(_("请填写事项。"))
    today = timezone.localdate()
    if record.occurred_on and record.occurred_on > today:
        raise ServiceError(_("日期不能晚于今天；尚未进行的事项请勾选“计划中（尚未进行）”。"))
    if not record.planned and record.occurred_on is None:
        raise ServiceError(_("请填写日期。"))
    if record.kind == RecordKind.INTERVIEW:
        _validate_interview(record, interviewers)
    if record.kind == RecordKind.DOCUMENTS:
        if not record.provider.strip():
            raise ServiceError(_("请填写提供资料的部门或人员。"))
        if record.returned_on and record.handed_over_on and record.returned_on < record.handed_over_on:
            raise ServiceError(_("归还日期不能早于调取日期。"))
    if record.confirmed_on and record.occurred_on and record.confirmed_on < record.occurred_on:
        raise ServiceError(_("确认日期不能早于谈话日期。"))


def _validate_interview(record: FieldRecord, interviewers: list[Any] | None) -> None:
    if not (record.interviewee_id or record.interviewee_name.strip()):
        raise ServiceError(_("请选择或填写谈话对象。"))
    if not record.category:
        raise ServiceError(_("请选择谈话对象类别。"))
    if record.planned:
        return
    people = interviewers or []
    if len(people) < 2:
        raise ServiceError(_("个别谈话须由两名以上巡察组成员进行。"))
    members = set(record.team.members.values_list("person_id", flat=True))
    outsiders = [p.name for p in people if p.pk not in members]
    if outsiders:
        raise ServiceError(_("以下谈话人不是本组成员：%(names)s。") % {"names": "、".join(outsiders)})


@transaction.atomic
def record_create(
    *,
    actor: Any,
    team: Team,
    target: RoundTarget,
    kind: str,
    title: str,
    interviewers: list[Any] | None = None,
    uploads: list[Any] | None = None,
    **data: Any,
) -> FieldRecord:
    team = fresh_team(team)
    require_team_writer(actor, team)
    check_on_site(team)
    check_target(team, target)
    if kind not in RecordKind.values:
        raise ServiceError(_("请选择记录类别。"))
    unknown = set(data) - EDITABLE
    if unknown:
        raise ServiceError(_("不能修改的字段：%(fields)s") % {"fields": ", ".join(sorted(unknown))})
    record = FieldRecord(
        team=team,
        target=target,
        kind=kind,
        title=(title or "").strip(),
        recorded_by=None if actor is SYSTEM else actor,
        **data,
    )
    _validate(record, interviewers)
    record.save()
    if interviewers:
        record.interviewers.set(interviewers)
    if uploads:
        record.attachments.add(*file_store_many(actor=actor, uploads=uploads, scope_unit=team.round.jurisdiction))
    audit_record(actor=actor, action="fieldwork.record.create", target=record, after=snapshot(record, FIELDS))
    return record


@transaction.atomic
def record_update(
    *,
    actor: Any,
    record: FieldRecord,
    interviewers: list[Any] | None = None,
    uploads: list[Any] | None = None,
    **data: Any,
) -> FieldRecord:
    record = FieldRecord.objects.select_for_update().select_related("team__round").get(pk=record.pk)
    require_team_writer(actor, record.team)
    check_on_site(record.team)
    unknown = set(data) - EDITABLE
    if unknown:
        raise ServiceError(_("不能修改的字段：%(fields)s") % {"fields": ", ".join(sorted(unknown))})
    before = snapshot(record, FIELDS)
    for key, value in data.items():
        setattr(record, key, value)
    people = interviewers if interviewers is not None else list(record.interviewers.all())
    _validate(record, people)
    record.save()
    if interviewers is not None:
        record.interviewers.set(interviewers)
    if uploads:
        record.attachments.add(
            *file_store_many(actor=actor, uploads=uploads, scope_unit=record.team.round.jurisdiction)
        )
    old, new = changed(before, snapshot(record, FIELDS))
    if new or uploads:
        audit_record(
            actor=actor,
            action="fieldwork.record.update",
            target=record,
            before=old,
            after={**new, "uploads": len(uploads or [])},
        )
    return record
