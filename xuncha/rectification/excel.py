"""Excel for rectification: the plan template a unit fills in, its import with a row-by-row error
report, and the ledger (整改台账).

The template lists every fed-back problem with its number; the unit adds one row per measure. An
import is all or nothing: any bad row and nothing is written, and every bad row is named.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from xuncha.accounts.models import Person
from xuncha.documents.trace import strip_fingerprints
from xuncha.files import guard
from xuncha.rectification.models import Horizon, RectificationPlan

SHEET = "整改任务"
HEADERS = [
    "问题序号",
    "问题（反馈原文，勿改）",
    "整改措施",
    "完成标准",
    "整改时限类型",
    "完成时限",
    "责任领导",
    "牵头部门",
    "配合部门",
    "具体责任人",
]
WIDTHS = [9, 36, 40, 28, 12, 12, 10, 14, 16, 10]
HORIZONS = {str(label): value for value, label in Horizon.choices}
# Rows an import may hold: inside the web request, and in the worker (a larger file goes there).
MAX_ROWS = 500
MAX_ROWS_BACKGROUND = 5000
# A file larger than this is imported by the worker (services.plans.plan_import). Measured on the
# filled template (measures of 60 characters, standards of 25, every row different; SQLite, dev
# laptop), the whole inline import (upload checks + parse + replace the tasks + audit):
#     100 rows  24 KB   34 ms  |  200 rows  41 KB   58 ms  |  500 rows  91 KB  126 ms
# in the worker (parse + apply): 800 rows 142 KB 0.15 s; 5,000 rows 850 KB 1.5-1.8 s. Measures of
# 300 characters: 200 rows 120 KB 0.1 s. 48 KB is about 240 rows of the first kind, ~60 ms inline.
# Rows of a few characters pack tighter (600 in 28 KB): past MAX_ROWS a small file goes to the
# worker as well.
IMPORT_INLINE_BYTES = 48 * 1024
# 500 filled rows are well under 1 MB of sheet XML. openpyxl took 21 s over a 400 KB file holding
# 384 MB of it (issue 14); 20 MB bounds an import to about a second, whatever the file declares.
IMPORT_MAX_UNPACKED = 20 * 1024 * 1024
HEADER_FILL = PatternFill("solid", fgColor="F2DCDB")


def _sheet(workbook: Workbook, title: str, headers: list[str], widths: list[int]) -> Any:
    sheet = workbook.active if workbook.active.title == "Sheet" else workbook.create_sheet()
    sheet.title = title
    sheet.append(headers)
    for index, width in enumerate(widths, start=1):
        cell = sheet.cell(row=1, column=index)
        cell.font, cell.fill = Font(bold=True), HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        sheet.column_dimensions[cell.column_letter].width = width
    sheet.freeze_panes = "A2"
    return sheet


def _save(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def plan_template(plan: RectificationPlan) -> bytes:
    """One row per fed-back problem to start from, plus the plan's tasks if it has any."""
    workbook = Workbook()
    sheet = _sheet(workbook, SHEET, HEADERS, WIDTHS)
    horizon = DataValidation(type="list", formula1='"' + ",".join(HORIZONS) + '"', allow_blank=False)
    sheet.add_data_validation(horizon)
    tasks = {}
    for task in plan.tasks.select_related("leader").order_by("number"):
        tasks.setdefault(task.problem_id, []).append(task)
    for problem in plan.feedback.target.problems.order_by("number"):
        for task in tasks.get(problem.pk) or [None]:
            row = [problem.number, problem.title]
            if task is not None:
                row += [
                    task.measure,
                    task.standard,
                    str(task.get_horizon_display()),
                    task.due_on,
                    task.leader.name if task.leader else "",
                    task.lead_dept,
                    task.coop_depts,
                    task.owner,
                ]
            sheet.append(row)
            sheet.cell(row=sheet.max_row, column=6).number_format = "yyyy-mm-dd"
    horizon.add(f"E2:E{MAX_ROWS_BACKGROUND + 1}")
    notes = workbook.create_sheet("填写说明")
    for line in (
        "每个问题至少填写一行整改措施；一个问题有多项措施时，复制该行、保留相同的问题序号。",
        "整改时限类型填写：立行立改、限期整改或长期坚持。完成时限按“2026-12-31”格式填写。",
        "责任领导填写本单位领导班子成员姓名；牵头部门和具体责任人必填。",
        "导入时逐行检查，任何一行有误都不会导入，并列出所有错误行。",
    ):
        notes.append([line])
    notes.column_dimensions["A"].width = 90
    return _save(workbook)


@dataclass
class ImportResult:
    rows: list[dict[str, Any]]
    errors: list[str]
    # The sheet holds more than ``max_rows`` rows (then ``errors`` says so).
    over_limit: bool = False


def _text(value: Any) -> str:
    # A downloaded template carries its trace marks (zero-width characters) in the longer cells:
    # they must not come back in as part of a measure or a name.
    return "" if value is None else strip_fingerprints(str(value).replace("\x00", "")).strip()


def _date(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return datetime.strptime(_text(value), "%Y-%m-%d").date()
    except ValueError:
        return None


def import_limits() -> guard.Limits:
    return guard.Limits.from_settings(max_unpacked=IMPORT_MAX_UNPACKED)


def _open(data: bytes) -> tuple[Any, list[str]]:
    """The workbook opened for reading (the caller closes it), or why it cannot be."""
    try:
        guard.check_zip(data, import_limits())  # the service checked the upload; this is the parser's own gate
        # Formulas as written, never their cached results: a hostile file can cache any text as
        # the "result" of a formula that shows something else. Formula cells are refused below.
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except guard.HostileFile:
        return None, [_("文件解压后过大或结构异常，无法安全打开，请使用下载的模板（.xlsx）填写。")]
    except Exception:  # a corrupt or foreign file: openpyxl raises many kinds
        return None, [_("文件无法作为 Excel 工作簿打开，请使用下载的模板（.xlsx）。")]
    if SHEET not in workbook.sheetnames:
        workbook.close()
        return None, [_("没有找到“%(sheet)s”工作表，请使用下载的模板。") % {"sheet": SHEET}]
    return workbook, []


def check_workbook(data: bytes) -> list[str]:
    """Why ``data`` is no plan workbook at all (unsafe, unreadable, no such sheet), without reading
    its rows: what the uploader of a large file is told at once, before it is queued."""
    workbook, errors = _open(data)
    if workbook is not None:
        workbook.close()
    return errors


def parse_plan(plan: RectificationPlan, data: bytes, max_rows: int = MAX_ROWS) -> ImportResult:
    """Read and check every row (at most ``max_rows``); ``errors`` names each bad row in the
    office's words."""
    workbook, errors = _open(data)
    if workbook is None:
        return ImportResult([], errors)
    sheet = workbook[SHEET]
    problems = {p.number: p for p in plan.feedback.target.problems.all()}
    leaders = {
        p.name: p for p in Person.objects.filter(posts__unit=plan.feedback.target.unit, posts__end_date__isnull=True)
    }
    rows, errors, over_limit = [], [], False
    for index, cells in enumerate(sheet.iter_rows(min_row=2, max_col=len(HEADERS)), start=2):
        values = [getattr(c, "value", None) for c in cells] + [None] * (len(HEADERS) - len(cells))
        if all(_text(v) == "" for v in values):
            continue
        if len(rows) + len(errors) >= max_rows:
            errors.append(_("行数超过%(n)s行。") % {"n": max_rows})
            over_limit = True
            break
        formulas = [HEADERS[i] for i, c in enumerate(cells) if getattr(c, "data_type", "") == "f"]
        if formulas:
            message = _("“%(cols)s”含有公式，请在 Excel 中复制后“选择性粘贴—数值”再导入") % {
                "cols": "、".join(formulas)
            }
            errors.append(_("第%(n)s行：%(what)s") % {"n": index, "what": message})
            continue
        row, problems_in_row = _check_row(index, values, problems, leaders, plan)
        if problems_in_row:
            errors.append(_("第%(n)s行：%(what)s") % {"n": index, "what": "；".join(problems_in_row)})
        else:
            rows.append(row)
    workbook.close()
    if not rows and not errors:
        errors.append(_("工作表中没有整改措施。"))
    return ImportResult(rows, errors, over_limit)


def _check_row(
    index: int, values: list[Any], problems: dict, leaders: dict, plan: RectificationPlan
) -> tuple[dict, list[str]]:
    number, _title, measure, standard, horizon, due, leader, lead_dept, coop, owner = values[: len(HEADERS)]
    wrong: list[str] = []
    try:
        problem = problems.get(int(float(_text(number))))
    except ValueError:
        problem = None
    if problem is None:
        wrong.append(_("问题序号“%(n)s”不在反馈的问题清单中") % {"n": _text(number)})
    for value, label in (
        (measure, _("整改措施")),
        (standard, _("完成标准")),
        (lead_dept, _("牵头部门")),
        (owner, _("具体责任人")),
    ):
        if not _text(value):
            wrong.append(_("缺少%(field)s") % {"field": label})
    if _text(horizon) not in HORIZONS:
        wrong.append(_("整改时限类型应为立行立改、限期整改或长期坚持"))
    due_on = _date(due)
    if due_on is None:
        wrong.append(_("完成时限应为日期，如2026-12-31"))
    elif due_on < plan.feedback.sent_on:
        wrong.append(_("完成时限早于反馈日期"))
    person = leaders.get(_text(leader)) if _text(leader) else None
    if _text(leader) and person is None:
        wrong.append(_("责任领导“%(name)s”不是本单位在职人员") % {"name": _text(leader)})
    if len(_text(measure)) > 2000 or len(_text(standard)) > 500 or len(_text(lead_dept)) > 100:
        wrong.append(_("内容过长"))
    row = {
        "problem": problem,
        "measure": _text(measure),
        "standard": _text(standard),
        "horizon": HORIZONS.get(_text(horizon)),
        "due_on": due_on,
        "leader": person,
        "lead_dept": _text(lead_dept),
        "coop_depts": _text(coop)[:200],
        "owner": _text(owner)[:50],
    }
    return row, wrong


LEDGER_HEADERS = [
    "单位",
    "问题序号",
    "问题",
    "任务",
    "整改措施",
    "完成标准",
    "整改时限类型",
    "完成时限",
    "责任领导",
    "牵头部门",
    "具体责任人",
    "状态",
    "销号日期",
]
LEDGER_WIDTHS = [14, 8, 30, 6, 40, 28, 12, 12, 10, 14, 10, 12, 12]


def ledger(plans: list[RectificationPlan]) -> bytes:
    """整改台账: one row per task, every plan given, in problem order."""
    workbook = Workbook()
    sheet = _sheet(workbook, "整改台账", LEDGER_HEADERS, LEDGER_WIDTHS)
    for plan in plans:
        unit = plan.feedback.target.unit.name
        for task in plan.tasks.select_related("problem", "leader").order_by("problem__number", "number"):
            sheet.append(
                [
                    unit,
                    task.problem.number,
                    task.problem.title,
                    task.number,
                    task.measure,
                    task.standard,
                    str(task.get_horizon_display()),
                    task.due_on,
                    task.leader.name if task.leader else "",
                    task.lead_dept,
                    task.owner,
                    str(task.get_state_display()),
                    task.closed_on,
                ]
            )
            for column in (8, 13):
                sheet.cell(row=sheet.max_row, column=column).number_format = "yyyy-mm-dd"
    return _save(workbook)
