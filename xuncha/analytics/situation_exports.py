"""The situation report as Word (through documents' rendering and trace) and the round's
statistics as Excel, one sheet per section; both from the same figures. Rendering and hand-over
are two steps: a job renders once and keeps the file, each download stamps it for the person
downloading (their name and trace code) and is audited."""

from __future__ import annotations

import io
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill

from xuncha.accounts.models import OrgUnit
from xuncha.accounts.permissions import Perm, require
from xuncha.analytics.documents.contexts import comprehensive_context, situation_context
from xuncha.analytics.situation import comprehensive_figures, situation_figures
from xuncha.documents.kinds import SPECS, DocumentKind
from xuncha.documents.services import Export, render_for, trace_stamp
from xuncha.files.sniff import KINDS
from xuncha.plans.models import Round

XLSX_CONTENT_TYPE = KINDS["xlsx"].content_type
XLSX_KIND = "situation_xlsx"
HEADER_FILL = PatternFill("solid", fgColor="F2DCDB")


@dataclass(frozen=True)
class Rendered:
    export: Export  # content without a trace
    template: Any  # the replacement template's id, "default", or "" for the workbook


def _safe(name: str) -> str:
    return "".join("_" if ch in '\\/:*?"<>|' or ord(ch) < 32 else ch for ch in name)


def _name(label: str, rnd: Round, unit: OrgUnit | None) -> str:
    return _safe(label % {"round": rnd.name, "unit": f"-{unit.name}" if unit else ""})


def _docx(kind: str, rnd: Round, context: Any) -> tuple[bytes, Any]:
    content, replacement = render_for(kind=kind, jurisdiction=rnd.jurisdiction, context=context)
    return content, replacement.pk if replacement else "default"


def situation_render(*, actor: Any, rnd: Round, unit: OrgUnit | None, fmt: str, data: dict[str, Any]) -> Rendered:
    """The file of ``fmt`` from ``data`` (figures computed for ``actor``), without any trace: a job
    keeps it until the download, which stamps it for whoever downloads."""
    require(actor, Perm.SITUATION_VIEW, rnd)
    today = timezone.localdate()
    if fmt == "xlsx":
        name = _name(_("巡察情况统计-%(round)s%(unit)s.xlsx"), rnd, unit)
        export = Export(
            kind=XLSX_KIND,
            filename=name,
            ascii_name="situation-statistics.xlsx",
            content=statistics_workbook(data),
            content_type=XLSX_CONTENT_TYPE,
        )
        return Rendered(export, "")
    if fmt == "comprehensive":
        kind, label = DocumentKind.COMPREHENSIVE_REPORT, _("巡察综合报告-%(round)s%(unit)s.docx")
        content, template = _docx(kind, rnd, lambda: comprehensive_context(data, rnd.jurisdiction, today=today))
    else:
        kind, label = DocumentKind.SITUATION_REPORT, _("巡察情况汇报-%(round)s%(unit)s.docx")
        content, template = _docx(kind, rnd, lambda: situation_context(data, rnd.jurisdiction, today=today))
    export = Export(kind=kind, filename=_name(label, rnd, unit), ascii_name=SPECS[kind].ascii_name, content=content)
    return Rendered(export, template)


def situation_hand_over(
    *, actor: Any, rnd: Round, unit: OrgUnit | None, rendered: Rendered, source: str = ""
) -> Export:
    """The rendered file stamped for ``actor`` (their name and trace code), the hand-over audited."""
    require(actor, Perm.SITUATION_VIEW, rnd)
    export = rendered.export
    workbook = export.kind == XLSX_KIND
    after = {"kind": export.kind, "unit": unit.name if unit else ""}
    if not workbook:
        after["template"] = rendered.template
    traced = trace_stamp(
        actor=actor,
        content=export.content,
        kind=export.kind,
        kind_label=_("巡察情况统计表") if workbook else "",
        target=rnd,
        filename=export.filename,
        source=source,
        action="analytics.situation.xlsx" if workbook else "documents.export",
        after=after,
    )
    return replace(export, content=traced.content, trace=traced.code)


def _export(
    fmt: str, figures: Any, actor: Any, rnd: Round, unit: OrgUnit | None, data: dict[str, Any] | None, source: str
) -> Export:
    require(actor, Perm.SITUATION_VIEW, rnd)
    numbers = data if data is not None else figures(user=actor, rnd=rnd, unit=unit)
    rendered = situation_render(actor=actor, rnd=rnd, unit=unit, fmt=fmt, data=numbers)
    return situation_hand_over(actor=actor, rnd=rnd, unit=unit, rendered=rendered, source=source)


def situation_docx_export(
    *, actor: Any, rnd: Round, unit: OrgUnit | None = None, data: dict[str, Any] | None = None, source: str = ""
) -> Export:
    """The Word report for ``actor`` (their name and trace code in the footer), the hand-over
    audited like every document export. ``data``: figures already computed for this actor."""
    return _export("docx", situation_figures, actor, rnd, unit, data, source)


def comprehensive_docx_export(
    *, actor: Any, rnd: Round, unit: OrgUnit | None = None, data: dict[str, Any] | None = None, source: str = ""
) -> Export:
    """The comprehensive report to the secretary's meeting (综合报告): the situation report's
    figures and each unit's problems, audited like every document export."""
    return _export("comprehensive", comprehensive_figures, actor, rnd, unit, data, source)


def situation_xlsx_export(
    *, actor: Any, rnd: Round, unit: OrgUnit | None = None, data: dict[str, Any] | None = None, source: str = ""
) -> Export:
    return _export("xlsx", situation_figures, actor, rnd, unit, data, source)


# --- the workbook -----------------------------------------------------------------------------------


class _Sheet:
    """Blocks down one sheet: a bold title, a shaded header row, the rows, a blank line."""

    def __init__(self, workbook: Workbook, title: str) -> None:
        first = workbook.active
        self.ws = first if first.title == "Sheet" else workbook.create_sheet()
        self.ws.title = title
        self.ws.column_dimensions["A"].width = 48
        for column in "BCD":
            self.ws.column_dimensions[column].width = 16

    def block(self, title: str, headers: list[str], rows: list[list[Any]]) -> None:
        self.ws.append([title])
        self.ws.cell(row=self.ws.max_row, column=1).font = Font(bold=True, size=12)
        self.ws.append(headers)
        for cell in self.ws[self.ws.max_row]:
            cell.font, cell.fill = Font(bold=True), HEADER_FILL
            cell.alignment = Alignment(wrap_text=True, vertical="center")
        for row in rows:
            self.ws.append(row)
        if not rows:
            self.ws.append([_("（无）")])
        self.ws.append([])


def _pairs(rows: list[dict[str, Any]], *keys: str) -> list[list[Any]]:
    return [[row["label"], *(row[k] for k in keys)] for row in rows]


def _activity_sheet(workbook: Workbook, a: dict[str, Any]) -> None:
    sheet = _Sheet(workbook, _("基本情况"))
    reports, docs = a["reports"], a["documents"]
    figures = [
        [_("巡察组（个）"), a["teams"]],
        [_("巡察对象（个）"), a["targets"]],
        [_("其中村（社区）（个）"), a["villages"]],
        [_("个别谈话（人次）"), a["interviews"]["held"]],
        [_("其中谈话对象已签字确认（人次）"), a["interviews"]["confirmed"]],
        [_("调阅资料（批次）"), docs["requests"]],
        [_("其中已归还（批次）"), docs["returned"]],
        [_("实地走访（次）"), a["visits"]],
        [_("专项检查（次）"), a["checks"]],
        [_("问卷调查与民主测评（次）"), a["questionnaires"]],
        [_("问题底稿（份，已签发）"), a["papers"]["signed"]],
        [_("立行立改通知（份）"), a["fixes"]["issued"]],
        [_("其中已验收（份）"), a["fixes"]["done"]],
    ]
    sheet.block(_("巡察工作开展情况"), [_("项目"), _("数量")], figures)
    triage = [
        [_("收到"), reports["received"]],
        [_("属于巡察受理范围"), reports["in_scope"]],
        [_("其中纳入问题底稿"), reports["linked"]],
        [_("转交有关部门"), reports["forwarded"]],
        [_("不予受理"), reports["not_accepted"]],
        [_("合并办理"), reports["merged"]],
        [_("待处理"), reports["pending"]],
    ]
    sheet.block(_("信访举报受理情况（件）"), [_("项目"), _("件数")], triage)
    sheet.block(_("信访举报来源（件）"), [_("来源"), _("件数")], _pairs(reports["by_channel"], "n"))


def _findings_sheet(workbook: Workbook, found: dict[str, Any]) -> None:
    sheet = _Sheet(workbook, _("发现问题"))
    problems = found["problems"]
    severity = [*_pairs(problems["rows"], "n"), [_("合计"), problems["total"]]]
    sheet.block(_("按严重程度"), [_("严重程度"), _("问题数")], severity)
    # Each problem once, under its top-level item; sub-items are 其中 rows (findings.grouping).
    by_item = [
        [_("其中：%(item)s") % {"item": row["label"]} if row.get("sub") else row["label"], row["n"]]
        for row in found["by_item"]
    ]
    if by_item:
        by_item.append([_("合计"), problems["total"]])
    sheet.block(_("按巡察监督重点"), [_("监督重点"), _("问题数")], by_item)
    tags = [[row["group"], row["label"], row["n"]] for row in found["by_tag"]]
    sheet.block(_("按问题标签"), [_("类别"), _("标签"), _("问题数")], tags)
    recurring = _pairs(found["recurring"], "units", "n")
    sheet.block(_("多个单位重复出现的问题标签"), [_("标签"), _("涉及单位数"), _("问题数")], recurring)


def _transfers_sheet(workbook: Workbook, moved: dict[str, Any]) -> None:
    sheet = _Sheet(workbook, _("线索移交"))
    by_kind = [*_pairs(moved["by_kind"], "n", "persons"), [_("合计"), moved["total"], moved["persons"]]]
    sheet.block(_("按移交类别"), [_("类别"), _("件数"), _("涉及人数")], by_kind)
    sheet.block(
        _("按接收单位"), [_("接收单位"), _("件数"), _("涉及人数")], _pairs(moved["by_receiver"], "n", "persons")
    )
    sheet.block(_("按办理状态"), [_("状态"), _("件数")], _pairs(moved["by_state"], "n"))
    sheet.block(_("按处置方式"), [_("处置方式"), _("件数")], _pairs(moved["by_disposal"], "n"))
    sheet.block(_("超期未反馈办理结果"), [_("项目"), _("件数")], [[_("超期未反馈"), moved["overdue"]]])


def _rectification_sheet(workbook: Workbook, rect: dict[str, Any]) -> None:
    sheet = _Sheet(workbook, _("整改推进"))
    plans, tasks, rate = rect["plans"], rect["tasks"], rect["rate"]
    progress = [
        [_("已反馈单位（个）"), plans["fed_back"]],
        [_("整改方案（个）"), plans["plans"]],
        [_("整改方案审核通过（个）"), plans["approved"]],
        [_("整改任务（项）"), tasks["total"]],
        [_("已销号（项）"), tasks["closed"]],
        [_("阶段性完成（项）"), tasks["ongoing"]],
        [_("申请销号待核验（项）"), tasks["requested"]],
        [_("正在整改（项）"), tasks["in_progress"]],
        [_("逾期未完成（项）"), tasks["overdue"]],
        [_("反馈问题（个）"), rate["problems"]],
        [_("已完成整改问题（个）"), rate["done"]],
        [_("整改完成率（%）"), Decimal(rate["rate"]) if rate["rate"] is not None else _("暂无")],
        [_("建章立制（项）"), rect["mechanisms"]["total"]],
        [_("挽回经济损失（元）"), Decimal(rect["money"]["total"])],
        [_("问责（人次）"), rect["accountability"]["total"]],
        [_("行业专项整治（项）"), rect["campaigns"]],
    ]
    sheet.block(_("整改总体情况"), [_("项目"), _("数量")], progress)
    overdue = _pairs(rect["overdue_units"], "n", "days")
    sheet.block(_("逾期整改任务（按单位）"), [_("单位"), _("逾期任务（项）"), _("最长逾期（天）")], overdue)
    acc = rect["accountability"]
    sheet.block(_("问责情况（按方式）"), [_("问责方式"), _("人（次）")], _pairs(acc["rows"], "n"))


def statistics_workbook(data: dict[str, Any]) -> bytes:
    """One sheet per section of the report, plus the suggestions; numbers stay numbers."""
    workbook = Workbook()
    _activity_sheet(workbook, data["activity"])
    _findings_sheet(workbook, data["findings"])
    _transfers_sheet(workbook, data["transfers"])
    _rectification_sheet(workbook, data["rectification"])
    sheet = _Sheet(workbook, _("工作建议"))
    sheet.block(_("下一步工作建议"), [_("建议")], [[line] for line in data["suggestions"]])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
