"""Demo findings: the rounds past their on-site phase fully reported and fed back — signed papers,
problems classified against 四个落实, the inspection report through the whole review chain (one
return on the way), clue reports approved, feedback sent to every unit; the 2025 round then goes on
to the archive — and, in the round on site, the first problem and a draft report for 青山镇."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from xuncha.accounts.models import OrgUnit
from xuncha.common.actors import SYSTEM
from xuncha.common.demo import demo_part, demo_prerequisite
from xuncha.fieldwork import services as fieldwork
from xuncha.fieldwork.demo import _pdf
from xuncha.fieldwork.models import PaperState, WorkingPaper
from xuncha.findings.focus_seed import load as load_focus_lists
from xuncha.findings.models import CopyKind, DraftKind, FocusItem, Problem, Tag
from xuncha.findings.services import feedback as feedback_services
from xuncha.findings.services import problems as problem_services
from xuncha.findings.services import reports as report_services
from xuncha.findings.services import sections as section_services
from xuncha.plans import services as plans
from xuncha.plans.models import Round, RoundState, RoundTarget

# (unit, [(paper title, facts, focus item position, sub-item position, tags, disciplines, people, severity)])
FINDINGS = {
    "城关镇": [
        (
            "党委会议事决策不规范",
            "2024年镇党委研究“三重一大”事项5次，其中2次未经集体讨论即由主要负责人决定。",
            2,
            1,
            [],
            ["political", "organisational"],
            "",
            "serious",
        ),
        (
            "村级财务监管不到位",
            "镇“三资”服务中心对村级大额支出审核流于形式，3个村存在白条入账。",
            2,
            4,
            ["农村集体“三资”"],
            ["work"],
            "",
            "general",
        ),
    ],
    "县教育局": [
        (
            "学生营养改善计划资金管理不规范",
            "2024年部分学校营养餐采购未按规定公开招标，涉及资金86万元。",
            2,
            4,
            ["惠民惠农资金（补贴、低保）"],
            ["integrity"],
            "",
            "serious",
        ),
    ],
    "县民政局": [
        (
            "最低生活保障审核把关不严",
            "2024年至2025年，局党组对乡镇上报的低保对象审核流于形式，抽查发现12户家庭收入超标仍享受低保，"
            "涉及资金8.6万元。",
            2,
            4,
            ["惠民惠农资金（补贴、低保）", "优亲厚友"],
            ["masses"],
            "",
            "serious",
        ),
        (
            "违规发放津贴补贴",
            "2025年1月至6月，以加班补助名义向机关干部发放补贴共计4.2万元。",
            2,
            3,
            ["“四风”（形式主义、官僚主义、享乐主义、奢靡之风）"],
            ["integrity"],
            "李某某（局党组成员、副局长）",
            "serious",
        ),
        (
            "上轮巡察反馈问题整改不到位",
            "上轮巡察反馈的“养老服务机构监管不力”问题，整改措施未落实，2家机构消防隐患至今未整改。",
            4,
            1,
            [],
            ["work"],
            "",
            "general",
        ),
    ],
    "县水利局": [
        (
            "工程项目招投标管理不规范",
            "2024年实施的3个农村饮水安全巩固提升工程，存在先施工后招标、化整为零规避招标问题，涉及金额312万元。",
            2,
            1,
            ["土地和工程建设"],
            ["integrity", "work"],
            "王某某（局长）",
            "grave",
        ),
        (
            "基层党组织建设薄弱",
            "局机关党支部“三会一课”制度落实不严格，2025年上半年仅召开支部党员大会1次。",
            3,
            3,
            [],
            ["organisational"],
            "",
            "general",
        ),
    ],
}


def findings_seeded(county) -> bool:
    return Problem.objects.filter(round__jurisdiction=county).exists()


def _signed(team: Any, target: RoundTarget, title: str, facts: str) -> WorkingPaper:
    paper = fieldwork.paper_create(
        actor=SYSTEM,
        team=team,
        target=target,
        title=title,
        facts=facts,
        basis="《中国共产党纪律处分条例》",
        resp_principal=True,
    )
    fieldwork.paper_evidence_add(
        actor=SYSTEM, paper=paper, uploads=[_pdf(f"evidence-{paper.number}")], description="相关材料"
    )
    fieldwork.paper_transition(obj=paper, action="submit", actor=SYSTEM)
    fieldwork.paper_transition(
        obj=paper, action="approve", actor=SYSTEM, data={"comment": "事实清楚，证据充分，同意。"}
    )
    return fieldwork.paper_transition(obj=paper, action="sign", actor=SYSTEM)


def _written(unit: str) -> dict[str, str]:
    """What the team writes in an inspection report by hand (the parts around the problems)."""
    return {
        "overview": (
            f"{unit}党组织能够认真学习贯彻习近平新时代中国特色社会主义思想，贯彻落实县委决策部署，"
            "班子总体团结，各项工作取得一定成效。\n\n"
            "但对照巡察监督重点，在落实全面从严治党主体责任、执行财经纪律等方面仍存在一些问题。"
        ),
        "suggestions": (
            f"一是{unit}党组织要切实扛起巡察整改主体责任，对反馈的问题逐条制定整改措施。\n\n"
            "二是健全内部管理制度，加强对重点领域、关键环节的监督，防止问题反弹回潮。"
        ),
        "other": "",
    }


def _feedback_written(unit: str) -> dict[str, str]:
    return {
        "evaluation": (
            f"巡察认为，{unit}党组织能够贯彻落实党中央和省委、市委、县委决策部署，做了大量工作，取得了一定成效。"
            "但巡察也发现一些问题。"
        )
    }


def _item(rnd: Round, position: int, sub: int) -> list[FocusItem]:
    top = FocusItem.objects.get(focus_list=rnd.focus_list, parent=None, position=position)
    child = FocusItem.objects.filter(parent=top, position=sub).first()
    return [top, child] if child else [top]


def _decide(report: Any, action: str, day: date, meeting: str, decision: str) -> Any:
    data = {"decided_on": day, "meeting": meeting, "decision": decision}
    return report_services.draft_transition(obj=report, action=action, actor=SYSTEM, data=data)


def _chain(report: Any, start: date, year: int, with_return: bool) -> Any:
    report = report_services.draft_transition(obj=report, action="submit", actor=SYSTEM)
    report = _decide(report, "pass_team", start, "第6次组务会", "同意报告内容，提交组长审定。")
    report = _decide(report, "pass_leader", start + timedelta(days=1), "组长审定", "同意。")
    if with_return:
        report = _decide(
            report,
            "return_review",
            start + timedelta(days=4),
            "组办会商",
            "第一个问题的定性依据不足，请补充后重新报送。",
        )
        unit = report.target.unit.name if report.target else ""
        section_services.report_sections_save(
            actor=SYSTEM,
            report=report,
            texts={
                "suggestions": _written(unit)["suggestions"]
                + "\n\n三是对第一个问题涉及的违规资金逐笔核实，依规依纪追缴。"
            },
        )
        report_services.version_generate(actor=SYSTEM, report=report, note="按组办会商意见补充定性依据")
        report = report_services.draft_transition(obj=report, action="submit", actor=SYSTEM)
        report = _decide(report, "pass_team", start + timedelta(days=6), "第7次组务会", "已按意见修改，同意上报。")
        report = _decide(report, "pass_leader", start + timedelta(days=6), "组长审定", "同意。")
    report = _decide(report, "pass_joint", start + timedelta(days=8), "组办会商", "同意提交领导小组会议审议。")
    group_meeting = f"县委巡察工作领导小组{year}年第4次会议"
    report = _decide(report, "pass_group", start + timedelta(days=12), group_meeting, "同意，提请书记专题会审议。")
    return _decide(
        report, "approve", start + timedelta(days=15), f"县委书记专题会（{year}年第5次）", "同意巡察报告，按程序反馈。"
    )


def _report_and_feed_back(rnd: Round, county) -> tuple[int, int]:
    """Problems from signed papers, reports through the chain, feedback to every unit; then the
    round moves on to rectification (and an old round on to the archive)."""
    tags = {t.name: t for t in Tag.objects.all()}
    problems = sent = 0
    start = rnd.exit_date + timedelta(days=10)
    for target in rnd.targets.select_related("unit", "team").order_by("unit__path"):
        rows = FINDINGS.get(target.unit.name, [])
        for title, facts, item, sub, tag_names, disciplines, people, severity in rows:
            paper = _signed(target.team, target, title, facts)
            problem_services.problem_create(
                actor=SYSTEM,
                target=target,
                papers=[paper],
                focus_items=_item(rnd, item, sub),
                tags=[tags[n] for n in tag_names],
                title=title,
                description=facts,
                disciplines=disciplines,
                responsibilities=["principal"],
                severity=severity,
                people=people,
            )
            problems += 1
        report = report_services.draft_create(
            actor=SYSTEM,
            team=target.team,
            kind=DraftKind.INSPECTION,
            target=target,
            sections=_written(target.unit.name),
        )
        _chain(report, start, rnd.year, with_return=target.unit.name == "县民政局")
        if any(row[6] for row in rows):
            clue = report_services.draft_create(actor=SYSTEM, team=target.team, kind=DraftKind.CLUE, target=target)
            _chain(clue, start, rnd.year, with_return=False)
        _feedback(target, county, start + timedelta(days=20))
        sent += 1
    plans.round_transition(obj=rnd, action="feedback", actor=SYSTEM, data={"feedback_date": start + timedelta(days=20)})
    plans.round_transition(obj=rnd, action="rectify", actor=SYSTEM)
    if rnd.exit_date < timezone.localdate() - timedelta(days=365):
        plans.round_transition(obj=rnd, action="evaluate", actor=SYSTEM)
        plans.round_transition(obj=rnd, action="archive", actor=SYSTEM)
    return problems, sent


def _feedback(target: RoundTarget, county, day: date) -> None:
    feedback = feedback_services.feedback_prepare(actor=SYSTEM, target=target)
    bodies = {
        u.name: u for u in OrgUnit.objects.filter(path__startswith=county.path, name__in=["县纪委监委", "县委组织部"])
    }
    feedback_services.feedback_update(
        actor=SYSTEM,
        feedback=feedback,
        doc_no=f"县委巡反〔{day.year}〕{target.pk}号",
        meeting_on=day,
        meeting_place=f"{target.unit.name}三楼会议室",
        attendees="巡察组全体成员；被巡察单位领导班子成员、中层干部；县纪委监委、县委组织部有关同志",
        main_leader_on=day,
        copies=[(CopyKind.DISCIPLINE, bodies["县纪委监委"], None), (CopyKind.ORGANISATION, bodies["县委组织部"], None)],
    )
    section_services.feedback_sections_save(actor=SYSTEM, feedback=feedback, texts=_feedback_written(target.unit.name))
    feedback_services.feedback_send(actor=SYSTEM, feedback=feedback, sent_on=day)


def _current_round(county) -> int:
    """The first problem of the round on site, from the paper the leader has signed."""
    rnd = Round.objects.filter(jurisdiction=county, state=RoundState.ON_SITE).order_by("-year", "-number").first()
    paper = WorkingPaper.objects.filter(team__round=rnd, state=PaperState.SIGNED).select_related("target").first()
    if rnd is None or paper is None:
        return 0
    problem_services.problem_create(
        actor=SYSTEM,
        target=paper.target,
        papers=[paper],
        focus_items=_item(rnd, 2, 4),
        tags=[Tag.objects.get(name="土地和工程建设")],
        title=paper.title,
        description=paper.facts,
        disciplines=["work", "integrity"],
        responsibilities=["principal", "supervisory"],
        severity="serious",
    )
    report_services.draft_create(
        actor=SYSTEM,
        team=paper.team,
        kind=DraftKind.INSPECTION,
        target=paper.target,
        sections=_written(paper.target.unit.name),
    )
    return 1


@transaction.atomic
def seed_findings(county) -> dict[str, int]:
    problems = sent = 0
    for rnd in Round.objects.filter(jurisdiction=county, state=RoundState.REPORTING).order_by("entry_date"):
        p, f = _report_and_feed_back(rnd, county)
        problems, sent = problems + p, sent + f
    return {"problems": problems + _current_round(county), "feedback": sent}


demo_part(
    order=40,
    seeded=findings_seeded,
    seed=seed_findings,
    message="已形成巡察发现问题 {problems} 个，向 {feedback} 个单位反馈。",
)

# The focus lists come with migration 0002; a test database flushed between tests (or an operator who
# deleted them) would not have them, and the demo rounds are classified by them.
demo_prerequisite(load_focus_lists)
