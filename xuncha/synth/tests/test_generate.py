"""The generator: shape and counts at a tiny scale, determinism, refusal, a valid audit chain,
reports the staff pages can open, and ids that leave room for the ORM afterwards."""

import hashlib
from dataclasses import replace

import pytest
from django.core.management import call_command
from django.db import transaction

from xuncha.accounts.models import OrgUnit, Person, UnitType, User
from xuncha.accounts.permissions import Role
from xuncha.analytics.models import RollupMark
from xuncha.analytics.rollups.verify import dashboard_differences
from xuncha.analytics.selectors import dashboard as stats
from xuncha.audit.models import AuditEntry, AuditHead
from xuncha.audit.selectors import audit_chain_verify
from xuncha.fieldwork.models import FixNotice, FixState, PaperState, WorkingPaper
from xuncha.findings.models import Problem
from xuncha.intake.models import Report, ReportMessage
from xuncha.intake.services import message_text, open_json
from xuncha.plans.models import Round, RoundState, RoundTarget, Team
from xuncha.rectification.models import Task
from xuncha.synth.context import TINY
from xuncha.synth.generate import SynthRefused, generate
from xuncha.synth.tests.conftest import AS_OF
from xuncha.transfers.models import Transfer

OLD = [RoundState.REPORTING, RoundState.FEEDBACK_DONE, RoundState.RECTIFYING, RoundState.EVALUATED, RoundState.ARCHIVED]


def test_tiny_counts(synth):
    assert OrgUnit.objects.filter(unit_type=UnitType.COUNTY).count() == 2
    per_county = 1 + 18 + TINY.townships * (1 + TINY.villages_per_township) + 6  # 县委, departments, towns, others
    assert OrgUnit.objects.filter(depth__gte=4).count() == 2 * per_county
    assert Round.objects.count() == 2 * TINY.years * TINY.rounds_per_year
    assert RoundTarget.objects.count() == Round.objects.count() * TINY.targets_per_round
    assert Team.objects.count() == Round.objects.count() * TINY.targets_per_round // TINY.targets_per_team
    assert Person.objects.count() > 150
    assert WorkingPaper.objects.exists() and Report.objects.exists() and ReportMessage.objects.exists()
    assert synth.rows["fieldwork.WorkingPaper"] == WorkingPaper.objects.count()


def test_tree_is_sound(synth):
    assert all(not problems for problems in OrgUnit.objects.find_problems())
    county = OrgUnit.objects.filter(unit_type=UnitType.COUNTY).first()
    assert county.numchild == OrgUnit.objects.get_children(county).count()


def test_states_are_realistic(synth):
    old = WorkingPaper.objects.filter(team__round__state__in=OLD)
    assert old.exists() and not old.exclude(state=PaperState.SIGNED).exists()  # old rounds: all signed
    assert not FixNotice.objects.filter(paper__team__round__state__in=OLD).exclude(state=FixState.ACCEPTED).exists()
    assert Round.objects.filter(state=RoundState.ON_SITE).exists()
    assert not WorkingPaper.objects.filter(team__round__state__in=[RoundState.DRAFT, RoundState.APPROVED]).exists()


def test_audit_chain_verifies(synth):
    report = audit_chain_verify()
    assert report.ok, report.reason
    assert report.checked == AuditEntry.objects.count() == AuditHead.objects.get().last_seq
    call_command("audit_verify")


def test_audit_chain_catches_a_changed_synthetic_row(synth):
    # The check can fail: change one generated row and the chain breaks there.
    row = AuditEntry.objects.order_by("seq")[5]
    AuditEntry.objects.filter(seq=row.seq).update(target_repr="篡改")
    assert audit_chain_verify().broken_seq == row.seq


def test_sealed_reports_open_like_filed_ones(synth):
    report = Report.objects.exclude(contact=None).first()
    assert open_json(report, "content")["what"]
    assert open_json(report, "contact")["name"]
    message = ReportMessage.objects.select_related("report").first()
    assert message_text(message)


def _fingerprint() -> str:
    digest = hashlib.sha256(AuditHead.objects.get().last_hash.encode())
    for row in WorkingPaper.objects.order_by("pk").values_list("pk", "title", "state", "facts", "amount"):
        digest.update(repr(row).encode())
    for row in Report.objects.order_by("pk").values_list("pk", "intake_no", "state", "channel", "created_at"):
        digest.update(repr(row).encode())
    for row in Problem.objects.order_by("pk").values_list("pk", "target_id", "number", "title", "severity"):
        digest.update(repr(row).encode())
    for row in Task.objects.order_by("pk").values_list("pk", "plan_id", "number", "state", "due_on", "closed_on"):
        digest.update(repr(row).encode())
    for row in Transfer.objects.order_by("pk").values_list("pk", "kind", "state", "sent_on", "receiver_id"):
        digest.update(repr(row).encode())
    return digest.hexdigest()


def _generate_and_forget(**kw) -> str:
    with transaction.atomic():
        generate(counties=1, as_of=AS_OF, sizes=TINY, **kw)
        fingerprint = _fingerprint()
        transaction.set_rollback(True)
    return fingerprint


@pytest.mark.django_db
def test_same_seed_same_data():
    assert _generate_and_forget(seed=1) == _generate_and_forget(seed=1)
    assert _generate_and_forget(seed=1) != _generate_and_forget(seed=2)


def test_refuses_a_database_with_data_unless_appending(synth):
    with pytest.raises(SynthRefused):
        generate(counties=1, as_of=AS_OF, sizes=TINY)
    more = generate(counties=1, seed=7, as_of=AS_OF, sizes=TINY, append=True)
    assert more.first_county == 2
    assert OrgUnit.objects.filter(unit_type=UnitType.COUNTY).count() == 3
    assert all(not problems for problems in OrgUnit.objects.find_problems())
    assert audit_chain_verify().ok


def test_the_orm_can_add_rows_afterwards(synth):
    # Ids were handed out by the generator; PostgreSQL's sequences must have moved past them.
    from xuncha.accounts import services
    from xuncha.common.actors import SYSTEM

    county = OrgUnit.objects.filter(unit_type=UnitType.COUNTY).first()
    unit = services.unit_create(actor=SYSTEM, parent=county, name="新设单位", unit_type=UnitType.DEPARTMENT)
    assert unit.pk > max(OrgUnit.objects.exclude(pk=unit.pk).values_list("pk", flat=True))
    assert User.objects.create(username="after-synth").pk
    assert all(not problems for problems in OrgUnit.objects.find_problems())


def test_sizes_scale_the_volume(db):
    small = generate(counties=1, as_of=AS_OF, sizes=replace(TINY, papers_per_target=2))
    assert small.rows["fieldwork.WorkingPaper"] < 60


def test_rollups_are_current_and_agree_with_a_live_count(synth):
    """The generator recounts the statistics at its end: the first statistics page has nothing to
    catch up, and every county office's figures equal the live count."""
    assert RollupMark.objects.get(pk=1).seq == AuditHead.objects.get(pk=1).last_seq
    offices = User.objects.filter(role_assignments__role=Role.OFFICE_STAFF).distinct()
    assert offices.count() >= 2
    for user in offices:
        scope = stats.scope_for(user)
        for f in (stats.Filters(), stats.Filters(year=AS_OF.year)):
            assert dashboard_differences(scope, f) == [], (user.username, f)
