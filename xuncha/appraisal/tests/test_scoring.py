"""The formula, by hand, without the database."""

from decimal import Decimal

from xuncha.appraisal.scoring import Figures, flag_reasons, team_score

RULE = {
    "w_survey": 50,
    "w_problems": 20,
    "w_cases": 10,
    "w_rectify": 20,
    "problems_per_unit": 8,
    "cases_target": 2,
    "threshold": 70,
}


def test_every_indicator_present():
    # survey 84; problems 6 over 1 unit x 8 = 75; cases 1 of 2 = 50; rectified 3 of 6 = 50
    result = team_score(Figures(survey=84.0, units=1, problems=6, cases=1, rectified=3), RULE)
    assert [p["score"] for p in result.parts] == [Decimal("84.0"), Decimal("75.0"), Decimal("50.0"), Decimal("50.0")]
    # (50*84 + 20*75 + 10*50 + 20*50) / 100 = 72.0
    assert result.total == Decimal("72.0")


def test_caps_at_full_marks():
    result = team_score(Figures(survey=100.0, units=1, problems=20, cases=5, rectified=20), RULE)
    assert result.total == Decimal("100.0")


def test_a_missing_indicator_does_not_count_as_zero():
    # no answers yet and nothing fed back: only problems (no units -> none) ... cases remain
    result = team_score(Figures(survey=None, units=2, problems=8, cases=0, rectified=4), RULE)
    # problems 8/(2*8)=50, cases 0, rectify 50; weights 20+10+20=50 -> (1000+0+1000)/50 = 40
    assert result.parts[0]["score"] is None
    assert result.total == Decimal("40.0")


def test_an_empty_team_has_no_score():
    result = team_score(Figures(survey=None, units=0, problems=0, cases=0, rectified=0), {**RULE, "w_cases": 0})
    assert result.total is None


def test_flags():
    assert flag_reasons(Decimal("69.9"), 70, []) == ["综合得分69.9分，低于70分"]
    assert flag_reasons(Decimal("70.0"), 70, []) == []
    assert flag_reasons(None, 70, ["李四"]) == ["成员李四考核为不称职"]
