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

PAYLOADS = ['=HYPERLINK("http://x","点此")', "=cmd|' /C calc'!A0"]


@pytest.mark.parametrize("payload", PAYLOADS)
@pytest.mark.parametrize("name", ["rectification:plan_ledger", "rectification:plan_template"])
def test_text_that_looks_like_a_formula_stays_text(client, fed_back, plan, payload, name):  # noqa: F811
    Task.objects.filter(plan=plan).update(measure=payload, standard=payload)
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
        if isinstance(cell.value, str) and trace.strip_fingerprints(cell.value) == payload
    ]
    if name == "rectification:plan_ledger":
        assert cells, "the ledger lists the task's measure"
    assert all(cell.data_type == "s" for cell in cells)
