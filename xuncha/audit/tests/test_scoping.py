"""Who reads which part of the log: each jurisdiction its own rows, and rows follow moved units."""

from django.urls import reverse

from xuncha.accounts import services
from xuncha.accounts.permissions import Role
from xuncha.accounts.tests.factories import make_user
from xuncha.common.actors import SYSTEM
from xuncha.workspace.audit_log import audit_entry_list


def test_each_county_reads_its_own_rows(world):
    head_a = make_user(world.a["dept"], Role.OFFICE_HEAD, scope=world.a["county"])
    rows = audit_entry_list(user=head_a)
    names = set(rows.values_list("target_repr", flat=True))
    assert world.a["town"].name in names and world.b["town"].name not in names


def test_rows_follow_a_unit_that_moves_to_another_county(world):
    head_a = make_user(world.a["dept"], Role.OFFICE_HEAD, scope=world.a["county"])
    head_b = make_user(world.b["dept"], Role.OFFICE_HEAD, scope=world.b["county"])
    village = world.a["village"]
    services.unit_move(actor=SYSTEM, unit=village, new_parent=world.b["town"])
    assert audit_entry_list(user=head_b).filter(target_repr=village.name, action="org.unit.create").exists()
    assert not audit_entry_list(user=head_a).filter(target_repr=village.name).exists()


def test_entry_page_of_another_county_is_404(client, world):
    from xuncha.audit.models import AuditEntry

    head_a = make_user(world.a["dept"], Role.OFFICE_HEAD, scope=world.a["county"])
    client.force_login(head_a)
    entry_b = AuditEntry.objects.filter(scope_unit=world.b["town"]).first()
    assert client.get(reverse("audit:entry_detail", args=[entry_b.seq])).status_code == 404
    entry_a = AuditEntry.objects.filter(scope_unit=world.a["town"]).first()
    assert client.get(reverse("audit:entry_detail", args=[entry_a.seq])).status_code == 200


def test_float_values_survive_the_round_trip(db):
    from django.core.management import call_command
    from django.db import transaction

    from xuncha.audit.services import audit_record

    with transaction.atomic():
        entry = audit_record(actor=SYSTEM, action="test.float", target_type="t", after={"amount": 1e16, "rate": 0.1})
    assert entry.after == {"amount": "1e+16", "rate": "0.1"}
    call_command("audit_verify")
