"""Context of the rectification plan (整改方案): the unit's three lists as the document's tables.

Plain data (see ``xuncha.documents.contexts``): every fed-back problem verbatim with its number
(问题清单), each task's measure, standard and deadline (任务清单) and its owners (责任清单), in the
ledger's order (by problem, then task number), read from the plan's rows when the file is generated.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils.translation import gettext as _

from xuncha.documents.contexts import SAMPLE_NAMES, cn_date, jurisdiction_names
from xuncha.rectification.documents.contexts import unit_org

NONE = "—"  # an empty cell reads as forgotten; a dash says there is nothing to name


def plan_line(plan: Any) -> str:
    """The version and state of the plan, and the main leader's signature when there is one."""
    text = _("本方案为第%(version)s版（%(state)s）") % {"version": plan.version, "state": plan.get_state_display()}
    if plan.signed_by_id and plan.signed_on:
        text += _("，经主要负责人%(name)s于%(day)s签批") % {"name": plan.signed_by.name, "day": cn_date(plan.signed_on)}
    else:
        text += _("，尚未经主要负责人签批")
    if plan.approved_on:
        text += _("，%(day)s经审核通过") % {"day": cn_date(plan.approved_on)}
    return text + "。"


def _task_row(task: Any) -> dict[str, Any]:
    return {
        "number": task.number,
        "problem": f"{task.problem.number}. {task.problem.title}",
        "measure": task.measure,
        "standard": task.standard,
        "horizon": str(task.get_horizon_display()),
        "due": cn_date(task.due_on),
        "leader": task.leader.name if task.leader_id else NONE,
        "lead_dept": task.lead_dept,
        "coop_depts": task.coop_depts or NONE,
        "owner": task.owner,
    }


def plan_context(plan: Any, *, today: date) -> dict[str, Any]:
    feedback = plan.feedback
    names = jurisdiction_names(feedback.target.round.jurisdiction)
    org = unit_org(feedback.target.unit)
    problems = [
        {"number": p.number, "title": p.title, "description": p.description}
        for p in feedback.target.problems.order_by("number")
    ]
    tasks = [_task_row(t) for t in plan.tasks.select_related("problem", "leader").order_by("problem__number", "number")]
    round_name = feedback.target.round.name
    return {
        **names,
        "title": _("%(org)s关于%(round)s反馈意见的整改方案") % {"org": org, "round": round_name},
        "addressee": names["leading_group"],
        "unit_org": org,
        "round_name": round_name,
        "team": f"{names['committee_short']}{feedback.team}",
        "feedback_on": cn_date(feedback.sent_on),
        "plan_line": plan_line(plan),
        "n": {"problems": len(problems), "tasks": len(tasks)},
        "problems": problems,
        "tasks": tasks,
        "signer": org,
        "date": cn_date(plan.signed_on or today),
    }


def plan_sample() -> dict[str, Any]:
    return {
        **SAMPLE_NAMES,
        "title": "中共示例县民政局党组关于县委第十四届第七轮巡察反馈意见的整改方案",
        "addressee": SAMPLE_NAMES["leading_group"],
        "unit_org": "中共示例县民政局党组",
        "round_name": "县委第十四届第七轮巡察",
        "team": "县委第一巡察组",
        "feedback_on": "2026年11月20日",
        "plan_line": "本方案为第1版（已报送），经主要负责人李某某于2026年12月10日签批。",
        "n": {"problems": 1, "tasks": 1},
        "problems": [
            {"number": 1, "title": "违规发放津贴补贴。", "description": "2025年以加班补助名义发放补贴4.2万元。"}
        ],
        "tasks": [
            {
                "number": 1,
                "problem": "1. 违规发放津贴补贴。",
                "measure": "清退违规发放的津贴补贴4.2万元",
                "standard": "全额清退到位",
                "horizon": "限期整改",
                "due": "2027年1月20日",
                "leader": "李某某",
                "lead_dept": "局办公室",
                "coop_depts": "局财务股",
                "owner": "张某某",
            }
        ],
        "signer": "中共示例县民政局党组",
        "date": "2026年12月10日",
    }
