"""The PDF of a document as a background job (``documents.pdf_jobs``) through the real worker:
started from the page, made by ``db_worker`` as the requester's traced hand-over, downloadable by
the requester alone, every download audited. Transactional: the worker manages its own database
connection (xuncha/common/tests/worker.py). Skipped without LibreOffice, except in CI (test_pdf.py)."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from django_tasks_db.models import DBTaskResult
from pypdf import PdfReader

from xuncha.accounts.permissions import Role
from xuncha.accounts.tests.factories import make_user
from xuncha.audit.models import AuditEntry
from xuncha.common.tests.worker import run_worker
from xuncha.documents import pdf_jobs
from xuncha.documents.models import DocumentJob, ExportTrace, JobState
from xuncha.documents.tests.test_pdf import soffice  # noqa: F401  (the fixture: skip, or fail in CI)

pytestmark = pytest.mark.django_db(transaction=True)


def _start(client, source: str, pk: int, **extra):
    return client.post(
        reverse("documents:pdf_start"), {"source": source, "object": pk, "page": "/plans/rounds/1/"}, **extra
    )


def test_the_worker_makes_the_traced_pdf_for_the_requester_alone(soffice, docs, client):  # noqa: F811
    office, target = docs.a["office"], docs.a["town_target"]
    client.force_login(office)
    started = _start(client, "plans.announcement", target.pk, HTTP_HX_REQUEST="true")
    assert started.status_code == 200 and "已排队" in started.content.decode()
    job = DocumentJob.objects.get(kind=pdf_jobs.PDF_JOB_KIND)
    assert (job.state, job.requested_by, job.jurisdiction) == (JobState.RUNNING, office, docs.a["county"])
    assert not ExportTrace.objects.exists()  # nothing is handed over in the request

    assert run_worker() == 1
    job.refresh_from_db()
    assert (job.state, job.error, job.steps_done) == (JobState.DONE, "", 1)
    assert DBTaskResult.objects.get(pk=job.task_id).return_value == "done"
    assert job.filename == f"巡察公告-{target.unit.name}.pdf"

    # The hand-over was made in the worker, as the Word download makes it, and recorded as a PDF.
    record = ExportTrace.objects.get()
    assert (record.recipient, record.file_format, record.kind) == (office, "pdf", "announcement")
    export = AuditEntry.objects.get(action="documents.export")
    assert export.after["format"] == "pdf" and export.after["trace"] == record.code == job.data["trace"]

    status = client.get(reverse("documents:pdf_job_status", args=[job.pk]), HTTP_HX_REQUEST="true")
    assert "已生成" in status.content.decode() and "every 2s" not in status.content.decode()
    download = client.get(reverse("documents:pdf_job_download", args=[job.pk]))
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert "filename*=UTF-8''" in download["Content-Disposition"]
    reader = PdfReader(io.BytesIO(download.content))
    text = "".join(page.extract_text() or "" for page in reader.pages)
    assert target.unit.name in text.replace("\n", "")
    assert record.code in text  # the requester's trace line is printed on the PDF
    audited = AuditEntry.objects.get(action="documents.pdf.download")
    assert audited.actor == office and audited.after["trace"] == record.code
    assert audited.target_id == str(target.pk)
    assert "巡察公告" in client.get(reverse("documents:pdf_jobs")).content.decode()

    # Nobody else gets it: another office head of the same county, or of another county.
    for other in (make_user(docs.world.a["dept"], Role.OFFICE_HEAD, scope=docs.a["county"]), docs.b["office"]):
        client.force_login(other)
        for name in ("pdf_job", "pdf_job_status", "pdf_job_download"):
            assert client.get(reverse(f"documents:{name}", args=[job.pk])).status_code == 404
    assert AuditEntry.objects.filter(action="documents.pdf.download").count() == 1


def test_start_is_refused_for_documents_the_user_may_not_download(docs, client):
    client.force_login(docs.b["office"])  # the other county's office
    assert _start(client, "plans.announcement", docs.a["town_target"].pk).status_code == 404
    assert _start(client, "no.such.source", docs.b["town_target"].pk).status_code == 404
    assert _start(client, "plans.announcement", "x").status_code == 404
    assert not DocumentJob.objects.exists()


def test_a_second_click_while_it_runs_is_the_same_job(docs, client):
    client.force_login(docs.a["office"])
    first = _start(client, "plans.team_authorisation", docs.a["team"].pk)
    second = _start(client, "plans.team_authorisation", docs.a["team"].pk)
    assert first.status_code == second.status_code == 302 and first["Location"] == second["Location"]
    assert DocumentJob.objects.count() == 1


def test_a_document_that_cannot_exist_fails_with_its_reason(soffice, docs, client):  # noqa: F811
    client.force_login(docs.a["office"])
    _start(client, "plans.announcement", docs.a["village_target"].pk)  # no announcement there
    run_worker()
    job = DocumentJob.objects.get()
    assert job.state == JobState.FAILED and "尚未发布巡察公告" in job.error
    page = client.get(reverse("documents:pdf_job", args=[job.pk])).content.decode()
    assert "PDF 生成失败" in page and "尚未发布巡察公告" in page
    assert not ExportTrace.objects.exists()


def test_without_libreoffice_the_job_says_so(docs, client, settings):
    settings.XUNCHA_SOFFICE = "/nonexistent/soffice"
    client.force_login(docs.a["office"])
    _start(client, "plans.announcement", docs.a["town_target"].pk)
    run_worker()
    job = DocumentJob.objects.get()
    assert job.state == JobState.FAILED and "未安装 LibreOffice" in job.error
    assert not ExportTrace.objects.exists() and not AuditEntry.objects.filter(action="documents.export").exists()


def test_the_pdf_buttons_are_on_the_pages(docs, client):
    client.force_login(docs.a["office"])
    page = client.get(reverse("plans:round_detail", args=[docs.a["round"].pk])).content.decode()
    assert 'value="plans.announcement"' in page and 'value="plans.entry_notice"' in page
    assert 'id="xc-pdf-jobs"' in page
    team_page = client.get(reverse("plans:team_detail", args=[docs.a["team"].pk])).content.decode()
    assert 'value="plans.team_authorisation"' in team_page


def test_every_registered_source_names_a_known_kind():
    assert {
        "plans.team_authorisation",
        "plans.entry_notice",
        "plans.announcement",
        "findings.feedback_opinion",
        "transfers.transfer_letter",
        "rectification.letter",
        "rectification.plan",
        "rectification.report_file",
        "rectification.report_draft.unit",
        "rectification.report_draft.leader",
    } <= set(pdf_jobs.pdf_sources())
