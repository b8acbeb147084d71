"""The demo county's post-inspection evaluation: the surveys of the round fed back (第七轮) with
answers and comments, the team scores of that round and of the archived 第五轮, member grades, a
training record, and one flagged low score waiting for the office head's talk.

Called by the lead from demo_seed's PARTS:
    ("xuncha.appraisal.demo", "appraisal_seeded", "seed_appraisal",
     "已开展巡后评估测评 {surveys} 次、答卷 {answers} 份。")
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from xuncha.accounts.models import User
from xuncha.appraisal import services
from xuncha.appraisal.models import Item, Survey
from xuncha.common.actors import SYSTEM
from xuncha.common.demo import demo_part
from xuncha.findings.models import FeedbackState
from xuncha.plans.models import PoolEntry, Team
from xuncha.plans.services import training_add

ROUND_SEVENTH = "县委第十四届第七轮巡察"
ROUND_FIFTH = "县委第十四届第五轮巡察"
# Per unit: how many were handed out, then each answer as (the option for every item, comment);
# options: 4 好, 3 较好, 2 一般, 1 差.
ANSWERS: dict[str, tuple[int, list[tuple[int, str]]]] = {
    "县民政局": (
        8,
        [
            (4, "巡察组作风扎实，反馈问题实事求是。"),
            (4, ""),
            (3, "建议提前告知调阅资料清单，便于准备。"),
            (3, ""),
            (2, "个别谈话安排较为集中，影响日常工作。"),
        ],
    ),
    "县水利局": (6, [(3, ""), (2, "对工程项目的专业判断还需加强。"), (2, ""), (1, "")]),
    "县教育局": (5, [(4, "工作规范，廉洁自律。"), (4, ""), (4, "")]),
    "城关镇": (5, [(4, ""), (3, "")]),
}
COUNTY_RULE = {
    "w_survey": 60,
    "w_problems": 15,
    "w_cases": 10,
    "w_rectify": 15,
    "problems_per_unit": 2,
    "cases_target": 1,
    "threshold": 70,
}
GRADES_SEVENTH = ["称职", "优秀", "基本称职", "称职", "称职", "称职"]


def appraisal_seeded(county) -> bool:
    return Survey.objects.filter(target__round__jurisdiction=county).exists()


def _office(county) -> Any:
    return User.objects.filter(username="xcb_ganbu").first() or SYSTEM


def _survey(office: Any, target: Any) -> int:
    issued, answers = ANSWERS[target.unit.name]
    survey = services.survey_open(actor=office, target=target, count=issued)
    items = list(Item.objects.filter(aspect__questionnaire=survey.questionnaire).values_list("pk", flat=True))
    tokens = list(survey.tokens.order_by("serial").values_list("token", flat=True))
    for token, (option, comment) in zip(tokens, answers, strict=False):
        # An answer varies a little by item, as people's do: one item a grade lower.
        values = {pk: option if i % 4 else max(1, option - 1) for i, pk in enumerate(items)}
        services.answer_submit(token=token, values=values, comment=comment)
    if target.round.name == ROUND_FIFTH:
        services.survey_close(actor=office, survey=survey)
    return len(answers)


def _teams(county, name: str) -> list[Team]:
    return list(Team.objects.filter(round__jurisdiction=county, round__name=name).order_by("number"))


@transaction.atomic
def seed_appraisal(county) -> dict[str, int]:
    office = _office(county)
    # The county's own rule (its units are small: two problems per unit and one case are the mark).
    services.rule_update(actor=office, jurisdiction=county, **COUNTY_RULE)
    surveys = answers = 0
    for name in (ROUND_FIFTH, ROUND_SEVENTH):
        for team in _teams(county, name):
            for target in team.targets.filter(feedback__state=FeedbackState.SENT).select_related("unit", "round"):
                if target.unit.name in ANSWERS:
                    answers += _survey(office, target)
                    surveys += 1
    for team in _teams(county, ROUND_FIFTH):
        for member in team.members.select_related("person", "team"):
            services.member_grade(actor=office, member=member, grade="称职", note="")
        services.team_appraisal_compute(actor=office, team=team)
    for team in _teams(county, ROUND_SEVENTH):
        members = list(team.members.select_related("person", "team").order_by("role", "pk"))
        for member, grade in zip(members, GRADES_SEVENTH, strict=False):
            note = "发现问题精准，底稿规范。" if grade == "优秀" else ""
            services.member_grade(actor=office, member=member, grade=grade, note=note)
        # The seventh round's team scores low (rectification has only begun, one unit rated it
        # poorly): flagged to the office head, waiting for the talk.
        services.team_appraisal_compute(actor=office, team=team)
        _training(office, members)
    return {"surveys": surveys, "answers": answers}


def _training(office: Any, members: list[Any]) -> None:
    for member in members:
        entry = PoolEntry.objects.filter(person=member.person).first()
        if entry is not None:
            on = timezone.localdate() - timedelta(days=20)
            training_add(actor=office, entry=entry, on=on, title="巡察工作业务培训（巡后评估反馈问题整改）", hours=8)
            return


demo_part(
    order=100,
    seeded=appraisal_seeded,
    seed=seed_appraisal,
    message="已开展巡后评估测评 {surveys} 次、答卷 {answers} 份。",
)
