"""Generating the situation report (or the statistics workbook) as a job in steps, with progress.

The job keeps the file as generated, with no trace; each download stamps it for the person
downloading (name, time, trace code) and is audited then, not at generation.

A background task does the work (docs/adr/0011-background-jobs.md): starting the job (POST) writes
the job row and queues ``situation_job_run`` in the same transaction; the worker (``manage.py
db_worker``) runs every step; the page only reads the row (``job_get``), so closing the tab does
not stop the job. The steps are the report's sections, then the rendering; each step's result is
saved on the row as it is done, which is the progress the page shows. A step computes without
holding a lock (on SQLite a write transaction would block every other writer meanwhile) and saves
with a compare-and-set on ``steps_done``, so a step is never recorded (or rendered) twice. A
failing step marks the job failed with a message instead of leaving it hanging.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.http import Http404
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xuncha.accounts.models import OrgUnit
from xuncha.accounts.permissions import Perm, has_perm, require, scope_queryset
from xuncha.analytics.situation import (
    COMPREHENSIVE_LABELS,
    COMPREHENSIVE_SECTIONS,
    SECTIONS,
    heading,
    suggestions,
)
from xuncha.analytics.situation_exports import XLSX_KIND, Rendered, situation_hand_over, situation_render
from xuncha.common.exceptions import ServiceError
from xuncha.common.tasks import enqueue, task
from xuncha.documents.kinds import DocumentKind
from xuncha.documents.models import DocumentJob, JobState
from xuncha.documents.services import Export
from xuncha.plans.models import Round

logger = logging.getLogger(__name__)

# Finished or abandoned jobs (and their files) are removed after a day.
JOB_TTL = timedelta(days=1)
# A job still waiting for the worker after this long: the page says whom to ask.
QUEUE_PATIENCE = timedelta(minutes=2)
# A job started this long ago and still running was cut off (the worker was stopped mid-task):
# the page says so. A report takes seconds; the largest county's, a minute or two.
JOB_STALL = timedelta(minutes=30)
# How many of the user's earlier jobs the situation page lists again.
RECENT_JOBS = 5
FAILED_MESSAGE = gettext_lazy("生成时出现错误，请稍后重试；如仍失败请联系系统管理员。")

FORMAT_LABELS = {
    "docx": gettext_lazy("情况汇报（Word）"),
    "xlsx": gettext_lazy("统计表（Excel）"),
    "comprehensive": gettext_lazy("综合报告（Word）"),
}
# The plain ASCII download name for clients that ignore filename*.
ASCII_NAMES = {
    "docx": "situation-report.docx",
    "xlsx": "situation-statistics.xlsx",
    "comprehensive": "comprehensive-report.docx",
}
# What each format hands out (for the trace record and the audit row).
FORMAT_KINDS = {
    "docx": DocumentKind.SITUATION_REPORT,
    "xlsx": XLSX_KIND,
    "comprehensive": DocumentKind.COMPREHENSIVE_REPORT,
}
# The sections each format computes (one step each), then the rendering.
FORMAT_SECTIONS = {"docx": SECTIONS, "xlsx": SECTIONS, "comprehensive": COMPREHENSIVE_SECTIONS}
STEP_LABELS = {**COMPREHENSIVE_LABELS, "render": gettext_lazy("生成文件")}


def job_steps(job: DocumentJob) -> list[str]:
    return [*FORMAT_SECTIONS.get(job.params.get("format"), SECTIONS), "render"]


def job_start(*, actor: Any, rnd: Round, unit: OrgUnit | None, fmt: str) -> DocumentJob:
    require(actor, Perm.SITUATION_VIEW, rnd)
    if fmt not in FORMAT_SECTIONS:
        raise ServiceError(
            _("请选择要生成的文件：情况汇报（Word）、统计表（Excel）或综合报告（Word）。"), code="job_format"
        )
    with transaction.atomic():
        DocumentJob.objects.filter(created_at__lt=timezone.now() - JOB_TTL).delete()
        job = DocumentJob.objects.create(
            kind=f"situation_{fmt}",
            requested_by=actor,
            jurisdiction=rnd.jurisdiction,
            # The language of the page that asked: the worker's messages and file names follow it.
            params={
                "round": rnd.pk,
                "unit": unit.pk if unit else None,
                "format": fmt,
                "lang": translation.get_language(),
            },
            steps_total=len(FORMAT_SECTIONS[fmt]) + 1,
        )
        job.task_id = enqueue(situation_job_run, str(job.pk))
        job.save(update_fields=["task_id"])
    return job


def job_get(*, user: Any, pk: Any, with_content: bool = False) -> DocumentJob:
    """The user's own job, while they still hold the statistics code over its jurisdiction."""
    qs = DocumentJob.objects.filter(requested_by_id=getattr(user, "pk", None))
    qs = scope_queryset(user, Perm.SITUATION_VIEW, qs if with_content else qs.defer("content"))
    try:
        return qs.get(pk=pk)
    except (DocumentJob.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def job_list(*, user: Any, rnd: Round, unit: OrgUnit | None) -> list[DocumentJob]:
    """The user's recent jobs for this round (or this unit of it), newest first, without content."""
    qs = DocumentJob.objects.filter(
        requested_by_id=getattr(user, "pk", None),
        params__round=rnd.pk,
        params__unit=unit.pk if unit else None,
        created_at__gte=timezone.now() - JOB_TTL,
    ).defer("content")
    return list(scope_queryset(user, Perm.SITUATION_VIEW, qs).order_by("-created_at")[:RECENT_JOBS])


def job_step_label(job: DocumentJob) -> str:
    steps = job_steps(job)
    if job.state != JobState.RUNNING or job.steps_done >= len(steps):
        return ""
    return str(STEP_LABELS[steps[job.steps_done]])


def job_waiting_long(job: DocumentJob) -> bool:
    """Still queued after ``QUEUE_PATIENCE``: the worker is probably not running."""
    return job.state == JobState.RUNNING and job.started_at is None and job.created_at < timezone.now() - QUEUE_PATIENCE


def job_stalled(job: DocumentJob) -> bool:
    """Started by a worker that stopped before finishing it (killed, machine restarted)."""
    started = job.started_at
    return job.state == JobState.RUNNING and started is not None and started < timezone.now() - JOB_STALL


@task()
def situation_job_run(job_id: str) -> str:
    """The worker's side: run the job's steps to the end; the final state (for the queue's record).

    Runs as the requester, so the figures are those they may see, and as long as they still may:
    each step checks their permission again."""
    job = DocumentJob.objects.select_related("requested_by").defer("content").filter(pk=job_id).first()
    if job is None:  # removed (JOB_TTL) before the worker got to it
        return "missing"
    with translation.override(job.params.get("lang") or settings.LANGUAGE_CODE):
        try:
            job = job_run(job)
        except Exception:
            logger.exception("Situation job %s stopped", job_id)
            _fail(job, str(FAILED_MESSAGE))
            raise
    return str(job.state)


def job_run(job: DocumentJob) -> DocumentJob:
    if job.started_at is None:
        job.started_at = timezone.now()
        DocumentJob.objects.filter(pk=job.pk, started_at__isnull=True).update(started_at=job.started_at)
    while job.state == JobState.RUNNING:
        job = _step(job.requested_by, job)
    return job


def _subject(job: DocumentJob) -> tuple[Round, OrgUnit | None]:
    rnd = Round.objects.select_related("jurisdiction").get(pk=job.params["round"])
    unit_pk = job.params.get("unit")
    return rnd, (OrgUnit.objects.get(pk=unit_pk) if unit_pk else None)


def _run(user: Any, job: DocumentJob, name: str) -> dict[str, Any]:
    """Step ``name`` of the job: the fields it changes on the row."""
    rnd, unit = _subject(job)
    if not has_perm(user, Perm.SITUATION_VIEW, rnd):
        raise ServiceError(_("您已无权查看本轮巡察的统计数据。"), code="job_forbidden")
    sections = FORMAT_SECTIONS[job.params["format"]]
    if name in sections:
        return {"data": {**job.data, name: sections[name](user, rnd, unit)}}
    data = {"round": heading(rnd, unit), **job.data}
    data["suggestions"] = suggestions(data)
    # Rendered without a trace: the download stamps it for whoever downloads, when they do.
    rendered = situation_render(actor=user, rnd=rnd, unit=unit, fmt=job.params["format"], data=data)
    export = rendered.export
    return {
        "content": export.content,
        "filename": export.filename,
        "content_type": export.content_type,
        "state": JobState.DONE,
        "finished_at": timezone.now(),
        "data": {"template": rendered.template},
    }


def _step(user: Any, job: DocumentJob) -> DocumentJob:
    """Run the next step and record it, unless another run recorded it first (then re-read)."""
    try:
        changes = _run(user, job, job_steps(job)[job.steps_done])
    except ServiceError as exc:
        changes = {"state": JobState.FAILED, "error": " ".join(exc.messages)[:500], "finished_at": timezone.now()}
    except Exception:
        logger.exception("Situation job %s failed at step %s", job.pk, job.steps_done)
        changes = {"state": JobState.FAILED, "error": str(FAILED_MESSAGE), "finished_at": timezone.now()}
    changes["steps_done"] = job.steps_done + 1
    with transaction.atomic():
        saved = DocumentJob.objects.filter(pk=job.pk, state=JobState.RUNNING, steps_done=job.steps_done).update(
            **changes
        )
    if not saved:
        return DocumentJob.objects.select_related("requested_by").defer("content").get(pk=job.pk)
    for field, value in changes.items():
        setattr(job, field, value)
    return job


def _fail(job: DocumentJob, message: str) -> None:
    DocumentJob.objects.filter(pk=job.pk, state=JobState.RUNNING).update(
        state=JobState.FAILED, error=message[:500], finished_at=timezone.now()
    )


def job_download(*, user: Any, job: DocumentJob, source: str = "") -> Export:
    """The finished file handed to ``user`` (the requester, see ``job_get``): stamped now with their
    name and a new trace code, and audited, at every download."""
    if job.state != JobState.DONE or job.content is None:
        raise Http404
    rnd, unit = _subject(job)
    export = Export(
        kind=FORMAT_KINDS[job.params["format"]],
        filename=job.filename,
        ascii_name=ASCII_NAMES.get(job.params.get("format"), "situation-report.docx"),
        content=bytes(job.content),
        content_type=job.content_type,
    )
    rendered = Rendered(export, job.data.get("template", ""))
    return situation_hand_over(actor=user, rnd=rnd, unit=unit, rendered=rendered, source=source)
