"""Demo reports for the round on site: anonymous and named, online and by letter, with a thread."""

from __future__ import annotations

from django.db import transaction

from xuncha.intake import services
from xuncha.intake.models import Channel, Report, ReportMessage
from xuncha.plans.models import Announcement, RoundState

REPORTS = [
    (
        "青山镇",
        Channel.ONLINE,
        None,
        {
            "what": "石门村高标准农田项目的沟渠去年刚修好，今年就裂了，施工方是镇干部亲戚。",
            "people": "石门村村委会主任",
            "when": "2025年",
        },
    ),
    (
        "青山镇",
        Channel.LETTER,
        {"name": "李某", "phone": "139****0000", "address": "青山镇桃园村"},
        {"what": "镇民政办在低保评定中优亲厚友，有不符合条件的干部亲属享受低保。", "people": "民政办工作人员"},
    ),
    ("县财政局", Channel.PHONE, None, {"what": "惠农补贴资金拨付迟缓，部分乡镇到年底才发放。", "amount": "约200万元"}),
]


def intake_seeded(county) -> bool:
    return Report.objects.filter(round__jurisdiction=county).exists()


@transaction.atomic
def seed_intake(county) -> dict[str, int]:
    anns = {
        a.target.unit.name: a
        for a in Announcement.objects.filter(
            target__round__jurisdiction=county, target__round__state=RoundState.ON_SITE
        ).select_related("target__unit")
    }
    filed = []
    for unit, channel, contact, content in REPORTS:
        if unit in anns:
            filed.append(
                services.report_file(announcement=anns[unit], content=content, contact=contact, channel=channel).report
            )
    if filed:
        services.message_add(report=filed[0], side=ReportMessage.Side.TEAM, text="请问裂缝大约在哪一段？是否有照片？")
        services.message_add(
            report=filed[0], side=ReportMessage.Side.REPORTER, text="在村东头灌溉渠，约50米，可以补拍照片。"
        )
    return {"reports": len(filed)}
