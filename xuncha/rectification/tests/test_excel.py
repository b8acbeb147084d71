"""Excel: the template opens and lists every fed-back problem; an import with one bad row imports
nothing and names the row; fixed, it replaces the tasks; the ledger round-trips with openpyxl."""

import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from xuncha.common.exceptions import ServiceError
from xuncha.rectification import excel
from xuncha.rectification.services import plans as services


@pytest.fixture
def plan(fed_back):
    return services.plan_create(actor=fed_back["liaison"], feedback=fed_back["feedback"])


def _filled(plan, bad_row: bool) -> bytes:
    workbook = load_workbook(io.BytesIO(excel.plan_template(plan)))
    sheet = workbook[excel.SHEET]
    due = (timezone.localdate() + timedelta(days=30)).isoformat()
    for row in range(2, sheet.max_row + 1):
        values = ["清退补贴", "全部清退", "限期整改", due, "", "镇党政办", "", "张某"]
        for column, value in enumerate(values, start=3):
            sheet.cell(row=row, column=column, value=value)
    if bad_row:
        sheet.cell(row=3, column=5, value="尽快整改")  # not a horizon
        sheet.cell(row=3, column=6, value="明年")  # not a date
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _upload(data: bytes, name="整改方案.xlsx"):
    return SimpleUploadedFile(name, data)


def test_template_lists_every_problem(fed_back, plan):
    sheet = load_workbook(io.BytesIO(excel.plan_template(plan)))[excel.SHEET]
    assert [c.value for c in sheet[1]] == excel.HEADERS
    assert [sheet.cell(row=r, column=2).value for r in (2, 3)] == ["违规发放津贴补贴", "选人用人不规范"]


def test_one_bad_row_imports_nothing_and_is_named(fed_back, plan):
    with pytest.raises(ServiceError) as exc:
        services.plan_import(actor=fed_back["liaison"], plan=plan, upload=_upload(_filled(plan, bad_row=True)))
    text = " ".join(exc.value.messages)
    assert "第3行" in text and "整改时限类型" in text and "完成时限应为日期" in text and "第2行" not in text
    assert not plan.tasks.exists()
    count = services.plan_import(actor=fed_back["liaison"], plan=plan, upload=_upload(_filled(plan, bad_row=False)))
    assert count == 2 and plan.tasks.count() == 2
    assert set(plan.tasks.values_list("problem__number", flat=True)) == {1, 2}


def test_a_wrong_sheet_or_a_disguised_file_is_refused(fed_back, plan):
    from openpyxl import Workbook

    other = Workbook()
    other.active.title = "Sheet1"
    buffer = io.BytesIO()
    other.save(buffer)
    with pytest.raises(ServiceError, match="没有找到"):
        services.plan_import(actor=fed_back["liaison"], plan=plan, upload=_upload(buffer.getvalue()))
    with pytest.raises(ServiceError):
        services.plan_import(actor=fed_back["liaison"], plan=plan, upload=_upload(b"%PDF-1.4 not excel"))
    assert not plan.tasks.exists()


def test_pages_template_import_and_ledger(client, fed_back, plan):
    client.force_login(fed_back["liaison"])
    response = client.get(reverse("rectification:plan_template", args=[plan.pk]))
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxml")
    bad = client.post(
        reverse("rectification:plan_import", args=[plan.pk]), {"upload": _upload(_filled(plan, True))}, follow=True
    )
    assert "第3行" in bad.content.decode() and not plan.tasks.exists()
    client.post(reverse("rectification:plan_import", args=[plan.pk]), {"upload": _upload(_filled(plan, False))})
    assert plan.tasks.count() == 2
    ledger = load_workbook(io.BytesIO(client.get(reverse("rectification:plan_ledger", args=[plan.pk])).content))
    rows = list(ledger["整改台账"].iter_rows(min_row=2, values_only=True))
    assert len(rows) == 2 and rows[0][0] == fed_back["target"].unit.name and rows[0][11] == "整改中"


def _with_hostile_cache(data: bytes) -> bytes:
    """C2 holds the formula =HYPERLINK(…) with a cached "result" that reads like a real measure:
    a reader trusting cached values would import text the unit's Excel never showed."""
    import re
    import zipfile

    source, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                content = re.sub(
                    rb'<c r="C2"[^>]*>.*?</c>',
                    b'<c r="C2" t="str"><f>HYPERLINK("http://x","\xe7\x82\xb9\xe6\xad\xa4")</f><v>\xe6\xb8\x85\xe9\x80\x80</v></c>',
                    content,
                    flags=re.S,
                )
            target.writestr(info, content)
    return out.getvalue()


def test_a_formula_is_refused_whatever_result_the_file_caches(fed_back, plan):
    hostile = _with_hostile_cache(_filled(plan, bad_row=False))
    cached = load_workbook(io.BytesIO(hostile), data_only=True)[excel.SHEET]["C2"].value
    assert cached == "清退"  # what a reader of cached values would have imported
    with pytest.raises(ServiceError) as exc:
        services.plan_import(actor=fed_back["liaison"], plan=plan, upload=_upload(hostile))
    text = " ".join(exc.value.messages)
    assert "第2行" in text and "“整改措施”含有公式" in text
    assert not plan.tasks.exists()


def test_text_that_looks_like_a_formula_imports_as_text(fed_back, plan):
    workbook = load_workbook(io.BytesIO(_filled(plan, bad_row=False)))
    cell = workbook[excel.SHEET]["C2"]
    cell.value, cell.data_type, cell.quotePrefix = "=按规定清退", "s", True  # typed as text after "'"
    buffer = io.BytesIO()
    workbook.save(buffer)
    services.plan_import(actor=fed_back["liaison"], plan=plan, upload=_upload(buffer.getvalue()))
    assert plan.tasks.get(problem__number=1).measure == "=按规定清退"
