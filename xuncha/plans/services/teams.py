"""Teams and their members. Every assignment of a person to a unit passes the recusal check."""

from __future__ import annotations

from datetime import date
from typing import Any, TypedDict

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from xuncha.accounts.models import OrgUnit, Person
from xuncha.accounts.permissions import Perm, has_perm, require
from xuncha.audit.services import audit_record, changed, snapshot
from xuncha.common.actors import SYSTEM
from xuncha.common.deadlines import deadline_rule
from xuncha.common.exceptions import ServiceError
from xuncha.plans.models import (
    Announcement,
    RecusalOverride,
    Round,
    RoundState,
    RoundTarget,
    Team,
    TeamMember,
    TeamRole,
)
from xuncha.plans.recusal import Conflict, find_conflicts
from xuncha.plans.workflow import EDITABLE_STATES

TEAM_FIELDS = ["number", "branch_secretary", "phone", "mailbox", "email"]
ANNOUNCEMENT_FIELDS = ["phone", "mailbox", "email", "address", "opens_on", "closes_on", "published_on"]


class RecusalBlocked(ServiceError):
    """The assignment is refused because of recusal conflicts (the reasons are the messages)."""


class RecusalWindows(TypedDict):
    """The windows of the recusal rule, as ``find_conflicts`` takes them."""

    recent_years: int
    long_service_years: int


def recusal_windows(jurisdiction: OrgUnit) -> RecusalWindows:
    """N and M of the recusal rule for this jurisdiction (deadline rules, defaults 3 and 3)."""
    return {
        "recent_years": deadline_rule("recusal_recent_years", jurisdiction).amount,
        "long_service_years": deadline_rule("recusal_long_service_years", jurisdiction).amount,
    }


def _editable(team: Team) -> None:
    if team.round.state not in EDITABLE_STATES:
        raise ServiceError(_("“%(round)s”已进驻，巡察组不能再调整。") % {"round": team.round.name})


def _resolve(actor: Any, team: Team, person: Person, conflicts: list[Conflict], justification: str) -> list[Conflict]:
    """Refuse (and log the refusal), or accept with the office head's written justification."""
    if not conflicts:
        return []
    may_override = actor is SYSTEM or has_perm(actor, Perm.RECUSAL_OVERRIDE, team)
    if justification.strip() and may_override:
        return conflicts
    reasons = [c.reason for c in conflicts]
    with transaction.atomic():  # the refusal itself is a business event worth keeping
        audit_record(
            actor=actor,
            action="plans.team.recusal_refused",
            target=team,
            after={"person": person.pk, "person_name": person.name, "reasons": reasons},
        )
    hint = (
        _("如确需安排，须由巡察办主任填写不予回避的理由。")
        if not may_override
        else _("如确需安排，请填写不予回避的理由。")
    )
    raise RecusalBlocked([_("%(name)s须回避：") % {"name": person.name}, *reasons, hint])


def _record_overrides(actor: Any, member: TeamMember, conflicts: list[Conflict], justification: str) -> None:
    by_unit: dict[int, list[str]] = {}
    units = {}
    for c in conflicts:
        by_unit.setdefault(c.unit.pk, []).append(c.reason)
        units[c.unit.pk] = c.unit
    for unit_pk, reasons in by_unit.items():
        RecusalOverride.objects.create(
            member=member,
            unit=units[unit_pk],
            conflicts="\n".join(reasons),
            justification=justification.strip(),
            decided_by=actor if actor is not SYSTEM else None,
        )
    audit_record(
        actor=actor,
        action="plans.team.recusal_override",
        target=member.team,
        after={
            "person": member.person_id,
            "reasons": [c.reason for c in conflicts],
            "justification": justification.strip(),
        },
    )


def team_units(team: Team) -> list[OrgUnit]:
    return [t.unit for t in team.targets.select_related("unit")]


@transaction.atomic
def team_create(*, actor: Any, rnd: Round, phone: str = "", mailbox: str = "", email: str = "") -> Team:
    require(actor, Perm.TEAM_MANAGE, rnd)
    rnd = Round.objects.select_for_update().get(pk=rnd.pk)
    if rnd.state not in EDITABLE_STATES:
        raise ServiceError(_("“%(round)s”已进驻，巡察组不能再调整。") % {"round": rnd.name})
    number = (rnd.teams.aggregate(n=Max("number"))["n"] or 0) + 1
    team = Team.objects.create(round=rnd, number=number, phone=phone, mailbox=mailbox, email=email)
    audit_record(actor=actor, action="plans.team.create", target=team, after=snapshot(team, TEAM_FIELDS))
    return team


@transaction.atomic
def team_update(*, actor: Any, team: Team, **data: Any) -> Team:
    require(actor, Perm.TEAM_MANAGE, team)
    team = Team.objects.select_for_update().select_related("round").get(pk=team.pk)
    unknown = set(data) - {"branch_secretary", "phone", "mailbox", "email"}
    if unknown:
        raise ServiceError(_("不能修改的字段：%(fields)s") % {"fields": ", ".join(sorted(unknown))})
    secretary = data.get("branch_secretary")
    if secretary is not None and not team.members.filter(person=secretary).exists():
        raise ServiceError(_("临时党支部书记须是本组成员。"))
    before = snapshot(team, TEAM_FIELDS)
    for key, value in data.items():
        setattr(team, key, value)
    team.save(update_fields=[*data.keys(), "updated_at"])
    old, new = changed(before, snapshot(team, TEAM_FIELDS))
    if new:
        audit_record(actor=actor, action="plans.team.update", target=team, before=old, after=new)
    return team


def team_member_add(
    *, actor: Any, team: Team, person: Person, role: str = TeamRole.MEMBER, justification: str = ""
) -> TeamMember:
    """Put ``person`` on ``team``. Refused when they must recuse from any unit the team covers,
    unless the office head gives a written justification (kept with the member)."""
    require(actor, Perm.TEAM_MANAGE, team)
    team = Team.objects.select_related("round__jurisdiction").get(pk=team.pk)
    _editable(team)
    if role not in TeamRole.values:
        raise ServiceError(_("请选择组内职务。"))
    if not person.is_active:
        raise ServiceError(_("%(name)s已不在职，不能编入巡察组。") % {"name": person.name})
    if team.members.filter(person=person).exists():
        raise ServiceError(_("%(name)s已是本组成员。") % {"name": person.name})
    other = (
        TeamMember.objects.filter(person=person, team__round=team.round)
        .exclude(team=team)
        .select_related("team")
        .first()
    )
    if other:
        raise ServiceError(
            _("%(name)s已编入本轮%(team)s，同一轮次不能参加两个巡察组。") % {"name": person.name, "team": other.team}
        )
    if role == TeamRole.LEADER and team.members.filter(role=TeamRole.LEADER).exists():
        raise ServiceError(_("%(team)s已有组长。") % {"team": team})
    conflicts = find_conflicts(person, team_units(team), **recusal_windows(team.round.jurisdiction))
    accepted = _resolve(actor, team, person, conflicts, justification)
    with transaction.atomic():
        member = TeamMember.objects.create(team=team, person=person, role=role)
        if accepted:
            _record_overrides(actor, member, accepted, justification)
        audit_record(
            actor=actor,
            action="plans.team.member_add",
            target=team,
            after={"person": person.pk, "person_name": person.name, "role": role},
        )
    return member


def check_members_against_unit(*, actor: Any, team: Team, unit: OrgUnit, justification: str = "") -> None:
    """Before a team takes on a unit: none of its members may have to recuse from it."""
    windows = recusal_windows(team.round.jurisdiction)
    for member in team.members.select_related("person"):
        conflicts = find_conflicts(member.person, [unit], **windows)
        if _resolve(actor, team, member.person, conflicts, justification):
            _record_overrides(actor, member, conflicts, justification)


@transaction.atomic
def team_member_remove(*, actor: Any, member: TeamMember) -> None:
    require(actor, Perm.TEAM_MANAGE, member.team)
    member = TeamMember.objects.select_related("team__round", "person").get(pk=member.pk)
    _editable(member.team)
    if member.team.branch_secretary_id == member.person_id:
        member.team.branch_secretary = None
        member.team.save(update_fields=["branch_secretary", "updated_at"])
    audit_record(
        actor=actor,
        action="plans.team.member_remove",
        target=member.team,
        before={"person": member.person_id, "person_name": member.person.name, "role": member.role},
    )
    member.delete()


@transaction.atomic
def announcement_save(*, actor: Any, target: RoundTarget, **data: Any) -> Announcement:
    """Create or update the public announcement of one target (巡察公告)."""
    require(actor, Perm.TEAM_MANAGE, target)
    target = RoundTarget.objects.select_related("round", "unit").get(pk=target.pk)
    if target.team_id is None:
        raise ServiceError(_("请先为%(unit)s分配巡察组。") % {"unit": target.unit.name})
    if not (data.get("phone") or "").strip():
        raise ServiceError(_("公告须公布举报电话。"))
    if data["closes_on"] < data["opens_on"]:
        raise ServiceError(_("受理截止日期不能早于开始日期。"))
    ann = Announcement.objects.filter(target=target).first()
    before = snapshot(ann, ANNOUNCEMENT_FIELDS) if ann else None
    if ann is None:
        ann = Announcement(target=target)
    for key in ANNOUNCEMENT_FIELDS:
        if key in data:
            setattr(ann, key, data[key])
    ann.save()
    after = snapshot(ann, ANNOUNCEMENT_FIELDS)
    old, new = changed(before or {}, after)
    audit_record(actor=actor, action="plans.announcement.save", target=ann, before=old or None, after=new)
    return ann


def team_access_grant(*, actor: Any, team: Team, until: date | None, reason: str) -> Team:
    """After archiving, give the team's members read access to their round again until ``until``
    (``None`` ends it). 一次一授权: the office decides, with a recorded reason, each time."""
    require(actor, Perm.TEAM_MANAGE, team)
    if team.round.state != RoundState.ARCHIVED:
        raise ServiceError(_("巡察组在本轮归档前一直可以查阅本轮材料，无须再授权。"))
    reason = reason.strip()
    if until is not None:
        if until < timezone.localdate():
            raise ServiceError(_("授权截止日期不能早于今天。"))
        if not reason:
            raise ServiceError(_("请写明再次授权查阅的事由。"))
    with transaction.atomic():
        team = Team.objects.select_for_update().get(pk=team.pk)
        before = {"access_until": str(team.access_until or ""), "access_reason": team.access_reason}
        team.access_until, team.access_reason = until, reason if until else ""
        team.save(update_fields=["access_until", "access_reason", "updated_at"])
        after = {"access_until": str(team.access_until or ""), "access_reason": team.access_reason}
        audit_record(actor=actor, action="plans.team.access", target=team, before=before, after=after)
    return team
