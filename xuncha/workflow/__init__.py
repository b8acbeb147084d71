"""State machines: the tables (data, ``tables.py``), the one engine that applies them (``engine.py``,
``Workflow.apply``) and the catalogue that docs/workflow.md is drawn from (``catalogue.py``).

A kernel package above the access package and the audit log (the engine checks the permission and
writes the audit row), below every domain. Import from here: ``from xuncha.workflow import
Transition, Workflow, states_of, Step``.
"""

from xuncha.workflow.tables import (
    Applied,
    Guard,
    Step,
    Transition,
    Workflow,
    apply_transition,
    authorize_perm,
    states_of,
)

__all__ = ["Applied", "Guard", "Step", "Transition", "Workflow", "apply_transition", "authorize_perm", "states_of"]
