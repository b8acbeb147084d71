"""Charts for the dashboards: each one is the same rows twice, as ECharts data (json_script)
and as an HTML table (what a screen reader and the tests read), with the drill-down link of
each row when the user may open the list behind it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from xuncha.accounts.permissions import Perm, has_perm, has_perm_over_path
from xuncha.analytics.selectors.dashboard import GREEN, RED, YELLOW, Figures, Filters
from xuncha.rectification.selectors import LEVEL_LABELS
from xuncha.transfers.models import Disposal

LEVEL_COLORS = {RED: "#c0392b", YELLOW: "#e0a800", GREEN: "#2e8b57"}


@dataclass
class Row:
    label: str
    values: list[Any]
    url: str | None = None
    label_url: str | None = None  # the row's own page (a unit's dashboard), beside the drill-down


@dataclass
class Chart:
    key: str
    title: str
    columns: list[str]  # the first names the rows, the others the numeric series
    rows: list[Row]
    kind: str = "bar"  # bar | hbar | line | pie
    note: str = ""
    colors: list[str] = field(default_factory=list)
    line_series: list[int] = field(default_factory=list)  # series drawn as a line on a % axis

    @property
    def dom_id(self) -> str:
        return f"chart-{self.key}"

    @property
    def body(self) -> SafeString:
        """The table's rows as HTML, made here rather than by template loops: a wide scope's page
        has some 200 rows of 2–7 cells, and the loops cost more than its SQL (issue 17)."""
        return format_html_join("\n", "<tr>{}{}</tr>", ((_label_cell(r), _value_cells(r)) for r in self.rows))

    @property
    def data(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "categories": [r.label for r in self.rows],
            "series": [
                {"name": name, "data": [r.values[i] for r in self.rows], "line": i in self.line_series}
                for i, name in enumerate(self.columns[1:])
            ],
            "urls": [r.url for r in self.rows],
            "colors": self.colors,
        }


def _label_cell(row: Row) -> SafeString:
    if row.label_url:
        link = format_html('<a href="{}" title="{}">{}</a>', row.label_url, _("查看该单位的统计"), row.label)
        return format_html('<th scope="row" class="fw-normal">{}</th>', link)
    return format_html('<th scope="row" class="fw-normal">{}</th>', row.label)


def _value_cells(row: Row) -> SafeString:
    cells = []
    for i, value in enumerate(row.values):
        shown = "—" if value is None else value
        if i == 0 and row.url:
            cells.append(format_html('<td class="text-end"><a href="{}" data-drill>{}</a></td>', row.url, shown))
        else:
            cells.append(format_html('<td class="text-end">{}</td>', shown))
    return mark_safe("".join(cells))  # noqa: S308 - each cell escaped by format_html above


class Links:
    """Drill-down URLs, only where the user may open the list (never for an upper office)."""

    def __init__(self, user: Any, f: Filters) -> None:
        self.user, self.f = user, f
        self.problems = has_perm(user, Perm.FINDING_VIEW)
        self.tasks = has_perm(user, Perm.RECTIFY_VIEW)
        self.transfers = has_perm(user, Perm.TRANSFER_VIEW)

    def _base(self) -> dict[str, Any]:
        f = self.f
        return {
            k: v for k, v in (("round", f.round and f.round.pk), ("year", f.year), ("unit", f.unit and f.unit.pk)) if v
        }

    def _url(self, name: str, **params: Any) -> str:
        return f"{reverse(name)}?{urlencode({**self._base(), **params})}"

    def problem_list(self, **params: Any) -> str | None:
        return self._url("analytics:dashboard_problems", **params) if self.problems else None

    def task_list(self, **params: Any) -> str | None:
        return self._url("analytics:dashboard_tasks", **params) if self.tasks else None

    def transfer_list(self, **params: Any) -> str | None:
        if not self.transfers:
            return None
        base = {"round": self.f.round.pk} if self.f.round else {}
        return f"{reverse('transfers:transfer_list')}?{urlencode({**base, **params})}"

    def unit_dashboard(self, unit_id: int) -> str:
        return f"{reverse('analytics:dashboard')}?{urlencode({**self._base(), 'unit': unit_id})}"


# The longest lists a chart shows: a city has ≈ 150 rounds and a province ≈ 1,500; every round's
# figures are in the summary and the counties' chart, and a chart of hundreds of bars reads as none
# (and cost a province's page 0.5 MB of HTML).
ROUND_ROWS = 30
RECEIVER_ROWS = 20


def _cut_note(text: str, shown: list[Any], every: list[Any]) -> str:
    """The note under a chart that shows only some of its rows ("" when it shows them all)."""
    return text % {"total": len(every), "n": len(shown)} if len(shown) < len(every) else ""


def round_chart(figs: Figures, links: Links) -> Chart:
    latest = figs.by_round[-ROUND_ROWS:]  # in time order: the latest rounds
    rows = [
        Row(
            r["round__name"],
            [r["problems"], r["fed"], r["done"]],
            reverse("analytics:round_dashboard", args=[r["round_id"]]),
        )
        for r in latest
    ]
    note = _cut_note(_("共%(total)s轮，显示最近%(n)s轮；选择年度或轮次可查看其他轮次。"), latest, figs.by_round)
    cols = [_("轮次"), _("发现问题"), _("已反馈"), _("已完成整改")]
    return Chart("by_round", _("各轮次发现问题和整改情况"), cols, rows, note=note)


def jurisdiction_chart(figs: Figures) -> Chart:
    """An upper office's counties side by side. No links: the rows are per round's jurisdiction and
    no filter of the dashboard or the lists selects by it (the unit filter is by inspected unit)."""
    j = "round__jurisdiction"
    rows = [
        Row(r[f"{j}__name"], [r["rounds"], r["problems"], r["fed"], r["done"], r["rate"], r["overdue"]])
        for r in figs.by_jurisdiction
    ]
    cols = [
        _("县（市、区）"),
        _("巡察轮次"),
        _("发现问题"),
        _("已反馈"),
        _("已完成整改"),
        _("整改完成率(%)"),
        _("逾期整改任务"),
    ]
    note = _("按巡察轮次所属的县（市、区）统计；整改完成率 = 已完成整改 / 已反馈。")
    return Chart(
        "by_jurisdiction", _("各县（市、区）巡察整改情况"), cols, rows, kind="line", note=note, line_series=[4]
    )


def unit_chart(figs: Figures, links: Links, user: Any) -> Chart:
    rnd = links.f.round
    rows = []
    for r in figs.by_unit:
        if rnd is not None:
            ok = has_perm_over_path(user, Perm.FINDING_VIEW, rnd.jurisdiction.path)
            url = reverse("findings:problem_list", args=[r["target_id"]]) if ok else None
        else:
            url = links.problem_list(unit=r["target__unit_id"])
        label_url = links.unit_dashboard(r["target__unit_id"]) if rnd is None and not links.f.unit else None
        rows.append(Row(r["target__unit__name"], [r["problems"], r["fed"], r["done"]], url, label_url))
    note = _("按问题数排列，最多显示%(n)s个单位。") % {"n": 20}
    cols = [_("被巡察单位"), _("发现问题"), _("已反馈"), _("已完成整改")]
    return Chart("by_unit", _("各单位发现问题和整改情况"), cols, rows, kind="hbar", note=note)


def focus_chart(figs: Figures, links: Links) -> Chart:
    rows = [Row(r["item"], [r["n"]], links.problem_list(focus=r["item_id"])) for r in figs.by_focus]
    return Chart("by_focus", _("问题按监督重点分布"), [_("监督重点"), _("问题数")], rows, kind="hbar")


def tag_chart(figs: Figures, links: Links) -> Chart:
    rows = [Row(r["tags__name"], [r["n"]], links.problem_list(tag=r["tags__id"])) for r in figs.by_tag]
    return Chart("by_tag", _("问题按类别标签分布"), [_("标签"), _("问题数")], rows, kind="hbar")


def month_chart(figs: Figures, links: Links) -> Chart:
    rows = [
        Row(
            f"{r['month']:%Y-%m}",
            [r["fed"], r["done"], r["rate"]],
            links.problem_list(month=f"{r['month']:%Y-%m}", status="fed"),
        )
        for r in figs.by_month
    ]
    cols = [_("月份"), _("反馈问题"), _("完成整改"), _("累计整改完成率(%)")]
    note = _("完成整改：问题的全部整改措施已销号或阶段性完成，按最后一项完成的月份计。")
    return Chart("by_month", _("整改完成率变化（按月）"), cols, rows, kind="line", note=note, line_series=[2])


def level_chart(figs: Figures, links: Links) -> Chart:
    rows = [
        Row(str(LEVEL_LABELS[r["level"]]), [r["n"]], links.task_list(level=r["level"]) if r["n"] else None)
        for r in figs.overdue_by_level
    ]
    colors = [LEVEL_COLORS[r["level"]] for r in figs.overdue_by_level]
    return Chart("by_level", _("整改任务预警等级"), [_("预警等级"), _("任务数")], rows, kind="pie", colors=colors)


def overdue_unit_chart(figs: Figures, links: Links) -> Chart:
    rows = [
        Row(r["name"], [r[RED], r[YELLOW], r[GREEN]], links.task_list(unit=r["unit_id"])) for r in figs.overdue_by_unit
    ]
    cols = [_("单位"), str(LEVEL_LABELS[RED]), str(LEVEL_LABELS[YELLOW]), str(LEVEL_LABELS[GREEN])]
    colors = [LEVEL_COLORS[RED], LEVEL_COLORS[YELLOW], LEVEL_COLORS[GREEN]]
    return Chart("overdue_by_unit", _("逾期和临期整改任务（按单位）"), cols, rows, kind="hbar", colors=colors)


def receiver_chart(figs: Figures, links: Links) -> Chart:
    top = figs.transfers_by_receiver[:RECEIVER_ROWS]  # most transfers first
    rows = [
        Row(r["receiver__name"], [r["n"], r["persons"] or 0], links.transfer_list(receiver=r["receiver_id"]))
        for r in top
    ]
    note = _cut_note(_("共%(total)s个接收单位，按移交件数显示前%(n)s个。"), top, figs.transfers_by_receiver)
    cols = [_("接收单位"), _("移交件数"), _("涉及人数")]
    return Chart("by_receiver", _("移交事项（按接收单位）"), cols, rows, note=note)


def disposal_chart(figs: Figures, links: Links) -> Chart:
    labels = dict(Disposal.choices)
    rows = [
        Row(
            str(labels.get(r["disposal"], _("尚未处置"))),
            [r["n"], r["persons"] or 0],
            links.transfer_list(disposal=r["disposal"]) if r["disposal"] else None,
        )
        for r in figs.transfers_by_disposal
    ]
    return Chart("by_disposal", _("移交事项办理结果（按处置方式）"), [_("处置方式"), _("件数"), _("涉及人数")], rows)


def coverage_chart(figs: Figures, user: Any) -> Chart:
    rows = []
    for r in figs.coverage:
        plan = r["plan"]
        url = plan.get_absolute_url() if has_perm_over_path(user, Perm.ROUND_VIEW, plan.jurisdiction.path) else None
        rate = "—" if r["rate"] is None else f"{r['rate']}%"
        label = f"{plan.jurisdiction.name}·{plan.name}（{rate}）"
        rows.append(Row(label, [r["units"], r["planned"], r["covered"]], url))
    cols = [_("届内规划（覆盖率）"), _("辖区单位数"), _("规划应覆盖"), _("已巡察")]
    note = _("覆盖率 = 已巡察单位 / 规划应覆盖单位；辖区单位数不含县委和行政区域本身。")
    return Chart("coverage", _("届内巡察全覆盖进度"), cols, rows, kind="hbar", note=note)


def charts(figs: Figures, user: Any, f: Filters, office_level: bool) -> list[Chart]:
    links = Links(user, f)
    out = [jurisdiction_chart(figs)] if figs.by_jurisdiction else []
    out += [] if f.round else [round_chart(figs, links)]
    out += [
        unit_chart(figs, links, user),
        focus_chart(figs, links),
        tag_chart(figs, links),
        month_chart(figs, links),
        level_chart(figs, links),
        overdue_unit_chart(figs, links),
    ]
    if office_level:
        out += [receiver_chart(figs, links), disposal_chart(figs, links)]
        if not f.round and not f.unit:
            out.append(coverage_chart(figs, user))
    return out
