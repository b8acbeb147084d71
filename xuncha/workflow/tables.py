"""State machines as data. Each app declares its table in its own ``workflow.py``.

A ``Transition`` names the states an action may start from, the state it leads to, the
permission it needs and its guards. Guards are functions ``guard(obj, data) -> str | None``
returning the reason the action is refused (a sentence for the user) or None. The table itself
is pure data, so every (state, action) pair can be tested without a database.

``Workflow.apply`` is the one engine that moves an object along its table (``engine.py``):
lock, edge, permission, guards, save, one event row (``event_model``, a ``TransitionEvent``) and
one audit row (``<audit_prefix>.<action>``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from xuncha.workflow.engine import Applied, Step, apply_transition, authorize_perm

__all__ = ["Applied", "Guard", "Step", "Transition", "Workflow", "apply_transition", "authorize_perm", "states_of"]

Guard = Callable[[Any, dict[str, Any]], "str | None"]


@dataclass(frozen=True)
class Transition:
    action: str
    label: Any  # a lazy translation
    sources: frozenset[str]
    target: str
    perm: Any
    guards: tuple[Guard, ...] = ()
    comment_required: bool = False
    style: str = "primary"  # how the button looks: primary, secondary, danger


@dataclass(frozen=True)
class Workflow:
    name: str
    transitions: tuple[Transition, ...]
    states: frozenset[str] = field(default_factory=frozenset)
    event_model: str = ""  # "app_label.Model" of the entity's TransitionEvent subclass
    audit_prefix: str = ""  # audit action of a step: "<audit_prefix>.<action>"
    state_field: str = "state"

    def get(self, action: str) -> Transition | None:
        return next((t for t in self.transitions if t.action == action), None)

    def allows(self, state: str, action: str) -> bool:
        t = self.get(action)
        return t is not None and state in t.sources

    def actions_from(self, state: str) -> list[Transition]:
        return [t for t in self.transitions if state in t.sources]

    def refusals(self, transition: Transition, obj: Any, data: dict[str, Any]) -> list[str]:
        """Every reason the guards give for refusing (empty when the action may proceed)."""
        reasons = [reason for guard in transition.guards if (reason := guard(obj, data))]
        if transition.comment_required and not (data.get("comment") or "").strip():
            reasons.append(_comment_required_message())
        return reasons

    def apply(self, obj: Any, action: str, *, actor: Any, data: dict[str, Any] | None = None, **hooks: Any) -> Applied:
        """Apply ``action`` to ``obj`` inside the caller's transaction; see ``apply_transition``."""
        return apply_transition(self, obj, action, actor=actor, data=data, **hooks)


def _comment_required_message() -> str:
    from django.utils.translation import gettext

    return gettext("请填写说明。")


def states_of(choices: Iterable[Any]) -> frozenset[str]:
    return frozenset(str(c) for c in choices)
