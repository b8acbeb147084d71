"""Transfers: sending checks the receiving body has a receiver; each step in order; report-back
lateness derived and filterable; the discipline commission's receiver and the organisation
department's never see each other's transfers; the letter opens and names the matter."""

import io
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone
from docx import Document

from xuncha.accounts.models import OrgUnit
from xuncha.accounts.permissions import Role
from xuncha.accounts.tests.factories import make_unit, make_user
from xuncha.audit.models import AuditEntry
from xuncha.common.exceptions import ServiceError
from xuncha.files.storage import open_stored
from xuncha.findings.tests.factories import office_user, problem
from xuncha.transfers import selectors, services
from xuncha.transfers.models import Transfer, TransferState


@pytest.fixture
def bodies(world):
    county = world.a["county"]
    commission = make_unit(county, "甲县纪委监委", "department")
    organisation = make_unit(county, "甲县委组织部", "department")
    return {
        "commission": commission,
        "organisation": organisation,
        "jw": make_user(commission, Role.DISCIPLINE_RECEIVER, scope=commission),
        "zzb": make_user(organisation, Role.ORGANISATION_RECEIVER, scope=organisation),
        "office": office_user(world),
    }


def _send(site, bodies, kind="clue", receiver="commission", **extra):
    data = {
        "title": "张某违规发放津贴补贴问题线索",
        "summary": "巡察发现，张某在任镇长期间违规发放津贴补贴3.2万元。",
        "persons": "张某（镇长）",
        "persons_count": 1,
        **extra,
    }
    return services.transfer_send(
        actor=bodies["office"], round=site["round"], kind=kind, receiver=bodies[receiver], target=site["target"], **data
    )


def test_send_writes_the_letter_and_the_package(site, bodies):
    p = problem(site, people="张某（镇长）")
    transfer = _send(site, bodies, problems=[p], papers=list(p.papers.all()))
    assert transfer.state == TransferState.SENT and transfer.team == site["team"]
    with open_stored(transfer.letter) as fh:
        text = "\n".join(x.text for x in Document(io.BytesIO(fh.read())).paragraphs)
    assert "关于移交张某违规发放津贴补贴问题线索的函" in text and "甲县纪委监委" in text
    assert "巡察发现问题：违规发放津贴补贴" in text and "问题底稿 1-" in text
    assert AuditEntry.objects.get(action="transfers.transfer.send").after["persons"] == 1


def test_a_body_without_a_receiver_account_is_refused(site, bodies, world):
    nobody = make_unit(world.a["county"], "甲县审计局", "department")
    bodies["nobody"] = nobody
    with pytest.raises(ServiceError, match="没有可以接收"):
        _send(site, bodies, receiver="nobody")
    # a receiver of the wrong kind does not count either: clues go to a discipline receiver
    with pytest.raises(ServiceError, match="没有可以接收"):
        _send(site, bodies, kind="clue", receiver="organisation")
    assert not Transfer.objects.exists()


def test_the_steps_in_order_by_the_right_people(site, bodies):
    transfer = _send(site, bodies)
    jw, zzb, office = bodies["jw"], bodies["zzb"], bodies["office"]
    with pytest.raises(PermissionDenied):
        services.transfer_transition(obj=transfer, action="acknowledge", actor=office)
    with pytest.raises(PermissionDenied):
        services.transfer_transition(obj=transfer, action="acknowledge", actor=zzb)
    transfer = services.transfer_transition(obj=transfer, action="acknowledge", actor=jw)
    with pytest.raises(ServiceError, match="处置方式"):
        services.transfer_transition(obj=transfer, action="dispose", actor=jw, data={"disposal": "nonsense"})
    transfer = services.transfer_transition(obj=transfer, action="dispose", actor=jw, data={"disposal": "verify"})
    with pytest.raises(ServiceError, match="办理结果"):
        services.transfer_transition(obj=transfer, action="report", actor=jw, data={"result": " "})
    transfer = services.transfer_transition(
        obj=transfer, action="report", actor=jw, data={"result": "经初步核实，问题属实，已给予诫勉处理。"}
    )
    with pytest.raises(PermissionDenied):
        services.transfer_transition(obj=transfer, action="close", actor=jw)
    transfer = services.transfer_transition(obj=transfer, action="close", actor=office)
    assert transfer.state == TransferState.CLOSED and transfer.disposal == "verify"
    assert transfer.acknowledged_on and transfer.reported_on and transfer.closed_on
    assert [e.action for e in transfer.events.all()] == ["acknowledge", "dispose", "report", "close"]


def test_skipping_a_step_is_refused(site, bodies):
    transfer = _send(site, bodies)
    with pytest.raises(ServiceError, match="已移交"):
        services.transfer_transition(obj=transfer, action="report", actor=bodies["jw"], data={"result": "x"})


def test_report_back_lateness_is_derived_and_filterable(site, bodies):
    today = timezone.localdate()
    late = _send(site, bodies, title="甲", sent_on=today - timedelta(days=100))
    fresh = _send(site, bodies, title="乙", sent_on=today - timedelta(days=10))
    reported = _send(site, bodies, title="丙", sent_on=today - timedelta(days=120))
    for action, data in (("acknowledge", {}), ("dispose", {"disposal": "talk"}), ("report", {"result": "已谈话"})):
        reported = services.transfer_transition(obj=reported, action=action, actor=bodies["jw"], data=data)
    clock = selectors.Clock(today)
    listed = {t.pk for t in selectors.transfer_list(user=bodies["office"], overdue=True, clock=clock)}
    assert listed == {late.pk}
    assert clock.due(Transfer.objects.select_related("round__jurisdiction").get(pk=fresh.pk)).overdue is False
    assert clock.due(Transfer.objects.select_related("round__jurisdiction").get(pk=reported.pk)) is None


def test_each_receiver_sees_only_what_was_sent_to_it(client, site, bodies):
    clue = _send(site, bodies, title="张某受贿")
    personnel = _send(site, bodies, kind="personnel", receiver="organisation", title="选人用人问题")
    for user, mine, other in ((bodies["jw"], clue, personnel), (bodies["zzb"], personnel, clue)):
        client.force_login(user)
        page = client.get(reverse("transfers:transfer_list")).content.decode()
        assert mine.title in page and other.title not in page
        assert client.get(reverse("transfers:transfer_detail", args=[mine.pk])).status_code == 200
        assert client.get(reverse("transfers:transfer_detail", args=[other.pk])).status_code == 404
        assert client.get(reverse("transfers:transfer_letter", args=[other.pk])).status_code == 404


@pytest.mark.parametrize(
    ("role", "where", "sees"),
    [
        (Role.OFFICE_HEAD, "county", True),
        (Role.OFFICE_STAFF, "county", True),
        (Role.LEADING_GROUP, "county", False),
        (Role.UNIT_LEADER, "town", False),
        (Role.SECTOR_RECEIVER, "county", True),  # over the whole county: a sector body above all units
        (Role.SUPERVISING_LEADER, "county", False),
        (Role.UPPER_OFFICE, "county", False),
        (Role.OFFICE_HEAD, "other", False),
    ],
)
def test_who_reaches_a_transfer(client, site, bodies, world, role, where, sees):
    transfer = _send(site, bodies)
    scope = {"county": world.a["county"], "town": world.a["town"], "other": world.b["county"]}[where]
    client.force_login(make_user(world.a["dept"], role, scope=scope))
    assert client.get(reverse("transfers:transfer_detail", args=[transfer.pk])).status_code == (200 if sees else 404)


def test_the_team_that_found_it_sees_it(client, site, bodies):
    transfer = _send(site, bodies)
    client.force_login(site["users"]["member"])
    assert client.get(reverse("transfers:transfer_detail", args=[transfer.pk])).status_code == 200


def test_the_receivers_workspace_flow_from_the_pages(client, site, bodies):
    transfer = _send(site, bodies)
    client.force_login(bodies["jw"])
    client.post(reverse("transfers:transfer_transition", args=[transfer.pk, "acknowledge"]))
    bad = client.post(
        reverse("transfers:transfer_transition", args=[transfer.pk, "dispose"]), {"dispose-disposal": "x"}, follow=True
    )
    assert "处置方式" in bad.content.decode()
    client.post(reverse("transfers:transfer_transition", args=[transfer.pk, "dispose"]), {"dispose-disposal": "case"})
    transfer.refresh_from_db()
    assert transfer.state == TransferState.HANDLING and transfer.disposal == "case"


def test_round_statistics_count_transfers_and_persons(client, site, bodies):
    _send(site, bodies, persons_count=2)
    _send(site, bodies, kind="personnel", receiver="organisation", persons_count=1)
    stats = selectors.transfer_stats(user=bodies["office"], round_id=site["round"].pk)
    assert (stats["total"], stats["persons"]) == (2, 3)
    clue_row = next(r for r in stats["rows"] if r["kind"] == "问题线索")
    assert (clue_row["transfers"], clue_row["persons"], clue_row["states"][0]) == (1, 2, 1)
    client.force_login(bodies["office"])
    page = client.get(reverse("transfers:round_stats", args=[site["round"].pk])).content.decode()
    assert "本轮共移交 2 件，涉及 3 人" in page


def test_send_from_the_form(client, site, bodies):
    client.force_login(bodies["office"])
    url = reverse("transfers:transfer_create", args=[site["round"].pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "kind": "clue",
            "receiver": bodies["commission"].pk,
            "target": site["target"].pk,
            "title": "线索",
            "summary": "内容",
            "persons_count": 1,
            "secrecy": "机密",
            "sent_on": timezone.localdate().isoformat(),
        },
    )
    assert response.status_code == 302 and Transfer.objects.count() == 1
    # a unit outside the jurisdiction is not even a choice
    outsider = OrgUnit.objects.exclude(path__startswith=site["round"].jurisdiction.path).first()
    again = client.post(url, {"kind": "clue", "receiver": outsider.pk, "title": "x", "summary": "y", "secrecy": "机密"})
    assert again.status_code == 200 and Transfer.objects.count() == 1


def test_the_register_query_count_does_not_grow_with_rows(client, site, bodies):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(bodies["office"])
    counts = []
    for n in (2, 12):
        while Transfer.objects.count() < n:
            _send(site, bodies, title=f"事项{Transfer.objects.count()}")
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("transfers:transfer_list")).status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1], counts
