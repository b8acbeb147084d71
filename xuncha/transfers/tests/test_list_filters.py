"""The transfer register's filters come from the address: a malformed value is ignored (the list
is shown without that filter), never a 500 (issue 14, finding 8)."""

import pytest
from django.urls import reverse

from xuncha.accounts.permissions import Role
from xuncha.accounts.tests.factories import make_unit, make_user
from xuncha.findings.tests.factories import office_user
from xuncha.transfers import services


@pytest.fixture
def sent(site, world):
    commission = make_unit(world.a["county"], "甲县纪委监委", "department")
    make_user(commission, Role.DISCIPLINE_RECEIVER, scope=commission)
    office = office_user(world)
    transfer = services.transfer_send(
        actor=office,
        round=site["round"],
        kind="clue",
        receiver=commission,
        target=site["target"],
        title="张某违规发放津贴补贴问题线索",
        summary="巡察发现，张某违规发放津贴补贴3.2万元。",
        persons="张某（镇长）",
        persons_count=1,
    )
    return office, transfer


@pytest.mark.parametrize(
    "query",
    [
        "round=abc",
        "round=99999999999999999999999",
        "round=-1",
        "round=%00",
        "receiver=99999999999999999999999",
        "receiver=abc",
        "receiver=1&receiver=99999999999999999999999",
    ],
)
def test_a_malformed_filter_is_ignored(client, sent, query):
    office, transfer = sent
    client.force_login(office)
    response = client.get(f"{reverse('transfers:transfer_list')}?{query}")
    assert response.status_code == 200
    assert transfer.title in response.content.decode()


def test_a_malformed_filter_does_not_drop_the_good_ones(client, sent):
    office, transfer = sent
    client.force_login(office)
    url = reverse("transfers:transfer_list")
    assert transfer.title not in client.get(f"{url}?round=abc&state=closed").content.decode()
    assert transfer.title in client.get(f"{url}?round={transfer.round_id}&receiver=abc").content.decode()
    assert transfer.title not in client.get(f"{url}?round={transfer.round_id + 1000}").content.decode()
