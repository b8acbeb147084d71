"""A new installation gets its first administrator, who can then sign in and manage the tree."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from xuncha.accounts.models import OrgUnit, User
from xuncha.accounts.permissions import Perm, has_perm


def test_creates_root_and_admin_on_an_empty_database(db, monkeypatch, client):
    monkeypatch.setenv("XUNCHA_ADMIN_PASSWORD", "first-admin-pass-1")
    call_command(
        "bootstrap_admin", "--username", "root", "--full-name", "管理员", "--root-name", "某某县", stdout=StringIO()
    )
    root = OrgUnit.objects.get(name="某某县")
    user = User.objects.get(username="root")
    assert has_perm(user, Perm.ADMIN_SITE) and has_perm(user, Perm.ORG_MANAGE, root)
    response = client.post("/login/", {"username": "root", "password": "first-admin-pass-1"})
    assert response.status_code == 302


def test_refuses_a_weak_password_and_leaves_nothing(db, monkeypatch):
    monkeypatch.setenv("XUNCHA_ADMIN_PASSWORD", "123")
    with pytest.raises(CommandError):
        call_command("bootstrap_admin", "--username", "root", "--full-name", "管理员", "--root-name", "某某县")
    assert not OrgUnit.objects.exists() and not User.objects.exists()


def test_needs_a_root_name_on_an_empty_tree(db, monkeypatch):
    monkeypatch.setenv("XUNCHA_ADMIN_PASSWORD", "first-admin-pass-1")
    with pytest.raises(CommandError, match="root-name"):
        call_command("bootstrap_admin", "--username", "root", "--full-name", "管理员")
