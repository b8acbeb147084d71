"""Context of the situation report (情况汇报) to the committee: plain data from the round's figures.

The figures come as the JSON-ready dict of ``xuncha.analytics.situation.situation_figures`` (every
number from one selector); this module only words them the way a report does: dates in Chinese,
money with separators, lists joined with "、", a rate or "暂无" when nothing was fed back yet.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils.translation import gettext as _

from xuncha.analytics.situation import money_text
from xuncha.documents.contexts import SAMPLE_NAMES, cn_date, jurisdiction_names
from xuncha.plans.models.teams import team_ordinal

SECRECY = "秘密"


def _counted(rows: list[dict[str, Any]], unit: str) -> str:
    """ "雁过拔毛2个、优亲厚友1个" from rows, leaving out the zeros."""
    return "、".join(f"{row['label']}{row['n']}{unit}" for row in rows if row["n"])


def _tag_lines(tags: list[dict[str, Any]]) -> list[str]:
    groups: dict[str, list[dict[str, Any]]] = {}
    for row in tags:
        groups.setdefault(row["group"], []).append(row)
    return [f"{group}：{_counted(rows, '个')}。" for group, rows in groups.items()]


def _activity(a: dict[str, Any]) -> dict[str, Any]:
    reports = a["reports"]
    return {
        "teams": a["teams"],
        "targets": a["targets"],
        "villages": a["villages"],
        "interviews": a["interviews"]["held"],
        "documents": a["documents"]["requests"],
        "visits": a["visits"],
        "checks": a["checks"],
        "questionnaires": a["questionnaires"],
        "reports": reports["received"],
        "reports_in_scope": reports["in_scope"],
        "reports_forwarded": reports["forwarded"],
        "papers": a["papers"]["signed"],
        "fixes": a["fixes"]["issued"],
        "fixes_done": a["fixes"]["done"],
    }


def _transfers(t: dict[str, Any]) -> dict[str, Any]:
    return {
        "total": t["total"],
        "persons": t["persons"],
        "clues": t["clues"],
        "clue_persons": t["clue_persons"],
        "states": _counted(t["by_state"], "件") or _("暂无"),
        "disposals": _counted(t["by_disposal"], "件"),
        "overdue": t["overdue"],
    }


def _rectification(r: dict[str, Any]) -> dict[str, Any]:
    tasks, acc = r["tasks"], r["accountability"]
    rate = r["rate"]["rate"]
    return {
        "fed_back": r["plans"]["fed_back"],
        "plans": r["plans"]["plans"],
        "approved": r["plans"]["approved"],
        "tasks": tasks["total"],
        "closed": tasks["closed"],
        "ongoing": tasks["ongoing"],
        "requested": tasks["requested"],
        "in_progress": tasks["in_progress"],
        "overdue": tasks["overdue"],
        "overdue_unit_count": len(r["overdue_units"]),
        "problems": r["rate"]["problems"],
        "done": r["rate"]["done"],
        "rate": f"{rate}%" if rate is not None else _("暂无（尚未反馈）"),
        "mechanisms": r["mechanisms"]["total"],
        "new": r["mechanisms"]["new"],
        "revised": r["mechanisms"]["revised"],
        "money": money_text(r["money"]["total"]),
        "accountability": acc["total"],
        "accountability_forms": _counted(acc["rows"], "人（次）"),
        "campaigns": r["campaigns"],
    }


def _focus_rows(found: dict[str, Any]) -> list[dict[str, Any]]:
    """The focus table (二、): each problem counted once under its top-level item
    (``xuncha.findings.grouping``), sub-items as "其中" rows that do not add up, and the total,
    which is the number of problems found."""
    if not found["by_item"]:
        return []
    rows = [
        {"label": _("其中：%(item)s") % {"item": row["label"]} if row.get("sub") else row["label"], "n": row["n"]}
        for row in found["by_item"]
    ]
    return [*rows, {"label": _("合计"), "n": found["problems"]["total"]}]


def situation_context(data: dict[str, Any], jurisdiction: Any, *, today: date) -> dict[str, Any]:
    names = jurisdiction_names(jurisdiction)
    heading, found, moved, rect = data["round"], data["findings"], data["transfers"], data["rectification"]
    unit = heading["unit"]
    scope = _("（%(unit)s）") % {"unit": unit} if unit else ""
    return {
        **names,
        "secrecy": SECRECY,
        # The round as the body names it (its name, e.g. 县委第十四届第七轮巡察), never its number
        # within the year: "第一轮" over a body about the term's seventh round (issue 16).
        "title": _("关于%(round)s%(scope)s情况的汇报") % {"round": heading["name"], "scope": scope},
        "addressee": names["committee_short"],
        "round_name": heading["name"],
        "scope": scope,
        "period": f"{cn_date(date.fromisoformat(heading['entry']))}至{cn_date(date.fromisoformat(heading['exit']))}",
        "as_of": cn_date(date.fromisoformat(heading["as_of"])),
        "a": _activity(data["activity"]),
        "p": {
            "total": found["problems"]["total"],
            "severity": _counted(found["problems"]["rows"], "个"),
        },
        "by_item": _focus_rows(found),
        "tag_lines": _tag_lines(found["by_tag"]),
        "serious": [{"index": i, "title": title.rstrip("。")} for i, title in enumerate(found["serious"], start=1)],
        "t": _transfers(moved),
        "by_receiver": [dict(row) for row in moved["by_receiver"]],
        "r": _rectification(rect),
        "overdue_units": [dict(row) for row in rect["overdue_units"]],
        "suggestions": [
            {"label": f"（{team_ordinal(i)}）", "text": text} for i, text in enumerate(data["suggestions"], start=1)
        ],
        "signer": names["office"],
        "date": cn_date(today),
    }


def _numbered(groups: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A unit's problems by top-level item, each once, numbered 1, 2, 3… through the unit's list
    (not restarting per item), so the last number is the unit's "发现问题N个"."""
    out, index = [], 0
    for group in groups:
        titles = []
        for title in group["titles"]:
            index += 1
            titles.append({"index": index, "title": title.rstrip("。")})
        out.append({"item": group["item"], "titles": titles})
    return out


def _units(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The units' subsections (二、) and the feedback table (四、)."""
    return [
        {
            "label": f"（{team_ordinal(i)}）",
            "name": row["label"],
            "team": row["team"],
            "problems": row["n"],
            "feedback": _("已反馈") if row["fed_back"] else _("尚未反馈"),
            "groups": _numbered(row["groups"]),
        }
        for i, row in enumerate(rows, start=1)
    ]


def comprehensive_context(data: dict[str, Any], jurisdiction: Any, *, today: date) -> dict[str, Any]:
    """The comprehensive report (综合报告) to the secretary's meeting: the situation report's
    context (the same figures, worded the same way) with the units and their feedback."""
    names = jurisdiction_names(jurisdiction)
    base = situation_context(data, jurisdiction, today=today)
    rows = data["units"]["rows"]
    pending = [row["label"] for row in rows if not row["fed_back"]]
    keep = ("secrecy", "addressee", "round_name", "scope", "period", "as_of", "a", "p", "t", "by_receiver")
    return {
        **names,
        **{key: base[key] for key in keep},
        "title": _("关于%(round)s%(scope)s情况的综合报告") % {"round": data["round"]["name"], "scope": base["scope"]},
        "units": _units(rows),
        "feedback": {"targets": len(rows), "sent": len(rows) - len(pending), "pending": "、".join(pending)},
        "suggestions": base["suggestions"],
        "signer": names["office"],
        "date": cn_date(today),
    }


def situation_sample() -> dict[str, Any]:
    return {
        **SAMPLE_NAMES,
        "secrecy": SECRECY,
        "title": "关于县委2026年第八轮巡察情况的汇报",
        "addressee": "县委",
        "round_name": "县委2026年第八轮巡察",
        "scope": "",
        "period": "2026年9月1日至2026年10月31日",
        "as_of": "2027年1月15日",
        "a": {
            "teams": 3,
            "targets": 9,
            "villages": 4,
            "interviews": 186,
            "documents": 42,
            "visits": 17,
            "checks": 3,
            "questionnaires": 5,
            "reports": 37,
            "reports_in_scope": 21,
            "reports_forwarded": 11,
            "papers": 58,
            "fixes": 6,
            "fixes_done": 5,
        },
        "p": {"total": 58, "severity": "严重4个、较重19个、一般35个"},
        "by_item": [
            {"label": "落实党的理论路线方针政策和党中央重大决策部署情况", "n": 12},
            {"label": "其中：落实意识形态工作责任制", "n": 3},
            {"label": "落实全面从严治党主体责任和监督责任情况", "n": 31},
            {"label": "落实新时代党的组织路线情况", "n": 9},
            {"label": "落实巡视巡察、审计等监督发现问题整改情况", "n": 6},
            {"label": "合计", "n": 58},
        ],
        "tag_lines": ["群众身边腐败和不正之风：优亲厚友3个、虚报冒领2个。"],
        "serious": [{"index": 1, "title": "违规发放津贴补贴"}],
        "t": {
            "total": 9,
            "persons": 14,
            "clues": 7,
            "clue_persons": 11,
            "states": "已签收3件、办理中4件、已反馈办理结果2件",
            "disposals": "谈话函询3件、初步核实2件",
            "overdue": 1,
        },
        "by_receiver": [{"label": "县纪委监委", "n": 7, "persons": 11}],
        "r": {
            "fed_back": 9,
            "plans": 9,
            "approved": 8,
            "tasks": 164,
            "closed": 120,
            "ongoing": 12,
            "requested": 8,
            "in_progress": 24,
            "overdue": 6,
            "overdue_unit_count": 2,
            "problems": 58,
            "done": 41,
            "rate": "70.7%",
            "mechanisms": 23,
            "new": 15,
            "revised": 8,
            "money": "1,234,567.80",
            "accountability": 7,
            "accountability_forms": "约谈4人（次）、诫勉3人（次）",
            "campaigns": 1,
        },
        "overdue_units": [{"label": "县民政局", "n": 4, "days": 21}],
        "suggestions": [
            {"label": "（一）", "text": "对县民政局等2个单位逾期未完成的6项整改任务，建议按照“五书制”逐级督办。"}
        ],
        "signer": SAMPLE_NAMES["office"],
        "date": "2027年1月15日",
    }


def comprehensive_sample() -> dict[str, Any]:
    situation = situation_sample()
    keep = ("secrecy", "addressee", "round_name", "scope", "period", "as_of", "a", "p", "t", "by_receiver")
    return {
        **SAMPLE_NAMES,
        **{key: situation[key] for key in keep},
        "title": "关于县委2026年第八轮巡察情况的综合报告",
        "units": [
            {
                "label": "（一）",
                "name": "县民政局",
                "team": "第一巡察组",
                "problems": 7,
                "feedback": "已反馈",
                "groups": [
                    {
                        "item": "落实党的理论路线方针政策和党中央重大决策部署情况",
                        "titles": [{"index": 1, "title": "违规发放津贴补贴"}],
                    }
                ],
            }
        ],
        "feedback": {"targets": 9, "sent": 8, "pending": "县水利局"},
        "suggestions": situation["suggestions"],
        "signer": SAMPLE_NAMES["office"],
        "date": "2027年1月15日",
    }
