"""The round's situation page: figures on screen, the report (Word) and the statistics (Excel),
generated as a background job with progress or downloaded directly."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from xuncha.accounts.models import OrgUnit
from xuncha.accounts.permissions import Perm, has_perm
from xuncha.analytics import situation_jobs as jobs
from xuncha.analytics.situation import situation_figures
from xuncha.analytics.situation_exports import (
    comprehensive_docx_export,
    situation_docx_export,
    situation_xlsx_export,
)
from xuncha.common.exceptions import ServiceError
from xuncha.common.filters import IdField, clean_or_none
from xuncha.documents.services import Export
from xuncha.documents.views import attachment_header
from xuncha.plans.access import access_round
from xuncha.plans.models import Round, RoundTarget


def _round_and_unit(request: HttpRequest, pk: int, raw_unit: str | None) -> tuple[Round, OrgUnit | None]:
    """The round (404 unless the user holds the statistics code over its jurisdiction) and, when
    asked for, one of its inspected units (404 for a unit not inspected or malformed: a report of the
    whole round must not pass for one unit's)."""
    rnd = access_round(request.user, pk, Perm.SITUATION_VIEW)
    if not raw_unit:
        return rnd, None
    target = RoundTarget.objects.filter(round=rnd, unit_id=clean_or_none(IdField(), raw_unit))
    unit = OrgUnit.objects.filter(pk__in=target.values("unit_id")).first()
    if unit is None:
        raise Http404
    return rnd, unit


def _units(rnd: Round) -> list[OrgUnit]:
    return list(OrgUnit.objects.filter(pk__in=rnd.targets.values("unit_id")).order_by("path"))


@require_GET
def round_situation(request: HttpRequest, pk: int) -> HttpResponse:
    rnd, unit = _round_and_unit(request, pk, request.GET.get("unit"))
    data = situation_figures(user=request.user, rnd=rnd, unit=unit)
    ctx = {
        "rnd": rnd,
        "unit": unit,
        "units": _units(rnd),
        "data": data,
        "can_see_round": has_perm(request.user, Perm.ROUND_VIEW, rnd),
        "formats": jobs.FORMAT_LABELS,
        # Jobs started here earlier (the tab may have been closed meanwhile): progress or download.
        "recent_jobs": [_job_ctx(job) for job in jobs.job_list(user=request.user, rnd=rnd, unit=unit)],
    }
    return render(request, "analytics/situation_round.html", ctx)


def _file(export: Export) -> HttpResponse:
    response = HttpResponse(export.content, content_type=export.content_type)
    response["Content-Disposition"] = attachment_header(export.filename, export.ascii_name)
    return response


@require_GET
@never_cache
def situation_docx(request: HttpRequest, pk: int) -> HttpResponse:
    """Direct download (small rounds, scripts); the page uses the job below."""
    rnd, unit = _round_and_unit(request, pk, request.GET.get("unit"))
    return _file(situation_docx_export(actor=request.user, rnd=rnd, unit=unit, source=request.get_full_path()))


@require_GET
@never_cache
def situation_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    rnd, unit = _round_and_unit(request, pk, request.GET.get("unit"))
    return _file(situation_xlsx_export(actor=request.user, rnd=rnd, unit=unit, source=request.get_full_path()))


@require_GET
@never_cache
def comprehensive_docx(request: HttpRequest, pk: int) -> HttpResponse:
    """The comprehensive report to the secretary's meeting, downloaded directly."""
    rnd, unit = _round_and_unit(request, pk, request.GET.get("unit"))
    return _file(comprehensive_docx_export(actor=request.user, rnd=rnd, unit=unit, source=request.get_full_path()))


def _job_ctx(job: Any) -> dict[str, Any]:
    return {
        "job": job,
        "step_label": jobs.job_step_label(job),
        "format_label": jobs.FORMAT_LABELS.get(job.params.get("format")),
        "waiting_long": jobs.job_waiting_long(job),
        "stalled": jobs.job_stalled(job),
    }


def _status(request: HttpRequest, job: Any) -> HttpResponse:
    if request.htmx:
        return render(request, "analytics/situation_job_status.html", _job_ctx(job))
    return redirect("analytics:situation_job", job.pk)


@require_POST
def situation_job_start(request: HttpRequest, pk: int) -> HttpResponse:
    rnd, unit = _round_and_unit(request, pk, request.POST.get("unit"))
    try:
        job = jobs.job_start(actor=request.user, rnd=rnd, unit=unit, fmt=request.POST.get("format", ""))
    except ServiceError as exc:
        return render(request, "analytics/situation_job_status.html", {"errors": exc.messages}, status=422)
    return _status(request, job)


@require_GET
@never_cache
def situation_job_status(request: HttpRequest, job: str) -> HttpResponse:
    """What the page polls: the job row as it is (the worker does the work, never this request)."""
    return _status(request, jobs.job_get(user=request.user, pk=job))


@require_GET
@never_cache
def situation_job(request: HttpRequest, job: str) -> HttpResponse:
    found = jobs.job_get(user=request.user, pk=job)
    rnd = access_round(request.user, found.params["round"], Perm.SITUATION_VIEW)
    return render(request, "analytics/situation_job.html", {**_job_ctx(found), "rnd": rnd})


@require_GET
@never_cache
def situation_job_download(request: HttpRequest, job: str) -> HttpResponse:
    found = jobs.job_get(user=request.user, pk=job, with_content=True)
    return _file(jobs.job_download(user=request.user, job=found, source=request.get_full_path()))
