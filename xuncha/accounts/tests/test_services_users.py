"""Accounts and role grants: no one grants more than they hold, nor outside their subtree."""

import pytest
from django.contrib.auth import authenticate

from xuncha.accounts import services
from xuncha.accounts.models import RoleAssignment
from xuncha.accounts.permissions import Perm, Role, has_perm
from xuncha.accounts.tests.factories import PASSWORD, make_user
from xuncha.audit.models import AuditEntry
from xuncha.common.exceptions import ServiceError


@pytest.fixture
def staff(world):
    return make_user(world.a["dept"], Role.OFFICE_STAFF, scope=world.a["county"])


@pytest.fixture
def head(world):
    return make_user(world.a["dept"], Role.OFFICE_HEAD, scope=world.a["county"])


def test_user_create_checks_name_password_and_audits_without_the_password(world, staff):
    user = services.user_create(
        actor=staff, username="newbie", full_name="新人", unit=world.a["town"], password=PASSWORD
    )
    entry = AuditEntry.objects.get(action="accounts.user.create", target_id=str(user.pk))
    assert "password" not in entry.after and PASSWORD not in str(entry.after)
    with pytest.raises(ServiceError, match="已被使用"):
        services.user_create(actor=staff, username="NEWBIE", full_name="重名", unit=world.a["town"], password=PASSWORD)
    with pytest.raises(ServiceError):
        services.user_create(
            actor=staff, username="weak", full_name="弱口令", unit=world.a["town"], password="12345678"
        )


def test_staff_cannot_grant_office_head_or_sysadmin(world, staff):
    target = world.a["user"]
    for role in (Role.OFFICE_HEAD, Role.SYSADMIN):
        with pytest.raises(ServiceError, match="无权"):
            services.role_grant(actor=staff, user=target, role=role, scope=world.a["county"])
    assert not RoleAssignment.objects.filter(user=target).exists()


def test_head_can_grant_staff_but_not_sysadmin(world, head):
    services.role_grant(actor=head, user=world.a["user"], role=Role.OFFICE_STAFF, scope=world.a["town"])
    with pytest.raises(ServiceError, match="无权"):
        services.role_grant(actor=head, user=world.a["user"], role=Role.SYSADMIN, scope=world.a["county"])


def test_no_grant_over_a_scope_outside_ones_own(world, staff):
    with pytest.raises(ServiceError, match="无权"):
        services.role_grant(actor=staff, user=world.a["user"], role=Role.UNIT_LIAISON, scope=world.b["town"])
    with pytest.raises(ServiceError, match="无权"):
        services.role_grant(actor=staff, user=world.a["user"], role=Role.UNIT_LIAISON, scope=world.city)


def test_team_member_comes_from_membership_only(world, staff):
    with pytest.raises(ServiceError, match="编组"):
        services.role_grant(actor=staff, user=world.a["user"], role=Role.TEAM_MEMBER, scope=world.a["town"])


def test_grant_takes_effect_and_duplicate_is_refused(world, staff):
    target = world.a["user"]
    assert not has_perm(target, Perm.PERSON_VIEW, world.a["person"])
    services.role_grant(actor=staff, user=target, role=Role.UNIT_LIAISON, scope=world.a["town"], note="联络员")
    assert has_perm(target, Perm.PERSON_VIEW, world.a["person"])
    assert not has_perm(target, Perm.PERSON_VIEW, world.b["person"])
    with pytest.raises(ServiceError, match="已在"):
        services.role_grant(actor=staff, user=target, role=Role.UNIT_LIAISON, scope=world.a["town"])


def test_revoke_ends_access_keeps_the_record(world, staff):
    target = world.a["user"]
    grant = services.role_grant(actor=staff, user=target, role=Role.UNIT_LIAISON, scope=world.a["town"])
    services.role_revoke(actor=staff, assignment=grant)
    grant.refresh_from_db()
    assert grant.revoked_at is not None and grant.revoked_by == staff
    assert not has_perm(target, Perm.PERSON_VIEW, world.a["person"])
    with pytest.raises(ServiceError, match="已经撤销"):
        services.role_revoke(actor=staff, assignment=grant)
    # a fresh grant of the same role is allowed after revocation
    services.role_grant(actor=staff, user=target, role=Role.UNIT_LIAISON, scope=world.a["town"])


def test_cannot_revoke_own_grant_or_deactivate_self(world, staff):
    own = RoleAssignment.objects.get(user=staff)
    with pytest.raises(ServiceError, match="自己"):
        services.role_revoke(actor=staff, assignment=own)
    with pytest.raises(ServiceError, match="自己"):
        services.user_set_active(actor=staff, user=staff, active=False)


def test_deactivated_user_loses_access_and_cannot_log_in(world, staff, rf):
    target = make_user(world.a["town"], Role.UNIT_LEADER, username="leader1")
    assert authenticate(rf.post("/login/"), username="leader1", password=PASSWORD) is not None
    services.user_set_active(actor=staff, user=target, active=False)
    target.refresh_from_db()
    assert not has_perm(target, Perm.ORG_VIEW)
    assert authenticate(rf.post("/login/"), username="leader1", password=PASSWORD) is None


def test_grant_on_inactive_unit_refused(world, staff):
    village = world.a["village"]
    services.unit_set_active(actor=staff, unit=village, active=False, reason="撤并")
    with pytest.raises(ServiceError, match="已停用"):
        services.role_grant(actor=staff, user=world.a["user"], role=Role.UNIT_LIAISON, scope=village)


def test_password_reset_validates_and_never_logs_the_password(world, staff):
    target = world.a["user"]
    with pytest.raises(ServiceError):
        services.user_set_password(actor=staff, user=target, password="short")
    services.user_set_password(actor=staff, user=target, password="another-good-pass-1")
    entry = AuditEntry.objects.filter(action="accounts.user.set_password").get()
    # only whether the holder must change it is recorded, never the password
    assert entry.before is None and entry.after == {"password_change_required": True}


def test_account_links_to_one_person_in_sight(world, staff):
    from django.core.exceptions import PermissionDenied

    person = world.a["person"]
    user = services.user_update(
        actor=staff, user=world.a["user"], full_name="张三", unit=world.a["dept"], person=person
    )
    assert user.person == person
    with pytest.raises(ServiceError, match="已关联其他账户"):
        services.user_create(
            actor=staff, username="dup", full_name="x", unit=world.a["dept"], password=PASSWORD, person=person
        )
    with pytest.raises(PermissionDenied):
        services.user_update(
            actor=staff, user=world.a["user"], full_name="x", unit=world.a["dept"], person=world.b["person"]
        )
