"""The helpers of document downloads, the office's page for replacement templates, and 泄密溯源
(finding who downloaded the copy that leaked). The download views themselves belong to the
domain that issues the document (e.g. ``xuncha.plans.views.documents``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from xuncha.accounts.decorators import perm_required
from xuncha.accounts.permissions import Perm, access_unit
from xuncha.accounts.twofactor.decorators import require_fresh_otp
from xuncha.common.exceptions import ServiceError
from xuncha.common.views_helpers import form_action, post_action
from xuncha.documents import pdf_jobs, selectors, services
from xuncha.documents.forms import TemplateUploadForm, TraceLookupForm
from xuncha.documents.kinds import SPECS
from xuncha.documents.resolver import template_bytes, template_in_force


def attachment_header(filename: str, ascii_fallback: str) -> str:
    """``attachment`` with the Chinese name as RFC 5987 ``filename*`` and a plain fallback."""
    return f"attachment; filename=\"{ascii_fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


def _docx_response(content: bytes, filename: str, ascii_fallback: str) -> HttpResponse:
    response = HttpResponse(content, content_type=services.DOCX_CONTENT_TYPE)
    response["Content-Disposition"] = attachment_header(filename, ascii_fallback)
    return response


def export_download(request: HttpRequest, export: Callable[[], services.Export]) -> HttpResponse:
    """The Word file ``export()`` hands over, or the page saying why there is none (404 when it
    cannot exist yet, 422 when the data or a replacement template does not allow it)."""
    try:
        result = export()
    except services.DocumentUnavailable as exc:
        return render(request, "documents/unavailable.html", {"errors": exc.messages}, status=404)
    except ServiceError as exc:
        return render(request, "documents/unavailable.html", {"errors": exc.messages}, status=422)
    return _docx_response(result.content, result.filename, result.ascii_name)


# --- replacement templates (office only) ---------------------------------------------------------


@require_http_methods(["GET", "POST"])
@perm_required(Perm.ROUND_MANAGE)
@require_fresh_otp  # an upload changes what every office prints: a fresh code first
def template_list(request: HttpRequest) -> HttpResponse:
    jurisdictions = selectors.template_jurisdictions(user=request.user)
    form = TemplateUploadForm(request.POST or None, request.FILES or None, jurisdictions=jurisdictions)
    ok, row = form_action(request, form, lambda d: services.document_template_upload(actor=request.user, **d))
    if ok:
        messages.success(
            request,
            _("已启用%(jurisdiction)s的%(kind)s模板。")
            % {"jurisdiction": row.jurisdiction, "kind": row.get_kind_display()},
        )
        return redirect("documents:template_list")
    ctx = {"rows": selectors.template_overview(user=request.user), "form": form}
    return render(request, "documents/template_list.html", ctx)


def _template_scope(request: HttpRequest, kind: str, jurisdiction: int):
    if kind not in SPECS:
        raise Http404
    return access_unit(request.user, jurisdiction, Perm.ROUND_MANAGE)


@require_GET
@never_cache
def template_download(request: HttpRequest, kind: str, jurisdiction: int) -> HttpResponse:
    """The template in force, to edit in Word and upload again."""
    unit = _template_scope(request, kind, jurisdiction)
    row = template_in_force(kind, unit)
    content = template_bytes(row) if row else SPECS[kind].default_path.read_bytes()
    name = f"{SPECS[kind].kind.label}-{unit.name}.docx"
    return _docx_response(content, name, f"template-{SPECS[kind].ascii_name}")


@require_POST
@require_fresh_otp(back="documents:template_list")
def template_revert(request: HttpRequest, kind: str, jurisdiction: int) -> HttpResponse:
    unit = _template_scope(request, kind, jurisdiction)
    return post_action(
        request,
        lambda: services.document_template_revert(actor=request.user, kind=kind, jurisdiction=unit),
        _("已停用本地区的替换模板。"),
        "documents:template_list",
    )


# --- 泄密溯源 (the office head) ------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@never_cache
@perm_required(Perm.TRACE_VIEW)
def trace_search(request: HttpRequest) -> HttpResponse:
    """A code, a leaked file or leaked text in; who downloaded that copy, when, of what, out.
    POST, not GET: a code or a text does not belong in a URL or a server log."""
    request.nav_section = "trace"  # type: ignore[attr-defined]
    bound = request.method == "POST"  # an empty POST is a question too: answer it with a message
    form = TraceLookupForm(request.POST if bound else None, request.FILES if bound else None)
    _ok, answer = form_action(
        request,
        form,
        lambda d: services.trace_lookup(actor=request.user, code=d["code"], upload=d["upload"], text=d["text"]),
    )
    return render(request, "documents/trace.html", {"form": form, "answer": answer})


# --- PDF (版式文件) made by the worker (documents.pdf_jobs) -------------------------------------


def _pdf_ctx(job: Any) -> dict[str, Any]:
    return {
        "job": job,
        "waiting_long": pdf_jobs.pdf_job_waiting_long(job),
        "stalled": pdf_jobs.pdf_job_stalled(job),
    }


def _pdf_status(request: HttpRequest, job: Any) -> HttpResponse:
    if getattr(request, "htmx", False):
        return render(request, "documents/pdf_job_status.html", _pdf_ctx(job))
    return redirect("documents:pdf_job", job.pk)


def _local_path(raw: str) -> str:
    """The page the button was on, for the record (never followed): a path of this site or ""."""
    return raw if raw.startswith("/") and not raw.startswith("//") and len(raw) <= 500 else ""


@require_POST
def pdf_start(request: HttpRequest) -> HttpResponse:
    """Queue the PDF of a document the user may download as Word (404 otherwise)."""
    try:
        job = pdf_jobs.pdf_job_start(
            actor=request.user,
            source=request.POST.get("source", ""),
            object_id=request.POST.get("object"),
            page=_local_path(request.POST.get("page", "")),
        )
    except ServiceError as exc:
        return render(request, "documents/pdf_job_status.html", {"errors": exc.messages}, status=422)
    return _pdf_status(request, job)


@require_GET
@never_cache
def pdf_job_status(request: HttpRequest, job: str) -> HttpResponse:
    """What the page polls: the job row as it is (the worker converts, never this request)."""
    return _pdf_status(request, pdf_jobs.pdf_job_get(user=request.user, pk=job))


@require_GET
@never_cache
def pdf_job(request: HttpRequest, job: str) -> HttpResponse:
    found = pdf_jobs.pdf_job_get(user=request.user, pk=job)
    return render(request, "documents/pdf_job.html", _pdf_ctx(found))


@require_GET
@never_cache
def pdf_job_list(request: HttpRequest) -> HttpResponse:
    """The user's PDFs of the last day: a closed tab loses nothing."""
    jobs = [_pdf_ctx(job) for job in pdf_jobs.pdf_job_list(user=request.user)]
    return render(request, "documents/pdf_jobs.html", {"jobs": jobs})


@require_GET
@never_cache
def pdf_job_download(request: HttpRequest, job: str) -> HttpResponse:
    found = pdf_jobs.pdf_job_get(user=request.user, pk=job, with_content=True)
    export = pdf_jobs.pdf_job_download(user=request.user, job=found, source=request.get_full_path())
    response = HttpResponse(export.content, content_type=export.content_type)
    response["Content-Disposition"] = attachment_header(export.filename, export.ascii_name)
    return response
