"""Issue 13, build 4: a situation job keeps its file without any trace; each download stamps it
then, for the person downloading, with a code of its own (Word and Excel alike)."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from xuncha.analytics import situation_jobs
from xuncha.analytics.tests.figures_fixture import situation_round
from xuncha.audit.models import AuditEntry
from xuncha.documents import trace, trace_files
from xuncha.documents.models import DocumentJob, ExportTrace, JobState
from xuncha.documents.tests.docx_checks import footer_text, open_docx


@pytest.fixture
def sr(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return situation_round(world)


def _job(client, sr, fmt: str) -> DocumentJob:
    client.force_login(sr["office"])
    client.post(reverse("analytics:situation_job_start", args=[sr["round"].pk]), {"format": fmt})
    job = DocumentJob.objects.get()
    situation_jobs.situation_job_run.call(str(job.pk))  # what the worker runs
    job.refresh_from_db()
    assert job.state == JobState.DONE
    return job


def test_the_job_keeps_the_report_untraced_and_each_download_is_stamped(client, sr):
    job = _job(client, sr, "docx")
    stored = open_docx(bytes(job.content))
    assert "本件由" not in footer_text(stored) and not trace_files.read_clues(bytes(job.content)).fingerprints
    assert not ExportTrace.objects.exists() and not AuditEntry.objects.filter(action="documents.export").exists()
    url = reverse("analytics:situation_job_download", args=[job.pk])
    first, second = client.get(url).content, client.get(url).content
    codes = list(ExportTrace.objects.order_by("created_at", "pk").values_list("code", flat=True))
    assert len(codes) == 2 and codes[0] != codes[1]
    for content, code in zip((first, second), codes, strict=True):
        document = open_docx(content)
        assert f"本件由 {sr['office'].get_full_name()} 于 " in footer_text(document)
        assert f"追溯码 {code}" in footer_text(document)
        assert trace.fingerprints_in("\n".join(p.text for p in document.paragraphs)) == [code]
    row = ExportTrace.objects.get(code=codes[0])
    assert (row.kind, row.source, row.target_id) == ("situation_report", url, str(sr["round"].pk))
    assert AuditEntry.objects.filter(action="documents.export", after__trace=codes[1]).exists()


def test_the_statistics_workbook_is_stamped_at_download(client, sr):
    job = _job(client, sr, "xlsx")
    assert load_workbook(io.BytesIO(bytes(job.content))).active.oddFooter.center.text is None
    content = client.get(reverse("analytics:situation_job_download", args=[job.pk])).content
    row = ExportTrace.objects.get()
    book = load_workbook(io.BytesIO(content))
    assert all(f"追溯码 {row.code}" in sheet.oddFooter.center.text for sheet in book.worksheets)
    assert {p.name: p.value for p in book.custom_doc_props.props}["XunchaTrace"] == row.code
    assert (row.kind, row.kind_label, row.file_format) == ("situation_xlsx", "巡察情况统计表", "xlsx")
    assert AuditEntry.objects.filter(action="analytics.situation.xlsx", after__trace=row.code).exists()
