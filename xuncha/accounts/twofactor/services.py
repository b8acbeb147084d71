"""Writes for two-factor sign-in: enrol, recovery codes, disable, office reset, per-role rules.

The authenticator is a django-otp ``TOTPDevice`` (one per user); the ten one-time recovery codes
are the tokens of one ``StaticDevice``. Every change is audited. Secrets and codes never go into
the audit log.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import django_otp
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from xuncha.accounts.models import TwoFactorRule, User
from xuncha.accounts.permissions import Perm, Role, require
from xuncha.accounts.twofactor import policy
from xuncha.audit.services import audit_record
from xuncha.common.actors import SYSTEM, Actor
from xuncha.common.exceptions import ServiceError

RECOVERY_CODE_COUNT = 10
# Below this many unused recovery codes the user is told to make new ones.
RECOVERY_LOW = 3
TOTP_NAME = "手机验证器"
STATIC_NAME = "恢复码"


def format_recovery_code(token: str) -> str:
    return f"{token[:4]}-{token[4:]}"


def _normalise(code: str) -> str:
    text = "".join(ch for ch in (code or "") if ch.isalnum()).lower()
    if text.isdigit():
        return text  # a code from the authenticator app
    return text.replace("0", "o")  # a recovery code is base32 (a-z, 2-7): a zero can only be the letter o


def _forget(user: Any) -> None:
    for attr in ("_xuncha_2fa_device", "_xuncha_2fa_required"):
        if hasattr(user, attr):
            delattr(user, attr)


def _new_recovery_codes(user: User) -> list[str]:
    device, _created = StaticDevice.objects.get_or_create(user=user, name=STATIC_NAME, defaults={"confirmed": True})
    device.token_set.all().delete()
    tokens = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=t) for t in tokens])
    return [format_recovery_code(t) for t in tokens]


# --- the user's own authenticator -----------------------------------------------------------


@transaction.atomic
def totp_enrol_start(*, user: User) -> TOTPDevice:
    """The unconfirmed authenticator the enrolment page shows (the same one on every reload)."""
    if policy.has_device(user):
        raise ServiceError(_("您已启用双因素认证。"))
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=TOTP_NAME, confirmed=False)
        audit_record(actor=user, action="accounts.twofactor.enrol_start", target=user)
    return device


@transaction.atomic
def totp_enrol_confirm(*, user: User, token: str) -> tuple[TOTPDevice, list[str]]:
    """Confirm the pending authenticator with a first code; returns it and the recovery codes,
    which are shown once and never again."""
    device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).order_by("-pk").first()
    if device is None:
        raise ServiceError(_("请先扫描二维码，再输入验证码。"))
    if not device.verify_is_allowed()[0]:
        raise ServiceError(_("验证码错误次数过多，请稍候再试。"))
    if not device.verify_token(_normalise(token)):
        raise ServiceError(_("验证码不正确。请核对手机时间是否准确，输入应用当前显示的6位数字。"))
    TOTPDevice.objects.filter(user=user, confirmed=True).delete()  # at most one authenticator
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = _new_recovery_codes(user)
    _forget(user)
    audit_record(
        actor=user,
        action="accounts.twofactor.enrol",
        target=user,
        after={"device": device.name, "recovery_codes": len(codes)},
    )
    return device, codes


@transaction.atomic
def recovery_codes_regenerate(*, user: User) -> list[str]:
    """New recovery codes; the old ones stop working."""
    if not policy.has_device(user):
        raise ServiceError(_("请先启用双因素认证。"))
    codes = _new_recovery_codes(user)
    audit_record(actor=user, action="accounts.twofactor.recovery_regenerate", target=user, after={"count": len(codes)})
    return codes


def _remove_devices(user: User) -> int:
    totp, _ = TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    _forget(user)
    return totp


@transaction.atomic
def twofactor_disable(*, user: User, rebind: bool = False) -> None:
    """The holder removes their authenticator and recovery codes: to switch two-factor off (only
    where no role of theirs requires it) or, with ``rebind``, to enrol a new phone at once."""
    if not rebind and policy.is_required(user):
        raise ServiceError(_("您的角色须启用双因素认证，不能停用。"))
    if not _remove_devices(user):
        raise ServiceError(_("您尚未启用双因素认证。"))
    action = "accounts.twofactor.rebind" if rebind else "accounts.twofactor.disable"
    audit_record(actor=user, action=action, target=user)


@transaction.atomic
def twofactor_reset(*, actor: Actor, user: User) -> None:
    """The office removes a user's authenticator and recovery codes (a lost phone). The user
    enrols again at the next sign-in if a role requires it."""
    require(actor, Perm.USER_MANAGE, user)
    if actor is not SYSTEM and actor.pk == user.pk:
        raise ServiceError(_("不能重置本人的双因素认证，请在“双因素认证”页面操作，或请其他管理员办理。"))
    if not _remove_devices(user):
        raise ServiceError(_("该账户未启用双因素认证。"))
    audit_record(actor=actor, action="accounts.twofactor.reset", target=user, before={"enrolled": True})


# --- checking a code ------------------------------------------------------------------------


@dataclass(frozen=True)
class Verification:
    device: Device
    recovery: bool = False  # a recovery code was used
    remaining: int = 0  # recovery codes left (after this one)

    @property
    def low(self) -> bool:
        return self.recovery and self.remaining <= RECOVERY_LOW


def _check(user: User, device: Device | None, code: str) -> bool:
    if device is None:
        return False
    if not device.verify_is_allowed()[0]:
        raise ServiceError(_("验证码错误次数过多，请稍候再试。"))
    return django_otp.verify_token(user, device.persistent_id, code) is not None


def verify_code(*, user: User, code: str) -> Verification:
    """Check a 6-digit code from the authenticator or a one-time recovery code. Raises
    ServiceError when it is wrong; the caller counts that as a failed sign-in."""
    code = _normalise(code)
    if code.isdigit() and len(code) == 6:
        device = policy.totp_device(user)
        if _check(user, device, code):
            return Verification(device)
    elif len(code) == 8:
        static = StaticDevice.objects.filter(user=user, confirmed=True).first()
        if _check(user, static, code):
            return _recovery_used(user, static)
    raise ServiceError(_("验证码不正确。"))


@transaction.atomic
def _recovery_used(user: User, device: StaticDevice) -> Verification:
    remaining = device.token_set.count()
    audit_record(actor=user, action="accounts.twofactor.recovery_used", target=user, after={"remaining": remaining})
    return Verification(device, recovery=True, remaining=remaining)


# --- the office's rules per role ------------------------------------------------------------


@transaction.atomic
def twofactor_rule_set(*, actor: Actor, role: Role | str, required: bool) -> TwoFactorRule:
    """Whether ``role`` must sign in with a second factor (installation-wide)."""
    if actor is not SYSTEM and not policy.can_manage_rules(actor):
        raise PermissionDenied
    role = Role(role)
    before = policy.role_requires(role)
    row, _created = TwoFactorRule.objects.select_for_update().get_or_create(role=role.value)
    row.required = bool(required)
    row.changed_by = actor if actor is not SYSTEM else None
    row.save(update_fields=["required", "changed_by", "updated_at"])
    if before != row.required:
        audit_record(
            actor=actor,
            action="accounts.twofactor.rule",
            target_type=TwoFactorRule._meta.label_lower,
            target_id=str(row.pk),
            target_repr=str(row),
            scope_unit=getattr(actor, "unit", None),
            before={"role": role.value, "required": before},
            after={"role": role.value, "required": row.required},
        )
    return row


@transaction.atomic
def twofactor_rules_set(*, actor: Actor, rules: Mapping[Role | str, bool]) -> int:
    """Save the office's whole table at once; returns how many roles changed. Roles left as they
    were get no row of their own, so they keep following the settings default."""
    if actor is not SYSTEM and not policy.can_manage_rules(actor):
        raise PermissionDenied
    current = dict(TwoFactorRule.objects.values_list("role", "required"))
    changed = 0
    for role, required in rules.items():
        if policy.role_requires(role, current) != bool(required):
            twofactor_rule_set(actor=actor, role=role, required=required)
            changed += 1
    return changed


@transaction.atomic
def totp_device_install(*, actor: Actor, user: User, key: str) -> TOTPDevice:
    """A confirmed authenticator with a given secret (hex). For the demo loader only: a command
    run on the server, never a page (a secret chosen by someone else is no second factor)."""
    if actor is not SYSTEM:
        raise PermissionDenied
    device, _created = TOTPDevice.objects.update_or_create(
        user=user, name=TOTP_NAME, defaults={"key": key, "confirmed": True}
    )
    _forget(user)
    audit_record(actor=actor, action="accounts.twofactor.install", target=user)
    return device
