"""The benchmark's documents: every kind is picked on synthetic data, each download answers with a
Word file for the role it is measured as (the stored ones once ``issue`` has written them), and the
PDF step times real LibreOffice conversions."""

import os

import pytest
from django.test import Client

from xuncha.accounts.models import User
from xuncha.documents import pdf
from xuncha.files.storage import stored_intact
from xuncha.findings.models import ReportVersion
from xuncha.synth.bench.issued import issue
from xuncha.synth.bench.pages import documents, pages
from xuncha.synth.bench.picks import pick
from xuncha.synth.bench.report import documents as document_table
from xuncha.synth.bench.runner import Result, measure_pdf, pdf_key

KINDS = {
    "feedback.docx",
    "inspection report.docx",
    "transfer letter.docx",
    "escalation letter.docx",
    "rectification plan.docx",
    "unit report.docx",
    "leader report.docx",
    "situation.docx",
    "comprehensive.docx",
}


def _client(picks, role: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(pk=picks.users[role]))
    return client


def test_every_document_downloads(synth):
    picks = pick()
    written = issue(picks)
    assert len(written) == 3  # the feedback opinion, the transfer letter, the report's version
    assert issue(pick()) == []  # kept: a rerun writes nothing
    report, number = picks.report_versions["inspection"]
    version = ReportVersion.objects.select_related("file").get(report_id=report, number=number)
    assert stored_intact(version.file)  # the synthetic row now describes the bytes written
    docs = documents(picks)
    assert {p.key for p in docs} == KINDS
    assert {p.role for p in docs if p.key == "situation.docx"} == {"staff", "city"}
    every = pages(picks)
    assert all(p in every for p in docs)
    clients: dict[str, Client] = {}
    for page in docs:
        client = clients.setdefault(page.role, _client(picks, page.role))
        response = client.get(page.url)
        assert response.status_code == 200, f"{page.key} ({page.role}): HTTP {response.status_code}"
        assert response.content[:2] == b"PK", page.key  # a .docx is a zip


@pytest.mark.skipif(not os.environ.get("CI") and not pdf.available(), reason="LibreOffice missing (CI must not skip)")
def test_pdf_rows(synth):
    """The PDF row times real LibreOffice conversions of the downloaded file (a failure shows as 500)."""
    picks = pick()
    issue(picks)
    page = next(p for p in documents(picks) if p.key == "transfer letter.docx")
    client = _client(picks, page.role)
    row = measure_pdf(page, client, runs=1)
    assert (row.key, row.kind, row.status) == (pdf_key(page.key), "pdf", 200)
    assert row.size > 10_000 and row.median_ms > 0 and row.p95_ms >= row.median_ms

    def broken(data: bytes) -> bytes:
        raise RuntimeError("no PDF")

    failed = measure_pdf(page, client, runs=1, convert=broken)
    assert failed.status == 500 and "no PDF" in failed.raw_error

    docx = Result(page.key, "document", page.role, page.url, 200, 17, 60.0, 70.0, None, None, size=40_000)
    lines = document_table([docx, row], {"requests": 20, "pdf": {"runs": 3, "version": "LibreOffice 7"}})
    assert any(line.startswith("| transfer letter.docx | staff | 17 | 60.0 | 70.0 | 39 |") for line in lines)
