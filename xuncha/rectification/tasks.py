"""Background tasks of rectification (run by the worker, docs/adr/0011-background-jobs.md).

``remind_task`` sends the warning ladder's reminders; the daily timer queues it (``remind
--enqueue``). ``manage.py remind`` without ``--enqueue`` runs the same function in its own process.
``plan_import_task`` imports a plan's Excel file too large for the web request (``plan_import``
queues it with the ``PlanImport`` row the plan's page polls).
"""

from __future__ import annotations

from datetime import date

from xuncha.common.tasks import task
from xuncha.rectification.reminders import remind
from xuncha.rectification.services.plans import plan_import_run


@task()
def remind_task(today: str | None = None) -> dict[str, int]:
    """``remind`` in the worker (``today``: an ISO date to judge by, default the day it runs)."""
    sent = remind(date.fromisoformat(today) if today else None)
    return {"tasks": sent.tasks, "messages": sent.messages}


@task()
def plan_import_task(import_id: str) -> str:
    """Import the file kept on the ``PlanImport`` ``import_id``, as its requester; the final state
    ("done", "failed", or "missing" when the row is gone)."""
    return plan_import_run(import_id)
