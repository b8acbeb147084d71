"""The transition engine (``Workflow.apply``) against the database, on the round's table: it locks
the row and decides on the stored state, refuses an edge or a permission before writing anything,
and writes the state, the event row and the audit row together or not at all."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.db.models.query import QuerySet

from xuncha.accounts.permissions import Role
from xuncha.accounts.tests.factories import make_user
from xuncha.audit.models import AuditEntry
from xuncha.common.actors import SYSTEM
from xuncha.common.exceptions import ServiceError
from xuncha.plans import services
from xuncha.plans.models import Round, RoundEvent, RoundState
from xuncha.plans.tests.factories import make_round
from xuncha.plans.workflow import ROUND_WORKFLOW
from xuncha.workflow import engine as transitions

APPROVAL = {"approved_on": date(2026, 8, 1), "approval_meeting": "领导小组第3次会议", "comment": "  按期批准 "}


@pytest.fixture
def staff(world):
    return make_user(world.a["dept"], Role.OFFICE_STAFF, scope=world.a["county"])


@pytest.fixture
def rnd(world):
    rnd = make_round(world.a["county"])
    services.round_target_add(actor=SYSTEM, rnd=rnd, unit=world.a["town"])
    return rnd


def _written(rnd: Round) -> tuple[str, int, int]:
    """What a transition writes: the stored state, the event rows, the audit rows about the round."""
    steps = {t.action for t in ROUND_WORKFLOW.transitions}
    entries = AuditEntry.objects.filter(target_type="plans.round", target_id=str(rnd.pk))
    audited = sum(1 for action in entries.values_list("action", flat=True) if action.split(".")[-1] in steps)
    stored = Round.objects.values_list("state", flat=True).get(pk=rnd.pk)
    return stored, RoundEvent.objects.filter(round=rnd).count(), audited


def test_a_step_writes_the_state_one_event_and_one_audit_row(rnd, staff):
    applied = ROUND_WORKFLOW.apply(rnd, "approve", actor=staff, data=APPROVAL, effect=services.rounds._round_step)
    assert applied.obj.state == RoundState.APPROVED and applied.obj.approval_meeting == "领导小组第3次会议"
    event = applied.event
    assert isinstance(event, RoundEvent) and event.round_id == rnd.pk
    assert (event.action, event.from_state, event.to_state) == ("approve", "draft", "approved")
    assert event.actor == staff and event.comment == "按期批准" and event.created_at is not None
    entry = AuditEntry.objects.filter(action="plans.round.approve", target_id=str(rnd.pk)).get()
    assert entry.actor == staff
    assert entry.before == {"state": "draft"}
    assert entry.after == {"state": "approved", "comment": "按期批准"}
    assert _written(rnd) == ("approved", 1, 1)


def test_the_row_is_locked_and_the_stored_state_decides(rnd, staff, monkeypatch):
    locks = []
    original = QuerySet.select_for_update

    def spy(self, *args, **kwargs):
        locks.append((self.model, kwargs.get("of")))
        return original(self, *args, **kwargs)

    monkeypatch.setattr(QuerySet, "select_for_update", spy)
    services.round_transition(obj=rnd, action="approve", actor=staff, data=APPROVAL)
    assert (Round, ("self",)) in locks
    # ``rnd`` still says draft in memory; the engine reads the stored state (approved) under the lock
    assert rnd.state == RoundState.DRAFT
    with pytest.raises(ServiceError, match="当前状态下不能“记录批准”：巡察轮次现为“已批准”"):
        services.round_transition(obj=rnd, action="approve", actor=staff, data=APPROVAL)
    assert services.round_transition(obj=rnd, action="prepare", actor=staff).state == RoundState.PREPARING


def test_a_refused_state_writes_nothing(rnd, staff):
    with pytest.raises(ServiceError, match="当前状态下不能“开始准备”：巡察轮次现为“草拟”"):
        services.round_transition(obj=rnd, action="prepare", actor=staff)
    with pytest.raises(ServiceError, match="没有“explode”这一操作"):
        services.round_transition(obj=rnd, action="explode", actor=staff)
    assert _written(rnd) == ("draft", 0, 0)


def test_a_refused_permission_writes_nothing_and_tells_nothing_about_the_state(world, rnd):
    outsider = make_user(world.b["dept"], Role.OFFICE_STAFF, scope=world.b["county"])
    for action in ("approve", "prepare"):  # allowed here, and not allowed: the same answer
        with pytest.raises(PermissionDenied):
            services.round_transition(obj=rnd, action=action, actor=outsider, data=APPROVAL)
    assert _written(rnd) == ("draft", 0, 0)


def test_a_guard_refusal_writes_nothing(rnd, staff):
    with pytest.raises(ServiceError, match="请填写批准日期和批准会议"):
        services.round_transition(obj=rnd, action="approve", actor=staff, data={"approved_on": date(2026, 8, 1)})
    assert _written(rnd) == ("draft", 0, 0)


def test_the_domain_check_runs_after_the_permission_and_before_the_guards(rnd, staff):
    def check(step):
        assert step.from_state == RoundState.DRAFT and step.actor == staff and step.data["actor"] == staff
        raise ServiceError("本地规则拒绝。")

    with pytest.raises(ServiceError, match="本地规则拒绝"):
        ROUND_WORKFLOW.apply(rnd, "approve", actor=staff, data={}, check=check)
    assert _written(rnd) == ("draft", 0, 0)


def test_a_failure_after_the_save_leaves_nothing_written(rnd, staff, monkeypatch):
    """The state, the event and the audit row are one transaction: a failing audit write undoes the
    saved state and the event row, even when the caller catches the error and carries on."""

    def broken(**kwargs):
        raise RuntimeError("audit store unavailable")

    monkeypatch.setattr(transitions, "audit_record", broken)
    with pytest.raises(RuntimeError):
        ROUND_WORKFLOW.apply(rnd, "approve", actor=staff, data=APPROVAL, effect=services.rounds._round_step)
    assert _written(rnd) == ("draft", 0, 0)
    assert Round.objects.get(pk=rnd.pk).approved_on is None


def test_a_failing_effect_leaves_nothing_written(rnd, staff):
    def effect(step):
        step.set(approval_meeting="写了一半")
        raise ServiceError("领域副作用失败。")

    with pytest.raises(ServiceError):
        ROUND_WORKFLOW.apply(rnd, "approve", actor=staff, data=APPROVAL, effect=effect)
    assert _written(rnd) == ("draft", 0, 0)
    assert Round.objects.get(pk=rnd.pk).approval_meeting == ""


def test_system_passes_the_permission_and_is_recorded_without_an_account(rnd):
    applied = ROUND_WORKFLOW.apply(rnd, "approve", actor=SYSTEM, data=APPROVAL, effect=services.rounds._round_step)
    assert applied.event.actor is None
    assert AuditEntry.objects.get(action="plans.round.approve", target_id=str(rnd.pk)).actor_name == "系统"


def test_hooks_add_event_columns_and_audit_keys(rnd, staff):
    def effect(step):
        step.comment = "由钩子改写"
        step.audit["note"] = "x"
        step.audit_before["approval_meeting"] = step.obj.approval_meeting

    applied = ROUND_WORKFLOW.apply(rnd, "approve", actor=staff, data=APPROVAL, effect=effect)
    assert applied.event.comment == "由钩子改写"
    entry = AuditEntry.objects.get(action="plans.round.approve", target_id=str(rnd.pk))
    assert entry.before == {"state": "draft", "approval_meeting": ""}
    assert entry.after == {"state": "approved", "comment": "由钩子改写", "note": "x"}
