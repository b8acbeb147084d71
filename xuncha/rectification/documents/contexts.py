"""Contexts of the rectification documents: the escalation letters and the two reports.

Plain data (see ``xuncha.documents.contexts``). The figures are read from the plan's rows at the
moment the document is generated (a submitted report keeps them, since its file is stored as sent).
The ``*_sample`` functions give the same shapes with made-up values (registered in ``__init__``).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Count, Sum
from django.utils.translation import gettext as _

from xuncha.documents.contexts import SAMPLE_NAMES, cn_date, jurisdiction_names
from xuncha.documents.kinds import DocumentKind
from xuncha.plans.models.teams import team_ordinal
from xuncha.rectification.models import Accountability, LifeMeeting, Mechanism, MoneyRecovery

_DONE = ("closed", "ongoing")


def _names(plan: Any) -> dict[str, str]:
    return jurisdiction_names(plan.feedback.target.round.jurisdiction)


def unit_org(unit: Any) -> str:
    """How a document names the unit's Party organisation (its own name when none is recorded)."""
    return unit.party_org_name or unit.name


def _copies(names: dict[str, str]) -> str:
    level = names["committee_short"][0]
    return _("%(level)s纪委监委，%(level)s委组织部") % {"level": level}


def overdue_days(task: Any, on: date) -> int:
    if task.state in _DONE:
        return 0
    return max(0, (on - task.due_on).days)


def _status(task: Any, on: date) -> str:
    late = overdue_days(task, on)
    label = str(task.get_state_display())
    return _("%(state)s，已逾期%(n)s天") % {"state": label, "n": late} if late else label


def letter_context(letter: Any) -> dict[str, Any]:
    plan = letter.plan
    names = _names(plan)
    tasks = list(letter.tasks.select_related("problem").order_by("number"))
    talk = ""
    if letter.talk_on:
        talk = _("%(day)s在%(place)s约谈，参加人员：%(who)s。") % {
            "day": cn_date(letter.talk_on),
            "place": letter.talk_place or _("（地点待定）"),
            "who": letter.talk_attendees or _("（待定）"),
        }
        if letter.talk_record:
            talk += _("约谈情况：%(record)s") % {"record": letter.talk_record}
    return {
        **names,
        "secrecy": "",
        "issuer": names["office"],
        "signer": names["office"],
        "doc_no": letter.doc_no,
        "title": _("巡察整改%(kind)s") % {"kind": letter.get_kind_display()},
        "addressee": unit_org(plan.feedback.target.unit),
        "body": [line.strip() for line in letter.body.splitlines() if line.strip()],
        "final_due": cn_date(letter.final_due),
        "talk": talk,
        "tasks": [
            {
                "number": t.number,
                "problem": t.problem.title,
                "measure": t.measure,
                "due": cn_date(t.due_on),
                "status": _status(t, letter.issued_on),
            }
            for t in tasks
        ],
        "task_count": len(tasks),
        "copies": _copies(names),
        "date": cn_date(letter.issued_on),
    }


# --- the two reports ---------------------------------------------------------------------------


def _tasks(plan: Any) -> list[Any]:
    return list(
        plan.tasks.select_related("problem", "leader")
        .annotate(evidence=Count("updates__files"))
        .order_by("problem__number", "number")
    )


def _task_row(index: int, task: Any, today: date) -> dict[str, Any]:
    return {
        "index": index,
        "measure": task.measure.rstrip("。"),
        "horizon": str(task.get_horizon_display()),
        "due": cn_date(task.due_on),
        "status": _status(task, today),
        "closed": cn_date(task.closed_on) if task.state in _DONE else "",
        "evidence": task.evidence,
    }


def _problem_rows(plan: Any, tasks: list[Any], today: date) -> tuple[list[dict[str, Any]], int]:
    by_problem: dict[int, list[Any]] = {}
    for task in tasks:
        by_problem.setdefault(task.problem_id, []).append(task)
    rows, done = [], 0
    for n, problem in enumerate(plan.feedback.target.problems.order_by("number"), start=1):
        mine = by_problem.get(problem.pk, [])
        finished = bool(mine) and all(t.state in _DONE for t in mine)
        done += finished
        status = _("已完成整改") if finished else (_("正在整改") if mine else _("尚未制定整改措施"))
        rows.append(
            {
                "label": f"（{team_ordinal(n)}）",
                "title": problem.title.rstrip("。"),
                "status": status,
                "tasks": [_task_row(i, t, today) for i, t in enumerate(mine, start=1)],
            }
        )
    return rows, done


def _next_step(task: Any, today: date) -> str:
    text = _("%(n)s. %(problem)s：%(measure)s。") % {
        "n": task.number,
        "problem": task.problem.title.rstrip("。"),
        "measure": task.measure.rstrip("。"),
    }
    if task.state == "closure_requested":
        return text + _("已申请销号，正在核验。")
    text += _("下一步将按照“%(standard)s”的标准，于%(due)s前完成整改") % {
        "standard": task.standard.rstrip("。"),
        "due": cn_date(task.due_on),
    }
    late = overdue_days(task, today)
    return text + (_("（已逾期%(n)s天，正加快推进）。") % {"n": late} if late else "。")


def _long_term(task: Any) -> str:
    every = task.get_report_interval_display() if task.report_interval else _("定期")
    return _("%(n)s. %(measure)s（%(every)s报告进展）。") % {
        "n": task.number,
        "measure": task.measure.rstrip("。"),
        "every": every,
    }


def _results(plan: Any) -> dict[str, Any]:
    mechanisms = [
        _("%(i)s. %(title)s（%(kind)s%(no)s，%(day)s印发）。")
        % {
            "i": i,
            "title": m.title,
            "kind": m.get_kind_display(),
            "no": f"，{m.doc_no}" if m.doc_no else "",
            "day": cn_date(m.issued_on),
        }
        for i, m in enumerate(Mechanism.objects.filter(plan=plan).order_by("issued_on", "pk"), start=1)
    ]
    recovered = MoneyRecovery.objects.filter(plan=plan).order_by("recovered_on", "pk")
    total = recovered.aggregate(total=Sum("amount"))["total"] or Decimal(0)
    recoveries = [
        _("%(i)s. %(what)s，%(amount)s元（%(day)s）。")
        % {"i": i, "what": r.description, "amount": money(r.amount), "day": cn_date(r.recovered_on)}
        for i, r in enumerate(recovered, start=1)
    ]
    accountabilities = [
        _("%(i)s. %(name)s%(post)s：%(form)s，%(body)s%(no)s，%(day)s。")
        % {
            "i": i,
            "name": a.subject_name,
            "post": f"（{a.position}）" if a.position else "",
            "form": a.get_form_display(),
            "body": a.deciding_body,
            "no": f"（{a.doc_no}）" if a.doc_no else "",
            "day": cn_date(a.decided_on),
        }
        for i, a in enumerate(Accountability.objects.filter(plan=plan).order_by("decided_on", "pk"), start=1)
    ]
    meeting = LifeMeeting.objects.filter(plan=plan).first()
    return {
        "mechanisms": mechanisms,
        "recoveries": recoveries,
        "money": money(total),
        "accountabilities": accountabilities,
        "life_meeting": _life_meeting(meeting),
    }


def money(amount: Decimal) -> str:
    return f"{amount:,.2f}"


def _life_meeting(meeting: Any) -> str:
    if meeting is None:
        return _("尚未召开巡察整改专题民主生活会。")
    text = _("%(day)s在%(place)s召开巡察整改专题民主生活会，由%(chair)s主持，参会人员：%(who)s") % {
        "day": cn_date(meeting.held_on),
        "place": meeting.place,
        "chair": meeting.chaired_by,
        "who": meeting.attendees,
    }
    if meeting.supervisors:
        text += _("；督导人员：%(who)s") % {"who": meeting.supervisors}
    return text + "。" + meeting.summary.strip()


def _figures(plan: Any, tasks: list[Any], done: int, total: int, today: date, results: dict) -> dict[str, Any]:
    states = [t.state for t in tasks]
    unfinished = [t for t in tasks if t.state not in _DONE and t.horizon != "long_term"]
    return {
        "problems": total,
        "problems_done": done,
        "rate": f"{done * 100 / total:.1f}%" if total else "—",
        "tasks": len(tasks),
        "closed": states.count("closed"),
        "ongoing": states.count("ongoing"),
        "open": states.count("in_progress") + states.count("closure_requested"),
        "overdue": sum(1 for t in tasks if overdue_days(t, today)),
        "mechanisms": len(results["mechanisms"]),
        "accountabilities": len(results["accountabilities"]),
        "unfinished": len(unfinished),
    }


def report_context(plan: Any, kind: str, *, today: date) -> dict[str, Any]:
    feedback = plan.feedback
    names, unit = _names(plan), feedback.target.unit
    tasks = _tasks(plan)
    problems, done = _problem_rows(plan, tasks, today)
    results = _results(plan)
    leader = plan.signed_by or feedback.main_leader
    leader_name = leader.name if leader else _("主要负责人")
    plan_line = _("于%(signed)s签批报送整改方案，%(approved)s经审核通过后逐项抓好落实") % {
        "signed": cn_date(plan.signed_on) or _("（未记录）"),
        "approved": cn_date(plan.approved_on) or _("（未记录）"),
    }
    round_name = feedback.target.round.name
    ctx = {
        **names,
        **results,
        "unit_org": unit_org(unit),
        "round_name": round_name,
        "team": f"{names['committee_short']}{feedback.team}",
        "feedback_on": cn_date(feedback.sent_on),
        "plan_line": plan_line,
        "as_of": cn_date(today),
        "n": _figures(plan, tasks, done, len(problems), today, results),
        "problems": problems,
        "open_items": [_next_step(t, today) for t in tasks if t.state not in _DONE and t.horizon != "long_term"],
        "long_term": [_long_term(t) for t in tasks if t.horizon == "long_term"],
        "addressee": names["leading_group"],
        "date": cn_date(today),
    }
    if kind == DocumentKind.LEADER_REPORT:
        mine = [t for t in tasks if leader is not None and t.leader_id == leader.pk]
        ctx["title"] = _("关于组织落实%(round)s反馈意见整改情况的报告") % {"round": round_name}
        ctx["signer"] = leader_name
        ctx["my_tasks"] = [
            _("%(n)s. %(measure)s（%(status)s）。")
            % {"n": t.number, "measure": t.measure.rstrip("。"), "status": _status(t, today)}
            for t in mine
        ]
    else:
        ctx["title"] = _("%(org)s关于%(round)s反馈意见整改情况的报告") % {"org": unit_org(unit), "round": round_name}
        ctx["signer"] = unit_org(unit)
    return ctx


# --- samples (checking an uploaded template) -------------------------------------------------------

_SAMPLE_TASK = {
    "index": 1,
    "measure": "清退违规发放的津贴补贴4.2万元",
    "horizon": "限期整改",
    "due": "2027年1月20日",
    "status": "已销号",
    "closed": "2027年1月10日",
    "evidence": 3,
}


def _sample_report(kind: str) -> dict[str, Any]:
    ctx = {
        **SAMPLE_NAMES,
        "title": "中共示例县民政局党组关于县委第十四届第七轮巡察反馈意见整改情况的报告",
        "addressee": SAMPLE_NAMES["leading_group"],
        "unit_org": "中共示例县民政局党组",
        "round_name": "县委第十四届第七轮巡察",
        "team": "县委第一巡察组",
        "feedback_on": "2026年11月20日",
        "plan_line": "于2026年12月10日签批报送整改方案，2026年12月20日经审核通过后逐项抓好落实",
        "as_of": "2027年1月20日",
        "n": {
            "problems": 3,
            "problems_done": 2,
            "rate": "66.7%",
            "tasks": 4,
            "closed": 2,
            "ongoing": 0,
            "open": 2,
            "overdue": 1,
            "mechanisms": 1,
            "accountabilities": 1,
            "unfinished": 1,
        },
        "problems": [
            {"label": "（一）", "title": "违规发放津贴补贴", "status": "已完成整改", "tasks": [dict(_SAMPLE_TASK)]}
        ],
        "mechanisms": ["1. 示例县民政局津贴补贴发放管理办法（新建，2026年12月30日印发）。"],
        "recoveries": ["1. 追回违规发放的津贴补贴，42,000.00元（2027年1月5日）。"],
        "money": "42,000.00",
        "accountabilities": ["1. 张某某（办公室主任）：诫勉，县纪委监委，2027年1月8日。"],
        "life_meeting": "2026年12月18日在局机关会议室召开巡察整改专题民主生活会，由李某某主持。",
        "open_items": ["2. 上轮巡察反馈问题整改不到位：消防隐患整改。下一步将于2027年2月1日前完成整改。"],
        "long_term": ["3. 每季度开展养老服务机构安全检查（每季度报告进展）。"],
        "signer": "中共示例县民政局党组",
        "date": "2027年1月20日",
    }
    if kind == DocumentKind.LEADER_REPORT:
        ctx["title"] = "关于组织落实县委第十四届第七轮巡察反馈意见整改情况的报告"
        ctx["signer"] = "李某某"
        ctx["my_tasks"] = ["1. 清退违规发放的津贴补贴4.2万元（已销号）。"]
    return ctx


def rectification_report_sample() -> dict[str, Any]:
    return _sample_report(DocumentKind.RECTIFICATION_REPORT)


def leader_report_sample() -> dict[str, Any]:
    return _sample_report(DocumentKind.LEADER_REPORT)


def escalation_letter_sample() -> dict[str, Any]:
    return {
        **SAMPLE_NAMES,
        "secrecy": "",
        "issuer": SAMPLE_NAMES["office"],
        "signer": SAMPLE_NAMES["office"],
        "doc_no": "示例巡办督〔2026〕3号",
        "title": "巡察整改预警书",
        "addressee": "中共示例县民政局党组",
        "body": ["你单位以下整改任务经督办、催办后仍未按期完成，现予以预警。"],
        "final_due": "2027年1月31日",
        "talk": "",
        "tasks": [
            {
                "number": 2,
                "problem": "违规发放津贴补贴",
                "measure": "清退违规发放的补贴4.2万元",
                "due": "2026年12月31日",
                "status": "整改中，已逾期5天",
            }
        ],
        "task_count": 1,
        "copies": "县纪委监委，县委组织部",
        "date": "2027年1月5日",
    }
