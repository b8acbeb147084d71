"""Background tasks of rectification (run by the worker, docs/adr/0011-background-jobs.md).

``remind_task`` sends the warning ladder's reminders; the daily timer queues it (``remind
--enqueue``). ``manage.py remind`` without ``--enqueue`` runs the same function in its own process.
"""

from __future__ import annotations

from datetime import date

from xuncha.common.tasks import task
from xuncha.rectification.reminders import remind


@task()
def remind_task(today: str | None = None) -> dict[str, int]:
    """``remind`` in the worker (``today``: an ISO date to judge by, default the day it runs)."""
    sent = remind(date.fromisoformat(today) if today else None)
    return {"tasks": sent.tasks, "messages": sent.messages}
