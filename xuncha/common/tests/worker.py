"""Running the background worker inside a test: `manage.py db_worker --batch`, the real command.

It runs every queued task, then returns. The worker closes "old" database connections between
tasks as a long-lived process must; inside a test wrapped in a transaction (the ``db`` fixture)
that would close the test's own connection on PostgreSQL, so tests that run the worker use
``transactional_db`` (the browser tests do anyway, for the live server).
"""

from __future__ import annotations

import signal

from django.core.management import call_command
from django.db import connection
from django_tasks_db.models import DBTaskResult

_SIGNALS = [signal.SIGINT, signal.SIGTERM, *([signal.SIGQUIT] if hasattr(signal, "SIGQUIT") else [])]


def run_worker() -> int:
    """Run the queued tasks with `db_worker --batch`; how many it ran."""
    assert not connection.in_atomic_block, "run the worker in a test with transactional_db (see module doc)"
    before = DBTaskResult.objects.finished().count()
    # The worker installs its own handlers for graceful shutdown; give the test run its own back.
    handlers = {sig: signal.getsignal(sig) for sig in _SIGNALS}
    try:
        call_command("db_worker", batch=True, reload=False, startup_delay=False, interval=0, verbosity=0)
    finally:
        for sig, handler in handlers.items():
            signal.signal(sig, handler)
    return DBTaskResult.objects.finished().count() - before
