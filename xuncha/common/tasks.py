"""Background tasks: the one door to Django's task framework (docs/adr/0011-background-jobs.md).

Task code imports ``task`` and ``enqueue`` from here, never from the framework: on Django 6 only
this module changes (``django_tasks`` becomes ``django.tasks``). The tasks run in the worker
(``manage.py db_worker``, deploy/xuncha-worker.service); the queue is the database (TASKS in
config/settings/base.py) until a deployment moves it to Redis (the RQ backend, docs/deploy.md).
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction
from django_tasks import task
from django_tasks.backends.dummy import DummyBackend
from django_tasks.backends.immediate import ImmediateBackend
from django_tasks.base import Task
from django_tasks_db import DatabaseBackend
from django_tasks_db.models import DBTaskResult

logger = logging.getLogger(__name__)

__all__ = ["enqueue", "enqueue_once", "task"]

# Backends that may be called inside the caller's transaction: the database backend writes the
# queue row in it (both commit or neither: no job without its task, no task without its job);
# the other two never leave the process.
_IN_TRANSACTION = (DatabaseBackend, ImmediateBackend, DummyBackend)


def enqueue(job: Task, *args: Any, **kwargs: Any) -> str:
    """Queue ``job`` with the caller's transaction; the task's id ("" when sent after the commit).

    A backend outside the database (RQ) is handed the task only after the commit, so its worker
    never looks for rows that are not committed yet."""
    if isinstance(job.get_backend(), _IN_TRANSACTION) or not transaction.get_connection().in_atomic_block:
        return str(job.enqueue(*args, **kwargs).id)
    transaction.on_commit(lambda: job.enqueue(*args, **kwargs), robust=True)
    return ""


def enqueue_once(job: Task, *args: Any, **kwargs: Any) -> str:
    """Queue ``job`` unless the same task is already waiting in the database queue (periodic
    triggers: a timer firing every 5 minutes while the worker is down queues one run, not 288).
    A task that is running does not count: it may have passed the point the caller cares about."""
    if isinstance(job.get_backend(), DatabaseBackend):
        waiting = DBTaskResult.objects.ready().filter(backend_name=job.backend, task_path=job.module_path)
        if waiting.filter(args_kwargs={"args": list(args), "kwargs": kwargs}).exists():
            return ""
    return enqueue(job, *args, **kwargs)
