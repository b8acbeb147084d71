"""Generating the situation report (or the statistics workbook) as a job in steps, with progress.

The job keeps the file as generated, with no trace; each download stamps it for the person
downloading (name, time, trace code) and is audited then, not at generation.

No thread and no broker (the house runs on intranets without one): the page starts the job
(POST) and then polls it with HTMX every second; each poll runs the next steps for up to
``STEP_BUDGET_SECONDS`` and answers with the progress. The steps are the report's sections, then
the rendering; the sections' figures are kept on the job row between polls. A step runs with the
job row locked, so two tabs polling the same job never render (and audit) it twice, and inside a
savepoint, so a failing step marks the job failed with a message instead of leaving it hanging.
"""

from __future__ import annotations

import logging
import time
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xuncha.accounts.models import OrgUnit
from xuncha.accounts.permissions import Perm, has_perm, scope_queryset
from xuncha.analytics.situation import (
    COMPREHENSIVE_LABELS,
    COMPREHENSIVE_SECTIONS,
    SECTIONS,
    heading,
    suggestions,
)
from xuncha.analytics.situation_exports import XLSX_KIND, Rendered, situation_hand_over, situation_render
from xuncha.common.actors import require
from xuncha.common.exceptions import ServiceError
from xuncha.documents.kinds import DocumentKind
from xuncha.documents.models import DocumentJob, JobState
from xuncha.documents.services import Export
from xuncha.plans.models import Round

logger = logging.getLogger(__name__)

# Work per poll: long enough to finish a small round in the first request, short enough that a
# large one shows its progress every second.
STEP_BUDGET_SECONDS = 0.5
# Finished or abandoned jobs (and their files) are removed after a day.
JOB_TTL = timedelta(days=1)

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
        return DocumentJob.objects.create(
            kind=f"situation_{fmt}",
            requested_by=actor,
            jurisdiction=rnd.jurisdiction,
            params={"round": rnd.pk, "unit": unit.pk if unit else None, "format": fmt},
            steps_total=len(FORMAT_SECTIONS[fmt]) + 1,
        )


def job_get(*, user: Any, pk: Any, with_content: bool = False) -> DocumentJob:
    """The user's own job, while they still hold the statistics code over its jurisdiction."""
    qs = DocumentJob.objects.filter(requested_by_id=getattr(user, "pk", None))
    qs = scope_queryset(user, Perm.SITUATION_VIEW, qs if with_content else qs.defer("content"))
    try:
        return qs.get(pk=pk)
    except (DocumentJob.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def job_step_label(job: DocumentJob) -> str:
    steps = job_steps(job)
    if job.state != JobState.RUNNING or job.steps_done >= len(steps):
        return ""
    return str(STEP_LABELS[steps[job.steps_done]])


def job_advance(*, user: Any, job: DocumentJob, budget: float | None = None) -> DocumentJob:
    """Run the job's next steps for up to ``budget`` seconds (at least one step)."""
    deadline = time.monotonic() + (STEP_BUDGET_SECONDS if budget is None else budget)
    while job.state == JobState.RUNNING:
        job = _step(user, job.pk)
        if time.monotonic() >= deadline:
            break
    return job


def _subject(job: DocumentJob) -> tuple[Round, OrgUnit | None]:
    rnd = Round.objects.select_related("jurisdiction").get(pk=job.params["round"])
    unit_pk = job.params.get("unit")
    return rnd, (OrgUnit.objects.get(pk=unit_pk) if unit_pk else None)


def _run(user: Any, job: DocumentJob, name: str) -> None:
    rnd, unit = _subject(job)
    if not has_perm(user, Perm.SITUATION_VIEW, rnd):
        raise ServiceError(_("您已无权查看本轮巡察的统计数据。"), code="job_forbidden")
    sections = FORMAT_SECTIONS[job.params["format"]]
    if name in sections:
        job.data = {**job.data, name: sections[name](user, rnd, unit)}
        return
    data = {"round": heading(rnd, unit), **job.data}
    data["suggestions"] = suggestions(data)
    # Rendered without a trace: the download stamps it for whoever downloads, when they do.
    rendered = situation_render(actor=user, rnd=rnd, unit=unit, fmt=job.params["format"], data=data)
    export = rendered.export
    job.content, job.filename, job.content_type = export.content, export.filename, export.content_type
    job.state, job.finished_at = JobState.DONE, timezone.now()
    job.data = {"template": rendered.template}


def _step(user: Any, pk: Any) -> DocumentJob:
    with transaction.atomic():
        job = DocumentJob.objects.select_for_update().get(pk=pk)
        if job.state != JobState.RUNNING:
            return job
        try:
            with transaction.atomic():
                _run(user, job, job_steps(job)[job.steps_done])
        except ServiceError as exc:
            job.state, job.error = JobState.FAILED, " ".join(exc.messages)[:500]
        except Exception:
            logger.exception("Situation job %s failed at step %s", job.pk, job.steps_done)
            job.state, job.error = JobState.FAILED, _("生成时出现错误，请稍后重试；如仍失败请联系系统管理员。")
        job.steps_done += 1
        job.save()
    return job


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
