"""People, their posts and their relationships (the raw material of the recusal check)."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xuncha.accounts.models import OrgUnit, Person, Post, Relationship
from xuncha.accounts.models.people import SYMMETRIC_KINDS, Gender, RelationKind
from xuncha.accounts.permissions import Perm, require
from xuncha.audit.services import audit_record, changed, snapshot
from xuncha.common.actors import Actor
from xuncha.common.exceptions import ServiceError

PERSON_FIELDS = ["name", "gender", "unit", "is_active"]
POST_FIELDS = ["person", "unit", "title", "is_leadership_member", "is_main_leader", "start_date", "end_date"]


def _clean_person(name: str, gender: str, unit: OrgUnit, *, unit_changed: bool = True) -> str:
    name = (name or "").strip()
    if not name:
        raise ServiceError(_("姓名不能为空。"))
    if len(name) > 50:
        raise ServiceError(_("姓名不能超过50个字。"))
    if gender not in Gender.values:
        raise ServiceError(_("请选择性别。"))
    if unit_changed and not unit.is_active:
        raise ServiceError(_("单位“%(unit)s”已停用，不能登记人员。") % {"unit": unit.name})
    return name


@transaction.atomic
def person_create(*, actor: Actor, name: str, gender: str, unit: OrgUnit) -> Person:
    require(actor, Perm.PERSON_MANAGE, unit)
    person = Person.objects.create(name=_clean_person(name, gender, unit), gender=gender, unit=unit)
    audit_record(actor=actor, action="people.person.create", target=person, after=snapshot(person, PERSON_FIELDS))
    return person


@transaction.atomic
def person_update(
    *, actor: Actor, person: Person, name: str, gender: str, unit: OrgUnit, is_active: bool = True
) -> Person:
    require(actor, Perm.PERSON_MANAGE, person)
    require(actor, Perm.PERSON_MANAGE, unit)  # moving a record out of one's scope is not allowed
    person = Person.objects.select_for_update().get(pk=person.pk)
    before = snapshot(person, PERSON_FIELDS)
    person.name = _clean_person(name, gender, unit, unit_changed=unit.pk != person.unit_id)
    person.gender, person.unit, person.is_active = gender, unit, is_active
    person.save(update_fields=["name", "gender", "unit", "is_active", "updated_at"])
    old, new = changed(before, snapshot(person, PERSON_FIELDS))
    if new:
        audit_record(actor=actor, action="people.person.update", target=person, before=old, after=new)
    return person


def _check_post(person: Person, unit: OrgUnit, title: str, is_main_leader: bool, start: date, end: date | None) -> str:
    title = (title or "").strip()
    if not title:
        raise ServiceError(_("职务不能为空。"))
    if len(title) > 60:
        raise ServiceError(_("职务不能超过60个字。"))
    if end is not None and end < start:
        raise ServiceError(_("任职结束日期不能早于开始日期。"))
    if start > timezone.localdate():
        raise ServiceError(_("任职开始日期不能晚于今天。"))
    if is_main_leader and end is None:
        other = (
            Post.objects.filter(unit=unit, is_main_leader=True, end_date__isnull=True)
            .exclude(person=person)
            .select_related("person")
            .first()
        )
        if other:
            raise ServiceError(
                _("“%(unit)s”的现任主要负责人是%(leader)s，请先结束其任职。")
                % {"unit": unit.name, "leader": other.person.name}
            )
    return title


@transaction.atomic
def post_add(
    *,
    actor: Actor,
    person: Person,
    unit: OrgUnit,
    title: str,
    start_date: date,
    end_date: date | None = None,
    is_leadership_member: bool = False,
    is_main_leader: bool = False,
) -> Post:
    require(actor, Perm.PERSON_MANAGE, person)
    # Past posts may lie outside one's jurisdiction, but the unit must at least be visible.
    require(actor, Perm.ORG_VIEW, unit)
    title = _check_post(person, unit, title, is_main_leader, start_date, end_date)
    post = Post.objects.create(
        person=person,
        unit=unit,
        title=title,
        start_date=start_date,
        end_date=end_date,
        is_leadership_member=is_leadership_member or is_main_leader,
        is_main_leader=is_main_leader,
    )
    audit_record(
        actor=actor,
        action="people.post.add",
        target=post,
        target_repr=f"{person.name} · {post}",
        after=snapshot(post, POST_FIELDS),
    )
    return post


@transaction.atomic
def post_end(*, actor: Actor, post: Post, end_date: date) -> Post:
    require(actor, Perm.PERSON_MANAGE, post.person)
    post = Post.objects.select_for_update().select_related("person", "unit").get(pk=post.pk)
    if post.end_date is not None:
        raise ServiceError(_("该任职已经结束。"))
    if end_date < post.start_date:
        raise ServiceError(_("任职结束日期不能早于开始日期。"))
    post.end_date = end_date
    post.save(update_fields=["end_date", "updated_at"])
    audit_record(
        actor=actor,
        action="people.post.end",
        target=post,
        target_repr=f"{post.person.name} · {post}",
        before={"end_date": None},
        after={"end_date": end_date.isoformat()},
    )
    return post


@transaction.atomic
def relationship_add(*, actor: Actor, person: Person, relative: Person, kind: str, note: str = "") -> Relationship:
    require(actor, Perm.PERSON_MANAGE, person)
    require(actor, Perm.PERSON_VIEW, relative)
    if kind not in RelationKind.values:
        raise ServiceError(_("请选择关系类型。"))
    if person.pk == relative.pk:
        raise ServiceError(_("不能登记本人与本人的关系。"))
    if len(note) > 200:
        raise ServiceError(_("说明不能超过200个字。"))
    a, b = person, relative
    if kind in SYMMETRIC_KINDS and a.pk > b.pk:
        a, b = b, a  # stored once, lower id first, whichever side it was entered from
    duplicate = Relationship.objects.filter(person=a, relative=b, kind=kind)
    if kind in SYMMETRIC_KINDS:
        duplicate = duplicate | Relationship.objects.filter(person=b, relative=a, kind=kind)
    if duplicate.exists():
        raise ServiceError(
            _("%(person)s与%(relative)s的这项关系已经登记。") % {"person": person.name, "relative": relative.name}
        )
    rel = Relationship.objects.create(person=a, relative=b, kind=kind, note=note.strip())
    audit_record(
        actor=actor,
        action="people.relationship.add",
        target=rel,
        after={"person": a.pk, "relative": b.pk, "kind": kind, "note": rel.note},
    )
    return rel


@transaction.atomic
def relationship_remove(*, actor: Actor, relationship: Relationship, reason: str) -> None:
    require(actor, Perm.PERSON_MANAGE, relationship.person)
    if not reason.strip():
        raise ServiceError(_("删除关系须说明原因。"))
    data = {
        "person": relationship.person_id,
        "relative": relationship.relative_id,
        "kind": relationship.kind,
        "note": relationship.note,
    }
    audit_record(
        actor=actor,
        action="people.relationship.remove",
        target=relationship,
        before=data,
        after={"reason": reason.strip()},
    )
    relationship.delete()
