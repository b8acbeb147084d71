"""Issue 13, build 4: the workbooks of rectification (ledger, plan template, score sheet) carry the
downloader's trace code in the printed footer, the custom properties and the longer cells; a
template downloaded that way imports without the marks."""

import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from xuncha.audit.models import AuditEntry
from xuncha.documents import trace
from xuncha.documents.models import ExportTrace
from xuncha.rectification import excel
from xuncha.rectification.services import plans as services

MEASURE = "全面清理2025年以来违规发放的各类津贴补贴，并督促个人如数退回"


@pytest.fixture
def plan(fed_back):
    plan = services.plan_create(actor=fed_back["liaison"], feedback=fed_back["feedback"])
    services.plan_import(actor=fed_back["liaison"], plan=plan, upload=_upload(_filled(excel.plan_template(plan))))
    return plan


def _filled(data: bytes) -> bytes:
    workbook = load_workbook(io.BytesIO(data))
    sheet = workbook[excel.SHEET]
    due = (timezone.localdate() + timedelta(days=30)).isoformat()
    for row in range(2, sheet.max_row + 1):
        values = [MEASURE, "全部清退到位", "限期整改", due, "", "镇党政办", "", "张某"]
        for column, value in enumerate(values, start=3):
            sheet.cell(row=row, column=column, value=value)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _upload(data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile("整改方案.xlsx", data)


def _get(client, user, url):
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return response.content


def test_the_ledger_names_its_downloader_in_footer_properties_and_cells(client, fed_back, plan):
    url = reverse("rectification:plan_ledger", args=[plan.pk])
    copies = {user: _get(client, user, url) for user in (fed_back["liaison"], fed_back["office"])}
    rows = {row.recipient: row for row in ExportTrace.objects.filter(kind="rectification_ledger")}
    assert rows[fed_back["liaison"]].code != rows[fed_back["office"]].code
    for user, content in copies.items():
        row = rows[user]
        book = load_workbook(io.BytesIO(content))
        sheet = book["整改台账"]
        footer = sheet.oddFooter.center.text
        assert footer.startswith(f"本件由 {user.get_full_name()} 于 ") and f"追溯码 {row.code}" in footer
        assert {p.name: p.value for p in book.custom_doc_props.props}["XunchaTrace"] == row.code
        measures = [r[4] for r in sheet.iter_rows(min_row=2, values_only=True)]
        assert all(trace.fingerprints_in(m) == [row.code] for m in measures)  # copied out of a cell
        assert trace.strip_fingerprints(measures[0]) == MEASURE
        assert (row.kind_label, row.file_format, row.source) == ("整改台账", "xlsx", url)
        entry = AuditEntry.objects.filter(action="rectification.plan.export", actor=user).latest("seq")
        assert entry.after["trace"] == row.code and entry.after["file"].startswith("整改台账")


def test_a_downloaded_template_imports_without_the_marks(client, fed_back, plan):
    content = _get(client, fed_back["liaison"], reverse("rectification:plan_template", args=[plan.pk]))
    sheet = load_workbook(io.BytesIO(content))[excel.SHEET]
    assert trace.fingerprints_in(sheet.cell(row=2, column=3).value)  # the measure as prefilled, marked
    services.plan_import(actor=fed_back["liaison"], plan=plan, upload=_upload(content))
    assert set(plan.tasks.values_list("measure", flat=True)) == {MEASURE}


def test_the_score_sheet_is_traced(client, fed_back):
    from xuncha.rectification.evaluation_seed import load
    from xuncha.rectification.services import evaluation as evaluation_services
    from xuncha.rectification.tests.test_followup import approved_plan

    load()  # the default sheet comes with a migration; a flushed test database may lack it
    plan = approved_plan(fed_back)
    evaluation_services.evaluation_save(
        actor=fed_back["office"], plan=plan, evaluated_on=timezone.localdate(), deductions={}, comment="总体较好"
    )
    content = _get(client, fed_back["liaison"], reverse("rectification:evaluation_xlsx", args=[plan.pk]))
    row = ExportTrace.objects.get(kind="rectification_evaluation_sheet")
    book = load_workbook(io.BytesIO(content))
    assert f"追溯码 {row.code}" in book.active.oddFooter.center.text
    assert {p.name: p.value for p in book.custom_doc_props.props}["XunchaTrace"] == row.code
    assert row.kind_label == "整改评估计分表" and row.recipient == fed_back["liaison"]
