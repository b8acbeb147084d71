"""The same link submitted twice at the same moment (PostgreSQL, real parallel connections):
exactly one answer is stored, the other submit is told the link was used."""

from __future__ import annotations

import pytest
from django.db import connection

from xuncha.appraisal import services
from xuncha.appraisal.models import Answer, AnswerItem, SurveyToken, UsedToken
from xuncha.appraisal.tests.conftest import rate_all, token_of
from xuncha.common.exceptions import ServiceError
from xuncha.common.races import race

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks across connections: PostgreSQL"),
]


@pytest.mark.parametrize("attempt", range(3))
def test_two_submits_of_one_token_store_one_answer(survey, attempt):
    token, values = token_of(survey), rate_all(survey, 4)
    outcomes = race(*[lambda: services.answer_submit(token=token, values=values, comment="同时提交")] * 2)
    answers = [o for o in outcomes if isinstance(o, Answer)]
    refused = [o for o in outcomes if isinstance(o, ServiceError)]
    assert len(answers) == 1 and len(refused) == 1, outcomes
    assert "已经使用过" in refused[0].messages[0]
    assert Answer.objects.count() == 1 and UsedToken.objects.count() == 1
    assert AnswerItem.objects.count() == len(values)
    assert not SurveyToken.objects.filter(token_hash=services.hash_token(token)).exists()


@pytest.mark.parametrize("attempt", range(2))
def test_closing_while_answering_leaves_no_half_answer(survey, ev, attempt):
    token, values = token_of(survey), rate_all(survey, 4)
    outcomes = race(
        lambda: services.answer_submit(token=token, values=values),
        lambda: services.survey_close(actor=ev["office"], survey=survey),
    )
    survey.refresh_from_db()
    assert survey.state == "closed"
    stored = Answer.objects.count()
    assert stored == (1 if isinstance(outcomes[0], Answer) else 0)
    assert AnswerItem.objects.count() == stored * len(values)
