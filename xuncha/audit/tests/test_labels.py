"""Every audit action the code writes has a readable name in the log."""

import re
from pathlib import Path

from django.conf import settings

from xuncha.audit.labels import ACTION_LABELS
from xuncha.fieldwork.workflow import PAPER_WORKFLOW
from xuncha.plans.workflow import ROUND_WORKFLOW


def _written_actions() -> set[str]:
    actions = set()
    for path in (Path(settings.BASE_DIR) / "xuncha").rglob("*.py"):
        if "tests" in path.parts:
            continue
        actions |= set(re.findall(r'action="([a-z_]+(?:\.[a-z_]+)+)"', path.read_text(encoding="utf-8")))
    actions |= {f"plans.round.{t.action}" for t in ROUND_WORKFLOW.transitions}
    actions |= {f"fieldwork.paper.{t.action}" for t in PAPER_WORKFLOW.transitions}
    return actions


def test_every_action_has_a_label():
    missing = sorted(_written_actions() - set(ACTION_LABELS))
    assert not missing, f"add labels to xuncha/audit/labels.py for: {missing}"
