"""Reads of a plan's background imports (``PlanImport``): what the plan's page shows and polls.

The caller has reached the plan through ``access_plan``: whoever may see the plan sees how its
last import went (the outcome only; the file itself is never read back)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from xuncha.rectification.models import ImportState, PlanImport, RectificationPlan

# Imports shown on the plan's page: those uploaded within the last day.
IMPORT_SHOWN = timedelta(days=1)
# A queued import not yet started after this long: the worker is probably not running.
QUEUE_PATIENCE = timedelta(minutes=2)
# An import not finished this long after its upload was cut off (the worker stopped mid-task, or
# never ran): the page says so, and it no longer holds up the next upload. 5,000 rows take seconds.
IMPORT_STALL = timedelta(minutes=30)
# Row errors listed on the page; the rest are counted.
ERRORS_SHOWN = 50


def latest_import(plan: RectificationPlan) -> PlanImport | None:
    """The plan's latest import of the last day, without the file."""
    since = timezone.now() - IMPORT_SHOWN
    return PlanImport.objects.filter(plan=plan, created_at__gte=since).defer("content").order_by("-created_at").first()


def import_stalled(job: PlanImport) -> bool:
    return job.state == ImportState.RUNNING and job.created_at < timezone.now() - IMPORT_STALL


def import_waiting_long(job: PlanImport) -> bool:
    return (
        job.state == ImportState.RUNNING and job.started_at is None and job.created_at < timezone.now() - QUEUE_PATIENCE
    )


def import_panel(plan: RectificationPlan) -> dict[str, Any]:
    """The context of ``rectification/_plan_import.html``: the latest import and how to show it."""
    job = latest_import(plan)
    if job is None:
        return {"plan": plan, "job": None}
    errors = list(job.errors or [])
    return {
        "plan": plan,
        "job": job,
        "errors": errors[:ERRORS_SHOWN],
        "more_errors": max(0, len(errors) - ERRORS_SHOWN),
        "stalled": import_stalled(job),
        "waiting_long": import_waiting_long(job),
    }
