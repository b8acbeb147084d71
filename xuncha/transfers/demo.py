"""Demo transfers in every state: from the round fed back (第七轮) to the discipline commission,
the organisation department and a sector department, and one from the archived round that was
never reported back on (overdue, flagged)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.db import transaction

from xuncha.accounts.models import OrgUnit, User
from xuncha.common.actors import SYSTEM
from xuncha.common.demo import demo_part
from xuncha.findings.models import Problem
from xuncha.plans.models import Round
from xuncha.transfers import services
from xuncha.transfers.models import Transfer

# (unit inspected, kind, receiver, title, summary, persons, count, problem title, steps)
TRANSFERS = [
    (
        "县民政局",
        "clue",
        "县纪委监委",
        "李某某违规发放津贴补贴问题线索",
        "巡察发现，县民政局党组成员、副局长李某某2025年组织以加班补助名义发放补贴4.2万元。",
        "李某某（县民政局党组成员、副局长）",
        1,
        "违规发放津贴补贴",
        [
            ("acknowledge", {}),
            ("dispose", {"disposal": "talk"}),
            ("report", {"result": "已对李某某进行谈话提醒，责令退还违规发放的补贴4.2万元。"}),
            ("close", {}),
        ],
    ),
    (
        "县水利局",
        "clue",
        "县纪委监委",
        "王某某工程项目招投标违规问题线索",
        "巡察发现，县水利局2024年3个农村饮水安全工程存在先施工后招标、化整为零规避招标问题，局长王某某负有直接责任。",
        "王某某（县水利局党组书记、局长）",
        1,
        "工程项目招投标管理不规范",
        [
            ("acknowledge", {}),
            ("dispose", {"disposal": "case"}),
            ("report", {"result": "经初步核实，已对王某某立案审查，案件正在办理中。"}),
        ],
    ),
    (
        "县水利局",
        "personnel",
        "县委组织部",
        "县水利局基层党组织建设薄弱问题",
        "局机关党支部“三会一课”制度落实不严格，建议对支部书记进行提醒谈话并加强支部班子建设。",
        "局机关党支部书记",
        1,
        "基层党组织建设薄弱",
        [("acknowledge", {}), ("dispose", {"disposal": "organisational"})],
    ),
    (
        "县民政局",
        "sector",
        "县教育局",
        "学生资助对象认定与低保信息比对不及时问题",
        "巡察县民政局时发现，部分享受学生资助的家庭低保资格已取消，教育部门未及时比对调整，建议在全县教育系统开展专项清理。",
        "",
        0,
        "",
        [("acknowledge", {})],
    ),
    (
        "县民政局",
        "other",
        "县委组织部",
        "县民政局干部人事档案管理不规范问题",
        "部分干部人事档案材料缺失、任职年龄等信息前后不一致，建议组织部门指导整改。",
        "",
        0,
        "",
        [],
    ),
]
RECEIVERS = {"县纪委监委": "jw_chengban", "县委组织部": "zzb_chengban", "县教育局": "hy_chengban"}


def transfers_seeded(county) -> bool:
    return Transfer.objects.filter(round__jurisdiction=county).exists()


def _walk(transfer: Transfer, steps: list[tuple[str, dict]], receiver_user: Any) -> None:
    for action, data in steps:
        actor = SYSTEM if action == "close" else receiver_user
        transfer = services.transfer_transition(obj=transfer, action=action, actor=actor, data=data)


@transaction.atomic
def seed_transfers(county) -> dict[str, int]:
    units = {u.name: u for u in OrgUnit.objects.filter(path__startswith=county.path, name__in=RECEIVERS)}
    users = {name: User.objects.filter(username=username).first() or SYSTEM for name, username in RECEIVERS.items()}
    rnd = Round.objects.filter(jurisdiction=county, name="县委第十四届第七轮巡察").first()
    sent = 0
    if rnd is not None:
        approved = rnd.inspection_reports.filter(approved_on__isnull=False).order_by("approved_on").first()
        day = (approved.approved_on if approved else rnd.exit_date) + timedelta(days=3)
        targets = {t.unit.name: t for t in rnd.targets.select_related("unit", "team")}
        for unit, kind, receiver, title, summary, persons, count, problem, steps in TRANSFERS:
            problems = list(Problem.objects.filter(round=rnd, title=problem)) if problem else []
            transfer = services.transfer_send(
                actor=SYSTEM,
                round=rnd,
                kind=kind,
                receiver=units[receiver],
                target=targets.get(unit),
                title=title,
                summary=summary,
                persons=persons,
                persons_count=count,
                doc_no=f"县委巡办移〔{day.year}〕{sent + 1}号",
                problems=problems,
                papers=[paper for p in problems for paper in p.papers.all()],
                sent_on=day,
            )
            _walk(transfer, steps, users[receiver])
            sent += 1
    past = Round.objects.filter(jurisdiction=county, name="县委第十四届第五轮巡察").first()
    if past is not None:
        services.transfer_send(
            actor=SYSTEM,
            round=past,
            kind="clue",
            receiver=units["县纪委监委"],
            target=past.targets.select_related("team").filter(unit__name="城关镇").first(),
            title="城关镇某村党支部书记侵占集体资金问题线索",
            summary="群众反映城关镇某村党支部书记侵占村集体土地补偿款，巡察组已初步了解，建议核查。",
            persons="某村党支部书记",
            persons_count=1,
            sent_on=date(2025, 6, 25),
        )
        sent += 1
    return {"transfers": sent}


demo_part(
    order=50,
    seeded=transfers_seeded,
    seed=seed_transfers,
    message="已移交问题线索和有关事项 {transfers} 件。",
)
