"""The charts of a wide scope stay readable: a city has ≈ 150 rounds and a province ≈ 1,500, a
city's transfers go to dozens of receiving bodies. The rounds chart shows the latest 30 and the
receivers chart the 20 with the most transfers, each saying so; the table cells are escaped."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import translation

from xuncha.analytics.selectors.dashboard import Figures, Filters
from xuncha.analytics.views.dashboard_charts import ROUND_ROWS, Links, receiver_chart, round_chart


def _figures(rounds: int, receivers: int) -> Figures:
    by_round = [
        {"round_id": i, "round__name": f"第{i}轮<b>", "problems": i, "fed": i, "done": 0} for i in range(1, rounds + 1)
    ]
    by_receiver = [
        {"receiver_id": i, "receiver__name": f"接收单位{i}", "n": 100 - i, "persons": i} for i in range(receivers)
    ]
    return Figures({}, by_round, [], [], [], [], [], [], transfers_by_receiver=by_receiver)


pytestmark = pytest.mark.django_db


def test_the_latest_rounds_and_the_busiest_receivers_with_a_note():
    figs = _figures(rounds=ROUND_ROWS + 5, receivers=25)
    with translation.override("zh-hans"):
        rounds = round_chart(figs, Links(AnonymousUser(), Filters()))
        receivers = receiver_chart(figs, Links(AnonymousUser(), Filters()))
    assert [r.label for r in rounds.rows] == [f"第{i}轮<b>" for i in range(6, ROUND_ROWS + 6)]
    assert rounds.note == f"共{ROUND_ROWS + 5}轮，显示最近{ROUND_ROWS}轮；选择年度或轮次可查看其他轮次。"
    assert len(receivers.rows) == 20 and receivers.rows[0].label == "接收单位0"
    assert receivers.note == "共25个接收单位，按移交件数显示前20个。"
    body = str(rounds.body)
    assert "第6轮&lt;b&gt;" in body and "<b>" not in body and body.count("<tr>") == ROUND_ROWS


def test_short_lists_are_shown_whole_without_a_note():
    figs = _figures(rounds=3, receivers=2)
    assert len(round_chart(figs, Links(AnonymousUser(), Filters())).rows) == 3
    assert round_chart(figs, Links(AnonymousUser(), Filters())).note == ""
    assert receiver_chart(figs, Links(AnonymousUser(), Filters())).note == ""
