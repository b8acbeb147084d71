"""The situation report's figures (情况汇报), assembled from the figure selectors.

``situation_figures`` gives one plain, JSON-ready dict: the page shows it, the Word report and the
statistics workbook are rendered from it, and a generation job keeps it between its steps (one
section per step, see situation_jobs.py). Nothing here counts anything itself: every number comes
from one selector in ``selectors/figures*.py``.
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
from xuncha.analytics.selectors import figures as f
from xuncha.analytics.selectors import figures_rectification as r
from xuncha.analytics.selectors import figures_units as u
from xuncha.plans.models import Round
from xuncha.transfers.models import TransferKind

CENT = Decimal("0.01")
Section = Callable[[Any, Round, OrgUnit | None], dict[str, Any]]


def activity(user: Any, rnd: Round, unit: OrgUnit | None) -> dict[str, Any]:
    return {
        **f.teams_and_targets(user, rnd, unit),
        "interviews": f.interviews(user, rnd, unit),
        "documents": f.documents_requested(user, rnd, unit),
        "visits": f.site_visits(user, rnd, unit),
        "checks": f.special_checks(user, rnd, unit),
        "questionnaires": f.questionnaires(user, rnd, unit),
        "reports": f.public_reports(user, rnd, unit),
        "papers": f.working_papers(user, rnd, unit),
        "fixes": f.immediate_fixes(user, rnd, unit),
    }


def findings(user: Any, rnd: Round, unit: OrgUnit | None) -> dict[str, Any]:
    return {
        "problems": f.problems_by_severity(user, rnd, unit),
        "by_item": f.problems_by_focus_item(user, rnd, unit),
        "by_tag": f.problems_by_tag(user, rnd, unit),
        "recurring": f.recurring_tags(user, rnd, unit),
        "serious": f.serious_problem_titles(user, rnd, unit),
    }


def transfers(user: Any, rnd: Round, unit: OrgUnit | None) -> dict[str, Any]:
    by_kind = f.transfers_by_kind(user, rnd, unit)
    clues = by_kind[[k for k, _label in TransferKind.choices].index(TransferKind.CLUE)]
    return {
        "total": sum(row["n"] for row in by_kind),
        "persons": sum(row["persons"] for row in by_kind),
        "clues": clues["n"],
        "clue_persons": clues["persons"],
        "by_kind": by_kind,
        "by_receiver": f.transfers_by_receiver(user, rnd, unit),
        "by_state": f.transfers_by_state(user, rnd, unit),
        "by_disposal": f.transfers_by_disposal(user, rnd, unit),
        "overdue": f.transfers_overdue(user, rnd, unit),
    }


def rectification(user: Any, rnd: Round, unit: OrgUnit | None) -> dict[str, Any]:
    rate = r.rectification_rate(user, rnd, unit)
    money = r.money_recovered(user, rnd, unit)
    return {
        "plans": r.plans_progress(user, rnd, unit),
        "pending_plans": r.plans_pending(user, rnd, unit),
        "tasks": r.tasks_progress(user, rnd, unit),
        "rate": {**rate, "rate": None if rate["rate"] is None else str(rate["rate"])},
        "overdue_units": r.overdue_by_unit(user, rnd, unit),
        "mechanisms": r.mechanisms_made(user, rnd, unit),
        "money": {"total": str(money["total"].quantize(CENT)), "text": money_text(money["total"]), "n": money["n"]},
        "accountability": r.accountability_by_form(user, rnd, unit),
        "campaigns": r.campaigns_started(user, rnd, unit),
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


def units(user: Any, rnd: Round, unit: OrgUnit | None) -> dict[str, Any]:
    """Per inspected unit, for the comprehensive report: team, problems, feedback; the titles
    only for readers who may see problems."""
    titles = u.problem_titles_by_unit(user, rnd, unit)
    return {
        "rows": [{**row, "groups": titles.get(str(row["target"]), [])} for row in u.problems_by_unit(user, rnd, unit)]
    }


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
    data: dict[str, Any] = {"round": heading(rnd, unit)}
    for name, section in SECTIONS.items():
        data[name] = section(user, rnd, unit)
    data["suggestions"] = suggestions(data)
    return data


def comprehensive_figures(*, user: Any, rnd: Round, unit: OrgUnit | None = None) -> dict[str, Any]:
    """The situation report's figures and, per inspected unit, its problems and feedback."""
    data = situation_figures(user=user, rnd=rnd, unit=unit)
    data["units"] = units(user, rnd, unit)
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
