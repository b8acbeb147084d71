"""The situation report's figures (情况汇报), assembled from the round's counts.

``situation_figures`` gives one plain, JSON-ready dict: the page shows it, the Word report and the
statistics workbook are rendered from it, and a generation job keeps it between its steps (one
section per step, see situation_jobs.py). Nothing here counts anything itself: every number comes
from one method of ``RoundCounts`` (selectors/figures_rollups.py), which reads the round's rollups
once; the live selectors of the same names (selectors/figures*.py) are the reference it is tested
against.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xuncha.accounts.models import OrgUnit
from xuncha.analytics.selectors.figures_rollups import RoundCounts, round_counts
from xuncha.plans.models import Round
from xuncha.transfers.models import TransferKind

CENT = Decimal("0.01")
# (user, round, unit or None, the round's counts when already read) → the section's figures.
Section = Callable[..., dict[str, Any]]


def _counts(user: Any, rnd: Round, unit: OrgUnit | None, counts: RoundCounts | None) -> RoundCounts:
    return counts if counts is not None else round_counts(user, rnd, unit)


def activity(user: Any, rnd: Round, unit: OrgUnit | None, counts: RoundCounts | None = None) -> dict[str, Any]:
    c = _counts(user, rnd, unit, counts)
    return {
        **c.teams_and_targets(),
        "interviews": c.interviews(),
        "documents": c.documents_requested(),
        "visits": c.site_visits(),
        "checks": c.special_checks(),
        "questionnaires": c.questionnaires(),
        "reports": c.public_reports(),
        "papers": c.working_papers(),
        "fixes": c.immediate_fixes(),
    }


def findings(user: Any, rnd: Round, unit: OrgUnit | None, counts: RoundCounts | None = None) -> dict[str, Any]:
    c = _counts(user, rnd, unit, counts)
    return {
        "problems": c.problems_by_severity(),
        "by_item": c.problems_by_focus_item(),
        "by_tag": c.problems_by_tag(),
        "recurring": c.recurring_tags(),
        "serious": c.serious_problem_titles(),
    }


def transfers(user: Any, rnd: Round, unit: OrgUnit | None, counts: RoundCounts | None = None) -> dict[str, Any]:
    c = _counts(user, rnd, unit, counts)
    by_kind = c.transfers_by_kind()
    clues = by_kind[[k for k, _label in TransferKind.choices].index(TransferKind.CLUE)]
    return {
        "total": sum(row["n"] for row in by_kind),
        "persons": sum(row["persons"] for row in by_kind),
        "clues": clues["n"],
        "clue_persons": clues["persons"],
        "by_kind": by_kind,
        "by_receiver": c.transfers_by_receiver(),
        "by_state": c.transfers_by_state(),
        "by_disposal": c.transfers_by_disposal(),
        "overdue": c.transfers_overdue(),
    }


def rectification(user: Any, rnd: Round, unit: OrgUnit | None, counts: RoundCounts | None = None) -> dict[str, Any]:
    c = _counts(user, rnd, unit, counts)
    rate = c.rectification_rate()
    money = c.money_recovered()
    return {
        "plans": c.plans_progress(),
        "pending_plans": c.plans_pending(),
        "tasks": c.tasks_progress(),
        "rate": {**rate, "rate": None if rate["rate"] is None else str(rate["rate"])},
        "overdue_units": c.overdue_by_unit(),
        "mechanisms": c.mechanisms_made(),
        "money": {"total": str(money["total"].quantize(CENT)), "text": money_text(money["total"]), "n": money["n"]},
        "accountability": c.accountability_by_form(),
        "campaigns": c.campaigns_started(),
    }


# The order of the report; a generation job computes one section per step.
SECTIONS: dict[str, Section] = {
    "activity": activity,
    "findings": findings,
    "transfers": transfers,
    "rectification": rectification,
}
SECTION_LABELS = {
    "activity": gettext_lazy("统计巡察工作开展情况"),
    "findings": gettext_lazy("统计发现的问题"),
    "transfers": gettext_lazy("统计问题线索移交情况"),
    "rectification": gettext_lazy("统计整改推进情况"),
}


def units(user: Any, rnd: Round, unit: OrgUnit | None, counts: RoundCounts | None = None) -> dict[str, Any]:
    """Per inspected unit, for the comprehensive report: team, problems, feedback; the titles
    only for readers who may see problems."""
    c = _counts(user, rnd, unit, counts)
    titles = c.problem_titles_by_unit()
    return {"rows": [{**row, "groups": titles.get(str(row["target"]), [])} for row in c.problems_by_unit()]}


# The comprehensive report to the secretary's meeting (综合报告): the same sections, plus the units.
COMPREHENSIVE_SECTIONS: dict[str, Section] = {**SECTIONS, "units": units}
COMPREHENSIVE_LABELS = {**SECTION_LABELS, "units": gettext_lazy("汇总各被巡察单位发现的问题")}


def heading(rnd: Round, unit: OrgUnit | None, *, today: date | None = None) -> dict[str, Any]:
    return {
        "id": rnd.pk,
        "name": rnd.name,
        "year": rnd.year,
        "number": rnd.number,
        "jurisdiction": rnd.jurisdiction.name,
        "entry": rnd.entry_date.isoformat(),
        "exit": rnd.exit_date.isoformat(),
        "unit": unit.name if unit else "",
        "as_of": (today or timezone.localdate()).isoformat(),
    }


def situation_figures(*, user: Any, rnd: Round, unit: OrgUnit | None = None) -> dict[str, Any]:
    """Every figure of the round (or of one unit in it) that ``user`` may count."""
    return _figures(user, rnd, unit, SECTIONS)


def comprehensive_figures(*, user: Any, rnd: Round, unit: OrgUnit | None = None) -> dict[str, Any]:
    """The situation report's figures and, per inspected unit, its problems and feedback."""
    return _figures(user, rnd, unit, COMPREHENSIVE_SECTIONS)


def _figures(user: Any, rnd: Round, unit: OrgUnit | None, sections: dict[str, Section]) -> dict[str, Any]:
    counts = round_counts(user, rnd, unit)  # read once for every section
    data: dict[str, Any] = {"round": heading(rnd, unit)}
    for name, section in sections.items():
        data[name] = section(user, rnd, unit, counts)
    data["suggestions"] = suggestions(data)
    return data


# --- 五、下一步工作建议, from the data ------------------------------------------------------------


def _units(rows: list[Any], limit: int = 5) -> str:
    """ "县民政局" for one unit, "县民政局、县水利局2个单位", "A、B、C、D、E等7个单位"."""
    names = [row["label"] if isinstance(row, dict) else str(row) for row in rows]
    if len(names) == 1:
        return names[0]
    more = _("等") if len(names) > limit else ""
    return _("%(names)s%(more)s%(n)s个单位") % {"names": "、".join(names[:limit]), "more": more, "n": len(names)}


def _recurring(rows: list[dict[str, Any]]) -> str:
    if len(rows) == 1:
        return _("“%(tag)s”问题在%(n)s个单位重复出现") % {"tag": rows[0]["label"], "n": rows[0]["units"]}
    tags = "”“".join(row["label"] for row in rows[:3])
    return _("“%(tags)s”等%(n)s类问题在多个单位重复出现") % {"tags": tags, "n": len(rows)}


def suggestions(data: dict[str, Any]) -> list[str]:
    """What the office proposes next, each point read from the figures; a steady default when the
    figures give no cause for a specific point."""
    rect, found, moved = data["rectification"], data["findings"], data["transfers"]
    lines: list[str] = []
    overdue = rect["overdue_units"]
    if overdue:
        lines.append(
            _(
                "对%(units)s逾期未完成的%(tasks)s项整改任务，建议按照“五书制”逐级督办，"
                "必要时约谈主要负责人，确保按期整改到位。"
            )
            % {"units": _units(overdue), "tasks": sum(row["n"] for row in overdue)}
        )
    if rect["pending_plans"]:
        lines.append(
            _("%(units)s的整改方案尚未审核通过，建议督促抓紧修改完善并报送联审。")
            % {"units": _units(rect["pending_plans"])}
        )
    if found["recurring"]:
        lines.append(
            _("%(what)s，建议交由行业主管部门开展专项整治，举一反三、标本兼治。")
            % {"what": _recurring(found["recurring"])}
        )
    if moved["overdue"]:
        lines.append(_("%(n)s件移交事项超过期限尚未反馈办理结果，建议督促接收单位及时反馈。") % {"n": moved["overdue"]})
    if not lines:
        lines.append(_("继续压实被巡察党组织整改主体责任，加强日常监督和跟踪问效，推动巡察整改常态化长效化。"))
    return lines


def money_text(value: str | Decimal) -> str:
    """Yuan with thousands separators, as reports write them: 12,345.60."""
    return f"{Decimal(value):,.2f}"
