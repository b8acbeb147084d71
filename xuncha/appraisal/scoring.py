"""The team score, as plain arithmetic (no database), so the formula is tested and shown as written.

总分 = Σ(权重 × 指标得分) ÷ Σ(有数据的指标的权重), each indicator out of 100:
* 问卷测评: the mean of every rated item of the team's surveys (选项折合分, see ``SCALE_SCORES``);
* 发现问题: 反馈问题数 ÷ (巡察单位数 × 每单位基准数), at most 100;
* 线索成案: 立案审查数 ÷ 基准数, at most 100;
* 整改完成率: problems whose every task is done ÷ problems fed back.
An indicator without data (no answers yet, nothing fed back) is left out and the others carry its
weight, so a missing figure never counts as zero.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils.translation import gettext as _

# Option value -> score out of 100, per scale, best first (the order the page lists them).
SCALE_OPTIONS: dict[str, list[tuple[int, str]]] = {
    "five": [(5, "5分"), (4, "4分"), (3, "3分"), (2, "2分"), (1, "1分")],
    "grade": [(4, "好"), (3, "较好"), (2, "一般"), (1, "差")],
}
SCALE_SCORES: dict[str, dict[int, int]] = {
    "five": {5: 100, 4: 80, 3: 60, 2: 40, 1: 20},
    "grade": {4: 100, 3: 80, 2: 60, 1: 40},
}
FAILING_GRADE = "不称职"


@dataclass(frozen=True)
class Figures:
    survey: float | None  # mean score out of 100, None without answers
    units: int
    problems: int
    cases: int
    rectified: int


@dataclass
class Result:
    parts: list[dict[str, Any]] = field(default_factory=list)
    total: Decimal | None = None


def one_decimal(value: float) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def indicator_scores(figures: Figures, rule: dict[str, int]) -> dict[str, float | None]:
    problems = None
    if figures.units:
        problems = min(100.0, 100.0 * figures.problems / (figures.units * max(rule["problems_per_unit"], 1)))
    rectify = 100.0 * figures.rectified / figures.problems if figures.problems else None
    return {
        "survey": figures.survey,
        "problems": problems,
        "cases": min(100.0, 100.0 * figures.cases / max(rule["cases_target"], 1)),
        "rectify": rectify,
    }


def team_score(figures: Figures, rule: dict[str, int]) -> Result:
    scores = indicator_scores(figures, rule)
    result = Result()
    weighted = weight_sum = 0.0
    for key, score in scores.items():
        weight = rule[f"w_{key}"]
        result.parts.append({"key": key, "weight": weight, "score": None if score is None else one_decimal(score)})
        if score is not None and weight:
            weighted += weight * score
            weight_sum += weight
    if weight_sum:
        result.total = one_decimal(weighted / weight_sum)
    return result


def flag_reasons(total: Decimal | None, threshold: int, failing_members: list[str]) -> list[str]:
    reasons = []
    if total is not None and total < threshold:
        reasons.append(_("综合得分%(total)s分，低于%(threshold)s分") % {"total": total, "threshold": threshold})
    reasons += [_("成员%(name)s考核为不称职") % {"name": name} for name in failing_members]
    return reasons


RULE_FIELDS = ("w_survey", "w_problems", "w_cases", "w_rectify", "problems_per_unit", "cases_target", "threshold")


def rule_dict(rule: Any) -> dict[str, int]:
    return {name: getattr(rule, name) for name in RULE_FIELDS}
