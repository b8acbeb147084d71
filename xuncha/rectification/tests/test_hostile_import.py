"""Issue 14, finding 6, at the Excel import of a rectification plan: openpyxl reads the whole
sheet, so a 400 KB workbook holding 384 MB of XML took 21 s (the finding: 2 MB → 2 GB, 84 s and
4 GB). Through the real page, each hostile file is now refused in under 2 s and 200 MB, with a
message in Chinese, and the plan's tasks are as they were."""

from __future__ import annotations

import io

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from xuncha.common.exceptions import ServiceError
from xuncha.files.tests import hostile, samples
from xuncha.rectification import excel
from xuncha.rectification.services import plans as services
from xuncha.rectification.tests.test_excel import _filled


def _plan_workbook() -> bytes:
    """A workbook with the import's sheet and headers: the import reads on into its rows."""
    workbook = Workbook()
    workbook.active.title = excel.SHEET
    workbook.active.append(excel.HEADERS)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# The bombs of the other paths, in a workbook the import does not stop reading at its sheet name.
PLAN_2GB = hostile.Case(
    hostile.BOMB_2GB.label, "整改方案.xlsx", lambda: hostile.xlsx_bomb(2048, _plan_workbook()), hostile.BOMB
)
PLAN_400KB = hostile.Case(
    hostile.BOMB_400KB.label, "整改方案.xlsx", lambda: hostile.xlsx_bomb(384, _plan_workbook()), hostile.BOMB
)
LYING = hostile.Case(
    "xlsx whose sheet declares 1 KB and holds 300 MB",
    "整改方案.xlsx",
    lambda: hostile.lying_xlsx(300),
    "无法作为 Excel",
)
SHEET_LAUGHS = hostile.Case(
    "billion laughs in the sheet XML",
    "整改方案.xlsx",
    lambda: hostile.replacing(
        samples.xlsx(),
        {"xl/worksheets/sheet1.xml": hostile.entry("xl/worksheets/sheet1.xml", hostile.billion_laughs(b"worksheet"))},
    ),
    "文档类型定义（DTD）",
)
OTHERS = [c for c in hostile.REFUSED if c not in (hostile.BOMB_2GB, hostile.BOMB_400KB)]
CASES = [pytest.param(case, id=case.label) for case in [PLAN_2GB, PLAN_400KB, *OTHERS, LYING, SHEET_LAUGHS]]


@pytest.fixture
def imported(fed_back):
    """A draft plan with the two tasks of an earlier, good import."""
    plan = services.plan_create(actor=fed_back["liaison"], feedback=fed_back["feedback"])
    upload = SimpleUploadedFile("整改方案.xlsx", _filled(plan, bad_row=False))
    services.plan_import(actor=fed_back["liaison"], plan=plan, upload=upload)
    return plan


def _tasks(plan) -> list:
    return list(plan.tasks.order_by("pk").values_list("pk", "measure"))


@pytest.mark.parametrize("case", CASES)
def test_a_hostile_workbook_is_refused_fast_and_the_tasks_stay(client, fed_back, imported, case):
    before = _tasks(imported)
    data = case.build()
    client.force_login(fed_back["liaison"])
    url = reverse("rectification:plan_import", args=[imported.pk])
    assert client.get(imported.get_absolute_url()).status_code == 200  # imports every view: not measured
    upload = SimpleUploadedFile(case.name, data)
    with hostile.measured() as m:
        response = client.post(url, {"upload": upload})
    assert response.status_code == 302
    message = " ".join(str(msg) for msg in get_messages(response.wsgi_request))
    assert case.expect in message
    assert _tasks(imported) == before and len(before) == 2
    m.assert_within_budget(case.label)
    hostile.record("rectification plan Excel import (page → plan_import)", case.label, len(data), m, message)


def test_the_import_holds_a_workbook_to_its_own_smaller_limit(fed_back, imported, monkeypatch):
    monkeypatch.setattr(excel, "IMPORT_MAX_UNPACKED", 4096)
    upload = SimpleUploadedFile("整改方案.xlsx", _filled(imported, bad_row=False))
    with pytest.raises(ServiceError) as exc:
        services.plan_import(actor=fed_back["liaison"], plan=imported, upload=upload)
    assert "解压后超过 1 MB" in exc.value.messages[0] and "整改方案.xlsx" in exc.value.messages[0]


def test_the_parser_guards_itself_whoever_calls_it(imported):
    with hostile.measured() as m:
        result = excel.parse_plan(imported, PLAN_400KB.build())
    assert result.rows == [] and "无法安全打开" in result.errors[0]
    m.assert_within_budget("parse_plan")
