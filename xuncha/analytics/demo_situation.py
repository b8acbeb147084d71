"""Demo: the on-site work of the round fed back (第七轮), so its situation report (情况汇报) has the
teams' interviews, document requests, visits and questionnaires to count, not only findings.

The round is past its on-site phase, so the records are written as the archive would hold them
(done, dated inside the on-site period), directly rather than through the fieldwork services,
which accept records only while a round is on site.
"""

from __future__ import annotations

from datetime import timedelta

from xuncha.fieldwork.models import FieldRecord, InterviewCategory, RecordKind
from xuncha.plans.models import RoundTarget

ROUND_NAME = "县委第十四届第七轮巡察"
# Per target: (kind, title, category) rows; every inspected unit gets the same pattern.
PATTERN = [
    (RecordKind.INTERVIEW, "与党组书记个别谈话", InterviewCategory.MAIN_LEADER),
    (RecordKind.INTERVIEW, "与分管副局长个别谈话", InterviewCategory.LEADERSHIP),
    (RecordKind.INTERVIEW, "与纪检组长个别谈话", InterviewCategory.DISCIPLINE),
    (RecordKind.INTERVIEW, "与人事股负责人个别谈话", InterviewCategory.ORGANISATION),
    (RecordKind.INTERVIEW, "与中层干部个别谈话", InterviewCategory.MIDDLE),
    (RecordKind.DOCUMENTS, "调阅2024—2025年党组会议记录", ""),
    (RecordKind.DOCUMENTS, "调阅财务凭证和津贴补贴发放表", ""),
    (RecordKind.VISIT, "走访服务对象和基层站所", ""),
    (RecordKind.QUESTIONNAIRE, "领导班子和干部选拔任用民主测评", ""),
]


def _targets(county):
    return RoundTarget.objects.filter(round__jurisdiction=county, round__name=ROUND_NAME, team__isnull=False)


def situation_seeded(county) -> bool:
    return FieldRecord.objects.filter(target__in=_targets(county)).exists()


def seed_situation(county) -> dict[str, int]:
    rows = []
    for target in _targets(county).select_related("round", "unit"):
        start = target.on_site_from
        for offset, (kind, title, category) in enumerate(PATTERN):
            day = start + timedelta(days=offset)
            rows.append(
                FieldRecord(
                    team_id=target.team_id,
                    target=target,
                    kind=kind,
                    title=title,
                    occurred_on=day,
                    place=target.unit.name,
                    category=category,
                    confirmed_on=day if kind == RecordKind.INTERVIEW else None,
                    provider=target.unit.name if kind == RecordKind.DOCUMENTS else "",
                    handed_over_on=day if kind == RecordKind.DOCUMENTS else None,
                    returned_on=day + timedelta(days=7) if kind == RecordKind.DOCUMENTS else None,
                )
            )
    FieldRecord.objects.bulk_create(rows)
    return {"records": len(rows)}
