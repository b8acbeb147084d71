"""User accounts and role assignments."""

from __future__ import annotations

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xuncha.accounts.models import OrgUnit, Person, RoleAssignment, User
from xuncha.accounts.permissions import MEMBERSHIP_ROLES, Perm, Role, can_grant, forget_grants, require
from xuncha.audit.services import audit_record, changed, snapshot
from xuncha.common.actors import SYSTEM, Actor
from xuncha.common.exceptions import ServiceError

USER_FIELDS = ["username", "full_name", "unit", "person", "email", "phone", "is_active"]


def _check_person_link(actor: Actor, user: User | None, person: Person | None) -> None:
    if person is None:
        return
    require(actor, Perm.PERSON_VIEW, person)
    taken = User.objects.filter(person=person)
    if user is not None:
        taken = taken.exclude(pk=user.pk)
    if taken.exists():
        raise ServiceError(_("人员“%(person)s”已关联其他账户。") % {"person": person.name})


def _check_password(password: str, user: User) -> None:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ServiceError(exc.messages) from exc


@transaction.atomic
def user_create(
    *,
    actor: Actor,
    username: str,
    full_name: str,
    unit: OrgUnit,
    password: str,
    person: Person | None = None,
    email: str = "",
    phone: str = "",
    password_change_required: bool | None = None,
) -> User:
    """Create an account. Its holder must choose their own password at the first sign-in when an
    official chose this one (the default for a person acting); accounts made by the system
    (``bootstrap_admin``, whose operator types their own password; loaders) are not asked unless
    the caller says so. The demo loader says no: its password is printed for visitors."""
    require(actor, Perm.USER_MANAGE, unit)
    username = (username or "").strip()
    if not username:
        raise ServiceError(_("用户名不能为空。"))
    if User.objects.filter(username__iexact=username).exists():
        raise ServiceError(_("用户名“%(username)s”已被使用。") % {"username": username})
    if not (full_name or "").strip():
        raise ServiceError(_("姓名不能为空。"))
    _check_person_link(actor, None, person)
    user = User(username=username, full_name=full_name.strip(), unit=unit, person=person, email=email, phone=phone)
    _check_password(password, user)
    user.set_password(password)
    if password_change_required is None:
        password_change_required = actor is not SYSTEM
    user.password_change_required = password_change_required
    user.save()
    after = {**snapshot(user, USER_FIELDS), "password_change_required": password_change_required}
    audit_record(actor=actor, action="accounts.user.create", target=user, after=after)
    return user


@transaction.atomic
def user_update(
    *,
    actor: Actor,
    user: User,
    full_name: str,
    unit: OrgUnit,
    person: Person | None = None,
    email: str = "",
    phone: str = "",
) -> User:
    require(actor, Perm.USER_MANAGE, user)
    require(actor, Perm.USER_MANAGE, unit)
    user = User.objects.select_for_update().get(pk=user.pk)
    if not (full_name or "").strip():
        raise ServiceError(_("姓名不能为空。"))
    _check_person_link(actor, user, person)
    before = snapshot(user, USER_FIELDS)
    user.full_name, user.unit, user.person = full_name.strip(), unit, person
    user.email, user.phone = email, phone
    user.save(update_fields=["full_name", "unit", "person", "email", "phone"])
    old, new = changed(before, snapshot(user, USER_FIELDS))
    if new:
        audit_record(actor=actor, action="accounts.user.update", target=user, before=old, after=new)
    return user


@transaction.atomic
def user_set_active(*, actor: Actor, user: User, active: bool) -> User:
    require(actor, Perm.USER_MANAGE, user)
    if actor is not SYSTEM and actor.pk == user.pk and not active:
        raise ServiceError(_("不能停用自己的账户。"))
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.is_active != active:
        user.is_active = active
        user.save(update_fields=["is_active"])
        audit_record(
            actor=actor,
            action="accounts.user.activate" if active else "accounts.user.deactivate",
            target=user,
            before={"is_active": not active},
            after={"is_active": active},
        )
    return user


@transaction.atomic
def user_set_password(*, actor: Actor, user: User, password: str) -> User:
    """Set a password: one's own, or someone else's (an administrator's reset). A password chosen by
    someone else must be replaced by its holder at the next sign-in; choosing one's own lifts that.
    The password itself is never logged."""
    by_someone_else = actor is SYSTEM or actor.pk != user.pk
    if by_someone_else:
        require(actor, Perm.USER_MANAGE, user)
    user = User.objects.select_for_update().get(pk=user.pk)
    _check_password(password, user)
    if not by_someone_else and user.check_password(password):
        # Otherwise "changing" to the password the office chose would lift the requirement.
        raise ServiceError(_("新密码不能与原密码相同。"))
    user.set_password(password)
    user.password_change_required = by_someone_else
    user.save(update_fields=["password", "password_change_required"])
    audit_record(
        actor=actor,
        action="accounts.user.set_password",
        target=user,
        after={"password_change_required": by_someone_else},
    )
    return user


@transaction.atomic
def role_grant(*, actor: Actor, user: User, role: str, scope: OrgUnit, note: str = "") -> RoleAssignment:
    if role not in Role.values:
        raise ServiceError(_("请选择角色。"))
    role = Role(role)
    if role in MEMBERSHIP_ROLES:
        raise ServiceError(_("“%(role)s”由巡察组编组产生，不能直接授予。") % {"role": role.label})
    scope = OrgUnit.objects.get(pk=scope.pk)  # decide on the stored state, not a stale copy
    if actor is not SYSTEM:
        require(actor, Perm.USER_MANAGE, user)
        if not can_grant(actor, role, scope):
            raise ServiceError(
                _("您无权在“%(scope)s”范围内授予“%(role)s”角色。") % {"scope": scope.name, "role": role.label}
            )
    if not scope.is_active:
        raise ServiceError(_("单位“%(scope)s”已停用，不能作为授权范围。") % {"scope": scope.name})
    if RoleAssignment.objects.filter(user=user, role=role, scope=scope, revoked_at__isnull=True).exists():
        raise ServiceError(
            _("%(user)s已在“%(scope)s”范围内拥有“%(role)s”角色。")
            % {"user": user, "scope": scope.name, "role": role.label}
        )
    assignment = RoleAssignment.objects.create(
        user=user,
        role=role,
        scope=scope,
        granted_by=actor if actor is not SYSTEM else None,
        note=(note or "").strip()[:200],
    )
    forget_grants(user)
    audit_record(
        actor=actor,
        action="accounts.role.grant",
        target=assignment,
        after={"user": user.pk, "role": role.value, "scope": scope.pk, "note": assignment.note},
    )
    return assignment


@transaction.atomic
def role_revoke(*, actor: Actor, assignment: RoleAssignment) -> RoleAssignment:
    assignment = RoleAssignment.objects.select_for_update().select_related("scope", "user").get(pk=assignment.pk)
    if actor is not SYSTEM:
        if not can_grant(actor, Role(assignment.role), assignment.scope):
            raise ServiceError(_("您无权撤销这项授权。"))
        if assignment.user_id == actor.pk:
            raise ServiceError(_("不能撤销自己的授权，请由其他管理人员办理。"))
    if assignment.revoked_at is not None:
        raise ServiceError(_("这项授权已经撤销。"))
    assignment.revoked_at = timezone.now()
    assignment.revoked_by = actor if actor is not SYSTEM else None
    assignment.save(update_fields=["revoked_at", "revoked_by", "updated_at"])
    forget_grants(assignment.user)
    audit_record(
        actor=actor,
        action="accounts.role.revoke",
        target=assignment,
        before={"revoked_at": None},
        after={"revoked_at": assignment.revoked_at.isoformat()},
    )
    return assignment
