"""The demo county: big enough to be real, built once, one account per role, each can sign in."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from xuncha.accounts.demo import DEMO_ACCOUNTS, DEMO_PASSWORD
from xuncha.accounts.models import OrgUnit, Person, Relationship, User
from xuncha.accounts.permissions import Role
from xuncha.audit.models import AuditEntry
from xuncha.common.testing import load_demo


@pytest.fixture
def demo(db):
    load_demo()  # seeded by this process's first user of the demo, a copy of its tables after that


def test_demo_county_is_big_enough(demo):
    assert OrgUnit.objects.count() >= 40
    assert OrgUnit.objects.filter(unit_type="village").count() >= 20
    assert Person.objects.count() >= 300
    assert Relationship.objects.count() >= 30
    assert Person.objects.filter(posts__end_date__isnull=False).exists()  # some past posts
    assert AuditEntry.objects.filter(action="org.unit.create").count() == OrgUnit.objects.count()


def test_demo_seed_is_idempotent(demo):
    counts = (OrgUnit.objects.count(), Person.objects.count(), User.objects.count(), AuditEntry.objects.count())
    out = StringIO()
    call_command("demo_seed", stdout=out)
    assert "已存在" in out.getvalue()
    assert counts == (OrgUnit.objects.count(), Person.objects.count(), User.objects.count(), AuditEntry.objects.count())


def test_one_demo_account_per_role(demo):
    out = StringIO()
    call_command("demo_accounts", "--json", stdout=out)
    rows = json.loads(out.getvalue())
    assert {r["role"] for r in rows} == {r.value for r in Role}
    assert all(set(r) == {"username", "password", "role"} for r in rows)


def test_every_demo_account_can_sign_in(demo, client):
    # the demo password is printed for visitors: no forced change that would lock the next one out
    assert not User.objects.filter(password_change_required=True).exists()
    for account in DEMO_ACCOUNTS:
        response = client.post("/login/", {"username": account.username, "password": DEMO_PASSWORD})
        assert response.status_code == 302, account.username
        assert client.get("/").status_code == 200
        client.post("/logout/")


def test_demo_refused_where_not_allowed(db, settings):
    settings.XUNCHA_DEMO_ALLOWED = False
    with pytest.raises(CommandError):
        call_command("demo_seed", stdout=StringIO())
    with pytest.raises(CommandError):
        call_command("demo_accounts", "--json", stdout=StringIO())


def test_if_empty_skips_a_database_with_units(world):
    out = StringIO()
    call_command("demo_seed", "--if-empty", stdout=out)
    assert "已有其他单位" in out.getvalue()
    assert not OrgUnit.objects.filter(name="示例县").exists()


def test_audit_chain_intact_after_seed(demo, capsys):
    call_command("audit_verify")
    assert "审计链完好" in capsys.readouterr().out
