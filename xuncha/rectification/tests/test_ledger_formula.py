"""Issue 14, finding 5: text a unit typed that looks like a formula went into the 整改台账 export
as a live formula (=HYPERLINK to anywhere, a DDE command). Every downloaded workbook keeps it text."""

import io
import zipfile

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from xuncha.documents import trace
from xuncha.rectification.models import Task
from xuncha.rectification.tests.test_ledger_trace import _get, plan  # noqa: F401 (fixture)

PAYLOADS = ['=HYPERLINK("http://x","点此")', "=cmd|' /C calc'!A0", "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(1)", "\t=1+1"]


@pytest.mark.parametrize("name", ["rectification:plan_ledger", "rectification:plan_template"])
def test_text_that_looks_like_a_formula_stays_text(client, fed_back, plan, name):  # noqa: F811
    # The plan's tasks carry the payloads in turn (measure and standard), two per task: the one
    # writer's unit test below takes every payload through a workbook of its own.
    written = set()
    for i, task in enumerate(Task.objects.filter(plan=plan).order_by("pk")):
        measure, standard = PAYLOADS[(2 * i) % len(PAYLOADS)], PAYLOADS[(2 * i + 1) % len(PAYLOADS)]
        Task.objects.filter(pk=task.pk).update(measure=measure, standard=standard)
        written |= {measure, standard}
    content = _get(client, fed_back["office"], reverse(name, args=[plan.pk]))
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        sheets = [archive.read(n) for n in archive.namelist() if n.startswith("xl/worksheets/sheet")]
    assert sheets and not any(b"<f>" in xml or b"<f " in xml for xml in sheets)
    workbook = load_workbook(io.BytesIO(content))
    cells = [
        cell
        for sheet in workbook.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if isinstance(cell.value, str) and trace.strip_fingerprints(cell.value) in PAYLOADS
    ]
    if name == "rectification:plan_ledger":
        assert {trace.strip_fingerprints(c.value) for c in cells} == written, "the ledger lists every task's text"
    # Text, with the quote prefix that keeps it text when someone edits the cell in Excel.
    assert all(cell.data_type == "s" and cell.quotePrefix for cell in cells)


def test_every_workbook_leaves_through_the_one_writer():
    """The stamp is the one writer: whatever an exporter built, formulas and formula-like text leave as text."""
    from openpyxl import Workbook

    from xuncha.documents.trace_files import stamp_xlsx

    workbook = Workbook()
    sheet = workbook.active
    for row, payload in enumerate(PAYLOADS, start=1):
        sheet.cell(row=row, column=1, value=payload)  # openpyxl makes "=…" a formula cell
    sheet.cell(row=1, column=2, value="正常的整改措施")
    buffer = io.BytesIO()
    workbook.save(buffer)
    stamped = load_workbook(io.BytesIO(stamp_xlsx(buffer.getvalue(), line="下载人 测试", code=trace.new_code())))
    cells = stamped.active
    for row, payload in enumerate(PAYLOADS, start=1):
        cell = cells.cell(row=row, column=1)
        assert cell.data_type == "s" and cell.quotePrefix and trace.strip_fingerprints(cell.value) == payload
    assert not cells.cell(row=1, column=2).quotePrefix
