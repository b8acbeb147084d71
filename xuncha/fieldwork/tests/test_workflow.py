"""The working paper's state machine as data: every (state, action) pair, without the database."""

import pytest

from xuncha.fieldwork.models.papers import PaperState
from xuncha.fieldwork.workflow import PAPER_WORKFLOW

EXPECTED = {
    ("draft", "submit"): "submitted",
    ("submitted", "approve"): "team_approved",
    ("team_approved", "sign"): "signed",
    ("submitted", "return"): "draft",
    ("team_approved", "return"): "draft",
}
ACTIONS = sorted({t.action for t in PAPER_WORKFLOW.transitions})


@pytest.mark.parametrize("state", PaperState.values)
@pytest.mark.parametrize("action", ACTIONS)
def test_every_state_action_pair(state, action):
    expected = EXPECTED.get((state, action))
    assert PAPER_WORKFLOW.allows(state, action) == (expected is not None)
    if expected:
        assert PAPER_WORKFLOW.get(action).target == expected


def test_signed_is_final_and_return_needs_a_comment():
    assert PAPER_WORKFLOW.actions_from("signed") == []
    assert PAPER_WORKFLOW.get("return").comment_required


FIX_EXPECTED = {
    ("issued", "respond"): "answered",
    ("returned", "respond"): "answered",
    ("answered", "accept"): "accepted",
    ("answered", "return"): "returned",
}


@pytest.mark.parametrize("state", ["issued", "answered", "accepted", "returned"])
@pytest.mark.parametrize("action", ["respond", "accept", "return"])
def test_every_fix_state_action_pair(state, action):
    from xuncha.fieldwork.workflow import FIX_WORKFLOW

    expected = FIX_EXPECTED.get((state, action))
    assert FIX_WORKFLOW.allows(state, action) == (expected is not None)
    if expected:
        assert FIX_WORKFLOW.get(action).target == expected
