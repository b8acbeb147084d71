"""Demo reports for the round on site, in every state of the triage: anonymous and named, online
and by letter or phone, with a thread, one fed into a working paper, one forwarded, one merged,
one overdue for acknowledgement."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from xuncha.accounts.models import User
from xuncha.common.actors import SYSTEM
from xuncha.common.demo import demo_part
from xuncha.fieldwork.models import WorkingPaper
from xuncha.intake import services
from xuncha.intake.models import Channel, Report, ReportMessage
from xuncha.plans.models import Announcement, RoundState

LIAISON = "xcz_chengyuan"  # the team-1 liaison of the demo (accounts demo)
ACCEPT = {"subject": "leadership", "disciplines": ["integrity"], "reply": "您反映的问题已受理，巡察组将认真了解核实。"}

# (key, unit, channel, contact, content, days ago received)
REPORTS = [
    (
        "ditch",
        "青山镇",
        Channel.ONLINE,
        None,
        {
            "what": "石门村高标准农田项目的沟渠去年刚修好，今年就裂了，施工方是镇干部亲戚。",
            "people": "石门村村委会主任",
            "when": "2025年",
        },
        12,
    ),
    (
        "welfare",
        "青山镇",
        Channel.LETTER,
        {"name": "李某", "phone": "139****0000", "address": "青山镇桃园村"},
        {"what": "镇民政办在低保评定中优亲厚友，有不符合条件的干部亲属享受低保。", "people": "民政办工作人员"},
        10,
    ),
    (
        "subsidy",
        "县财政局",
        Channel.PHONE,
        None,
        {"what": "惠农补贴资金拨付迟缓，部分乡镇到年底才发放。", "amount": "约200万元"},
        18,
    ),
    (
        "land",
        "青山镇",
        Channel.ONLINE,
        None,
        {"what": "我家和邻居的宅基地边界有争议，村里调解了两次没有结果，请求帮助解决。", "where": "青山镇桃园村"},
        9,
    ),
    ("road", "青山镇", Channel.ONLINE, None, {"what": "希望镇里早点把通往集镇的路修好。"}, 8),
    (
        "ditch_again",
        "青山镇",
        Channel.ONLINE,
        None,
        {"what": "石门村新修的农田沟渠质量很差已经开裂，听说是镇干部的亲戚施工的。", "people": "石门村村委会主任"},
        5,
    ),
    (
        "canteen",
        "青山镇",
        Channel.VISIT,
        {"name": "张某", "phone": "138****1111", "address": ""},
        {"what": "镇政府食堂以接待为名报销超标餐费。", "people": "镇党政办主任"},
        20,
    ),
    ("fresh", "青山镇", Channel.MAILBOX, None, {"what": "镇卫生院药品采购价格明显高于市场价。"}, 1),
]


def intake_seeded(county) -> bool:
    return Report.objects.filter(round__jurisdiction=county).exists()


def _file(anns: dict, unit: str, channel: str, contact: Any, content: dict, days: int) -> Report | None:
    if unit not in anns:
        return None
    received = timezone.localdate() - timedelta(days=days)
    report = services.report_file(
        announcement=anns[unit], content=content, contact=contact, channel=channel, received_on=received
    ).report
    # An online report is received the moment it is filed; the demo pretends these came earlier.
    Report.objects.filter(pk=report.pk).update(received_on=received)
    report.received_on = received
    return report


@transaction.atomic
def seed_intake(county) -> dict[str, int]:
    anns = {
        a.target.unit.name: a
        for a in Announcement.objects.filter(
            target__round__jurisdiction=county, target__round__state=RoundState.ON_SITE
        ).select_related("target__unit")
    }
    filed = {key: r for key, *rest in REPORTS if (r := _file(anns, *rest))}
    if not filed:
        return {"reports": 0}
    actor = User.objects.filter(username=LIAISON).first() or SYSTEM
    _triage(filed, actor)
    return {"reports": len(filed)}


def _triage(filed: dict[str, Report], actor: Any) -> None:
    def move(key: str, action: str, **data: Any) -> None:
        if key in filed:
            filed[key] = services.report_transition(obj=filed[key], action=action, actor=actor, data=data)

    if "ditch" in filed:
        services.message_add(
            report=filed["ditch"], side=ReportMessage.Side.TEAM, text="请问裂缝大约在哪一段？是否有照片？"
        )
        services.message_add(
            report=filed["ditch"], side=ReportMessage.Side.REPORTER, text="在村东头灌溉渠，约50米，可以补拍照片。"
        )
    move("ditch", "accept", **ACCEPT)
    paper = WorkingPaper.objects.filter(
        target__unit__name="青山镇", target__round__state=RoundState.ON_SITE, title__contains="高标准农田"
    ).first()
    if paper is not None:
        move("ditch", "link", papers=[paper])
    move("welfare", "accept", **{**ACCEPT, "subject": "key_post", "disciplines": ["masses"]})
    move(
        "land",
        "forward",
        subject="other",
        forwarded_to="青山镇人民调解委员会",
        reply="您反映的宅基地边界争议不属于巡察受理范围，已按照分级负责、属地管理的原则转交青山镇人民调解委员会办理。",
    )
    move("road", "reject", reply="您提出的是工作建议，不属于信访举报受理范围，已转告有关部门参考。感谢您的关心。")
    if "ditch" in filed:
        move("ditch_again", "merge", into=filed["ditch"], reply="您反映的问题与其他举报反映的是同一事项，已合并办理。")
    move("canteen", "accept", **{**ACCEPT, "disciplines": ["integrity", "work"]})
    move("canteen", "close", reply="经了解核实，相关餐费已全部清退，责任人已作检讨。感谢您的监督。")


demo_part(order=30, seeded=intake_seeded, seed=seed_intake, message="已建立信访举报 {reports} 件。")
