"""Who must sign in with a second factor, and whether a session has one (reads only).

A user must enrol when any role they hold requires it: an active role assignment, or team
membership (巡察组成员 is a membership role). Per role, the office's ``TwoFactorRule`` decides; a
role without a rule follows ``settings.XUNCHA_2FA_REQUIRED_ROLES``.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from xuncha.accounts.models import TwoFactorRule
from xuncha.accounts.permissions import Perm, Role, has_perm, user_roles

# Session keys. The verification time is kept in the (server-side) session: "fresh" means the
# holder typed a code within XUNCHA_2FA_FRESH_SECONDS.
VERIFIED_AT_KEY = "xuncha_2fa_verified_at"
PENDING_KEY = "xuncha_2fa_pending"
# Roles that may change the per-role rules: the rule holds for the whole installation, so it is the
# office head's and the administrator's (the same two who set the calendar and message channels).
RULE_MANAGERS = frozenset({Role.OFFICE_HEAD, Role.SYSADMIN})


def enforced() -> bool:
    """Off only in the test settings, where thousands of tests sign in with force_login."""
    return bool(getattr(settings, "XUNCHA_2FA_ENFORCED", True))


def default_required(role: Role | str) -> bool:
    return str(role) in set(settings.XUNCHA_2FA_REQUIRED_ROLES)


def role_requires(role: Role | str, rules: dict[str, bool] | None = None) -> bool:
    """Does ``role`` require a second factor? The office's rule, else the settings default."""
    if rules is None:
        rules = dict(TwoFactorRule.objects.values_list("role", "required"))
    return rules[str(role)] if str(role) in rules else default_required(role)


@dataclass(frozen=True)
class RoleRule:
    role: Role
    required: bool
    from_office: bool  # False: the settings default applies
    changed_by: Any = None
    changed_at: Any = None


def role_rules() -> list[RoleRule]:
    """Every role with its requirement, for the office's page."""
    rows = {r.role: r for r in TwoFactorRule.objects.select_related("changed_by")}
    out = []
    for role in Role:
        row = rows.get(role.value)
        if row is None:
            out.append(RoleRule(role, default_required(role), False))
        else:
            out.append(RoleRule(role, row.required, True, row.changed_by, row.updated_at))
    return out


def roles_of(user: Any) -> set[Role]:
    """Active roles: assignments, plus 巡察组成员 while the user serves on a team (membership)."""
    roles = user_roles(user)
    # FIELDWORK_EDIT comes from team membership only (MEMBERSHIP_ONLY): holding it means serving on a team.
    if Role.TEAM_MEMBER not in roles and has_perm(user, Perm.FIELDWORK_EDIT):
        roles.add(Role.TEAM_MEMBER)
    return roles


def is_required(user: Any) -> bool:
    """Must ``user`` sign in with a second factor? Cached on the user object for the request."""
    if not getattr(user, "is_authenticated", False):
        return False
    cached = getattr(user, "_xuncha_2fa_required", None)
    if cached is None:
        roles = roles_of(user)
        rules = dict(TwoFactorRule.objects.filter(role__in=[r.value for r in roles]).values_list("role", "required"))
        cached = user._xuncha_2fa_required = any(role_requires(r, rules) for r in roles)
    return bool(cached)


def totp_device(user: Any) -> TOTPDevice | None:
    """The user's confirmed authenticator app, if any (one per user)."""
    if not getattr(user, "is_authenticated", False):
        return None
    return TOTPDevice.objects.filter(user_id=user.pk, confirmed=True).order_by("-pk").first()


def has_device(user: Any) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    cached = getattr(user, "_xuncha_2fa_device", None)
    if cached is None:
        cached = user._xuncha_2fa_device = TOTPDevice.objects.filter(user_id=user.pk, confirmed=True).exists()
    return bool(cached)


def recovery_codes_left(user: Any) -> int:
    device = StaticDevice.objects.filter(user_id=user.pk, confirmed=True).first()
    return device.token_set.count() if device else 0


def can_manage_rules(user: Any) -> bool:
    return has_perm(user, Perm.ROLE_ASSIGN) and bool(user_roles(user) & RULE_MANAGERS)


# --- the session -----------------------------------------------------------------------------


def session_verified(request: Any) -> bool:
    """Did this session pass a second factor (django-otp's device on the request)?"""
    user = getattr(request, "user", None)
    return bool(user is not None and getattr(user, "otp_device", None) is not None)


def verified_at(request: Any) -> float | None:
    value = request.session.get(VERIFIED_AT_KEY)
    return float(value) if isinstance(value, int | float) else None


def is_fresh(request: Any) -> bool:
    """Was a code typed in this session within the last XUNCHA_2FA_FRESH_SECONDS?"""
    at = verified_at(request)
    if at is None or not session_verified(request):
        return False
    return 0 <= time.time() - at <= settings.XUNCHA_2FA_FRESH_SECONDS


def needs_fresh_code(request: Any) -> bool:
    """Must this request prove a fresh code before a sensitive action? Only where two-factor is
    enforced and the user has an authenticator: a user who has none and need not enrol is not
    blocked (the enrolment middleware sends those who must enrol to the enrolment page first)."""
    return enforced() and has_device(request.user) and not is_fresh(request)


@dataclass(frozen=True)
class UserStatus:
    enrolled: bool
    required: bool
    since: Any = None
    last_used: Any = None
    recovery_left: int = 0


def user_status(user: Any) -> UserStatus:
    """What the user's own page and the office's user page show."""
    device = totp_device(user)
    required = is_required(user)
    if device is None:
        return UserStatus(False, required)
    return UserStatus(True, required, device.created_at, device.last_used_at, recovery_codes_left(user))
