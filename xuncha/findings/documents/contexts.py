"""Contexts of the findings documents: the team's reports and the feedback opinion.

Plain data only (see ``xuncha.documents.contexts``). Problems are grouped by the top-level focus
item they were classified under (the first one when several), in the list's order; numbering runs
through the document, as the committee reads it. Deadlines in the feedback opinion come from the
jurisdiction's rules and the feedback date.
"""

from __future__ import annotations

from collections import OrderedDict
from datetime import date
from typing import Any

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from xuncha.common.classification import Discipline
from xuncha.common.deadlines import deadline_from
from xuncha.common.models import DeadlineKey
from xuncha.documents.contexts import SAMPLE_NAMES, cn_date, jurisdiction_names
from xuncha.fieldwork.models import FieldRecord, FixNotice, RecordKind, WorkingPaper
from xuncha.findings.documents.content import split_paragraphs
from xuncha.findings.grouping import focus_group
from xuncha.findings.models.sections import FEEDBACK, SectionText, sections_of
from xuncha.intake.models import Report
from xuncha.plans.documents.contexts import SAMPLE_TARGET, SAMPLE_TEAM, target_block, team_block
from xuncha.plans.models import RoundTarget, Team
from xuncha.plans.models.teams import team_ordinal

SECRET = "秘密"
CONFIDENTIAL = "机密"


def problem_groups(problems: list[Any]) -> list[dict[str, Any]]:
    """[{label: "（一）", heading, problems: [{index, title, description}]}] in focus-list order."""
    groups: OrderedDict[tuple, dict[str, Any]] = OrderedDict()
    keyed = []
    for problem in problems:
        top, _sub = focus_group(problem.focus_items.all())  # each problem once (findings/grouping.py)
        keyed.append(((top.position, top.pk) if top else (999, 0), top, problem))
    for key, top, problem in sorted(keyed, key=lambda k: (k[0], k[2].number)):
        group = groups.setdefault(key, {"heading": top.text if top else _("其他问题"), "problems": []})
        group["problems"].append(problem)
    out, index = [], 0
    for n, group in enumerate(groups.values(), start=1):
        rows = []
        for problem in group["problems"]:
            index += 1
            rows.append({"index": index, "title": problem.title.rstrip("。"), "description": problem.description})
        out.append({"label": f"（{team_ordinal(n)}）", "heading": group["heading"], "problems": rows})
    return out


def _problems(qs: Any) -> list[Any]:
    return list(qs.prefetch_related("focus_items__parent").order_by("number"))


def target_stats(target: RoundTarget) -> dict[str, int]:
    """What the team did at the unit: one query per source, counted in the database."""
    records = FieldRecord.objects.filter(target=target, planned=False).aggregate(
        interviews=Count("pk", filter=Q(kind=RecordKind.INTERVIEW)),
        documents=Count("pk", filter=Q(kind=RecordKind.DOCUMENTS)),
        visits=Count("pk", filter=~Q(kind__in=[RecordKind.INTERVIEW, RecordKind.DOCUMENTS])),
    )
    return {
        **records,
        "reports": Report.objects.filter(target=target).count(),
        "papers": WorkingPaper.objects.filter(target=target).count(),
        "fixes": FixNotice.objects.filter(paper__target=target).count(),
    }


def written_texts(owner: Any, kind: str) -> dict[str, str]:
    """The current text of each written part of a report or feedback (empty when never written)."""
    field = "feedback" if kind == FEEDBACK else "report"
    latest: dict[str, str] = {}
    for key, text in (
        SectionText.objects.filter(**{field: owner}).order_by("key", "-revision").values_list("key", "text")
    ):
        latest.setdefault(key, text)
    return {s.key: latest.get(s.key, "") for s in sections_of(kind)}


def written_block(kind: str, texts: dict[str, str]) -> dict[str, list[str]]:
    """``sections`` in the context: each written part as its paragraphs (``{%p for t in sections.overview %}``)."""
    return {s.key: split_paragraphs(texts.get(s.key, "")) for s in sections_of(kind)}


def _base(team: Team, title: str, secrecy: str) -> dict[str, Any]:
    rnd = team.round
    names = jurisdiction_names(rnd.jurisdiction)
    block = team_block(team, names)
    return {
        **names,
        "team": block,
        "team_name": block["full_name"],
        "issuer": block["signer"],
        "signer": block["signer"],
        "secrecy": secrecy,
        "doc_no": "",
        "title": title,
        "addressee": names["leading_group"],
        "round_name": rnd.name,
    }


def _texts(owner: Any, kind: str, given: dict[str, str] | None) -> dict[str, list[str]]:
    return written_block(kind, given if given is not None else written_texts(owner, kind))


def inspection_report_context(report: Any, *, today: date, sections: dict[str, str] | None = None) -> dict[str, Any]:
    target = report.target
    problems = _problems(target.problems.all())
    clue_count = sum(1 for p in problems if p.people and p.severity != "general")
    focus_list = target.round.focus_list
    return {
        **_base(report.team, report.title, SECRET),
        **target_block(target),
        "stats": target_stats(target),
        "focus_list": f"“{focus_list.name}”" if focus_list else _("巡察监督重点"),
        "problem_count": len(problems),
        "groups": problem_groups(problems),
        "clue_count": clue_count,
        "sections": _texts(report, report.kind, sections),
        "date": cn_date(today),
    }


def thematic_report_context(report: Any, *, today: date, sections: dict[str, str] | None = None) -> dict[str, Any]:
    qs = report.team.problems.filter(round=report.round)
    if report.target_id:
        qs = qs.filter(target=report.target_id)
    return {
        **_base(report.team, report.title, SECRET),
        "theme": report.theme or report.title,
        "groups": problem_groups(_problems(qs)),
        "sections": _texts(report, report.kind, sections),
        "date": cn_date(today),
    }


def clue_report_context(report: Any, *, today: date, sections: dict[str, str] | None = None) -> dict[str, Any]:
    target = report.target
    # Clues: problems with people named and more than a general severity (the team's judgement).
    problems = [p for p in _problems(target.problems.prefetch_related("papers__team")) if p.people]
    clues = [
        {
            "label": f"（{team_ordinal(n)}）",
            "title": p.title.rstrip("。"),
            "people": p.people,
            "description": p.description,
            "disciplines": "、".join(str(Discipline(d).label) for d in p.disciplines) or "—",
            "papers": "、".join(paper.code for paper in p.papers.all()),
        }
        for n, p in enumerate(problems, start=1)
    ]
    return {
        **_base(report.team, report.title, CONFIDENTIAL),
        **target_block(target),
        "clues": clues,
        "sections": _texts(report, report.kind, sections),
        "date": cn_date(today),
    }


def feedback_context(feedback: Any, *, today: date, sections: dict[str, str] | None = None) -> dict[str, Any]:
    target = feedback.target
    sent = feedback.sent_on or today
    jurisdiction = target.round.jurisdiction
    problems = _problems(target.problems.all())
    base = _base(feedback.team, "", SECRET)
    copies = [str(c) for c in feedback.copies.select_related("unit", "person")]
    return {
        **base,
        **target_block(target),
        "title": _("%(team)s关于巡察%(unit)s党组织的反馈意见") % {"team": base["team_name"], "unit": target.unit.name},
        "addressee": target.unit.party_org_name or target.unit.name,
        "doc_no": feedback.doc_no,
        "problem_count": len(problems),
        "groups": problem_groups(problems),
        "plan_due": cn_date(deadline_from(DeadlineKey.RECTIFICATION_PLAN, sent, jurisdiction)),
        "life_meeting_due": cn_date(deadline_from(DeadlineKey.DEMOCRATIC_LIFE_MEETING, sent, jurisdiction)),
        "report_due": cn_date(deadline_from(DeadlineKey.RECTIFICATION_REPORT, sent, jurisdiction)),
        "copies": "，".join(copies) or base["office"],  # GB/T 9704 7.4.2: 抄送机关间用逗号隔开
        "sections": _texts(feedback, FEEDBACK, sections),
        "date": cn_date(sent),
    }


# --- samples ------------------------------------------------------------------------------------

_SAMPLE_GROUPS = [
    {
        "label": "（一）",
        "heading": "落实全面从严治党主体责任和监督责任情况",
        "problems": [
            {"index": 1, "title": "违规发放津贴补贴", "description": "2025年以加班补助名义发放补贴12.6万元。"}
        ],
    }
]


def _sample_common() -> dict[str, Any]:
    return {
        **SAMPLE_NAMES,
        "team": dict(SAMPLE_TEAM),
        "team_name": SAMPLE_TEAM["full_name"],
        "issuer": SAMPLE_TEAM["signer"],
        "signer": SAMPLE_TEAM["signer"],
        "secrecy": SECRET,
        "doc_no": "",
        "addressee": SAMPLE_NAMES["leading_group"],
        "round_name": "县委第十四届第八轮巡察",
        "date": "2026年12月20日",
        "groups": list(_SAMPLE_GROUPS),
    }


_SAMPLE_SECTIONS = {
    "overview": ["示例县财政局党组能够贯彻落实县委决策部署，班子总体团结。"],
    "suggestions": ["建议局党组切实履行全面从严治党主体责任，健全财务管理制度。"],
    "other": ["巡察期间收到的其他信访事项已按程序转办。"],
    "analysis": ["问题的原因主要是监管机制不健全；建议完善资金发放审核制度。"],
    "evaluation": ["你单位党组织能够贯彻落实上级决策部署，但也存在一些问题。"],
}


def _sample_sections(kind: str) -> dict[str, list[str]]:
    return {s.key: list(_SAMPLE_SECTIONS[s.key]) for s in sections_of(kind)}


def inspection_report_sample() -> dict[str, Any]:
    stats = {"interviews": 42, "documents": 15, "visits": 6, "reports": 9, "papers": 12, "fixes": 2}
    return {
        **_sample_common(),
        **SAMPLE_TARGET,
        "title": "关于巡察示例县财政局党组的情况报告",
        "stats": stats,
        "focus_list": "“四个落实”",
        "problem_count": 1,
        "clue_count": 1,
        "sections": _sample_sections("inspection"),
    }


def thematic_report_sample() -> dict[str, Any]:
    return {
        **_sample_common(),
        "title": "关于惠民惠农补贴资金管理的专题报告",
        "theme": "惠民惠农补贴资金管理",
        "sections": _sample_sections("thematic"),
    }


def clue_report_sample() -> dict[str, Any]:
    clue = {
        "label": "（一）",
        "title": "违规发放津贴补贴",
        "people": "张某某（局长）",
        "description": "2025年以加班补助名义发放补贴12.6万元。",
        "disciplines": "廉洁纪律",
        "papers": "1-004",
    }
    common = _sample_common()
    common.pop("groups")  # a clue report lists clues, not groups of problems
    return {
        **common,
        **SAMPLE_TARGET,
        "secrecy": CONFIDENTIAL,
        "title": "关于示例县财政局有关问题线索的报告",
        "clues": [clue],
        "sections": _sample_sections("clue"),
    }


def feedback_sample() -> dict[str, Any]:
    return {
        **_sample_common(),
        **SAMPLE_TARGET,
        "title": "县委第一巡察组关于巡察示例县财政局党组织的反馈意见",
        "addressee": "中共示例县财政局党组",
        "problem_count": 1,
        "plan_due": "2027年1月12日",
        "life_meeting_due": "2027年1月20日",
        "report_due": "2027年2月20日",
        "copies": "县纪委监委，县委组织部",
        "sections": _sample_sections(FEEDBACK),
    }
