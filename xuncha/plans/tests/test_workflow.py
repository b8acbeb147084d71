"""The round's state machine as data: every (state, action) pair, without the database."""

import pytest

from xuncha.plans.models.rounds import RoundState
from xuncha.plans.workflow import ROUND_WORKFLOW

# The edges the domain prescribes (domain.md §3); anything else must be refused.
EXPECTED = {
    ("draft", "approve"): "approved",
    ("approved", "reopen"): "draft",
    ("approved", "prepare"): "preparing",
    ("preparing", "enter"): "on_site",
    ("on_site", "leave"): "reporting",
    ("reporting", "feedback"): "feedback_done",
    ("feedback_done", "rectify"): "rectifying",
    ("rectifying", "evaluate"): "evaluated",
    ("evaluated", "archive"): "archived",
}
ACTIONS = sorted({t.action for t in ROUND_WORKFLOW.transitions})


@pytest.mark.parametrize("state", RoundState.values)
@pytest.mark.parametrize("action", ACTIONS)
def test_every_state_action_pair(state, action):
    expected = EXPECTED.get((state, action))
    assert ROUND_WORKFLOW.allows(state, action) == (expected is not None)
    if expected:
        assert ROUND_WORKFLOW.get(action).target == expected


def test_every_state_is_reachable_and_archived_is_final():
    reachable = {"draft"} | {t.target for t in ROUND_WORKFLOW.transitions}
    assert reachable == set(RoundState.values)
    assert ROUND_WORKFLOW.actions_from("archived") == []


def test_unknown_action_is_refused():
    assert not ROUND_WORKFLOW.allows("draft", "explode")
    assert ROUND_WORKFLOW.get("explode") is None


def test_reopen_needs_a_comment():
    t = ROUND_WORKFLOW.get("reopen")
    assert ROUND_WORKFLOW.refusals(t, object(), {"comment": " "}) and not ROUND_WORKFLOW.refusals(
        t, object(), {"comment": "目标调整"}
    )
