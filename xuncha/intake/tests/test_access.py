"""Who can reach a report: the office of the county and the team that covers the unit. Units,
receivers, other teams and other counties cannot, and get 404 as if it did not exist."""

import pytest
from django.urls import reverse

from xuncha.accounts import services as accounts
from xuncha.accounts.permissions import ROLE_PERMS, Perm, Role
from xuncha.accounts.tests.factories import make_person, make_unit, make_user
from xuncha.common.actors import SYSTEM
from xuncha.fieldwork.tests.factories import PDF
from xuncha.intake import services
from xuncha.plans.models import Team, TeamMember, TeamRole


@pytest.fixture
def filed(window):
    from django.core.files.uploadedfile import SimpleUploadedFile

    result = services.report_file(
        announcement=window["announcement"], content={"what": "问题"}, uploads=[SimpleUploadedFile("a.pdf", PDF)]
    )
    return {**window, "report": result.report}


def _pages(report):
    attachment = report.attachments.get()
    return [
        ("get", reverse("intake:report_detail", args=[report.pk])),
        ("get", reverse("intake:attachment_download", args=[report.pk, attachment.pk])),
        ("post", reverse("intake:report_reply", args=[report.pk])),
    ]


@pytest.mark.parametrize("role", [r for r in Role if r != Role.TEAM_MEMBER])
def test_roles_inside_the_county(client, filed, role):
    world = filed["world"]
    scope = world.a["town"] if role in (Role.UNIT_LEADER, Role.UNIT_LIAISON) else world.a["county"]
    client.force_login(make_user(world.a["dept"], role, scope=scope))
    may_read = Perm.REPORT_VIEW in ROLE_PERMS[role]
    for method, url in _pages(filed["report"]):
        response = getattr(client, method)(url, {"text": "答复"} if method == "post" else None)
        expected = (302 if method == "post" else 200) if may_read else 404
        assert response.status_code == expected, (role, url)


def test_office_of_another_county_gets_404(client, filed):
    world = filed["world"]
    client.force_login(make_user(world.b["dept"], Role.OFFICE_HEAD, scope=world.b["county"]))
    for method, url in _pages(filed["report"]):
        assert getattr(client, method)(url).status_code == 404


def test_own_team_reads_and_answers_other_team_cannot(client, filed):
    member = filed["users"]["member"]
    client.force_login(member)
    for method, url in _pages(filed["report"]):
        assert getattr(client, method)(url, {"text": "请补充"} if method == "post" else None).status_code in (200, 302)
    # a member of another team of the same round
    world = filed["world"]
    team2 = Team.objects.create(round=filed["round"], number=9)
    stranger = make_person(make_unit(world.a["county"], "别的单位", "department"), "二组")
    TeamMember.objects.create(team=team2, person=stranger, role=TeamRole.MEMBER)
    user = make_user(world.a["dept"], username="other_team")
    accounts.user_update(actor=SYSTEM, user=user, full_name="二组", unit=world.a["dept"], person=stranger)
    client.force_login(user)
    for method, url in _pages(filed["report"]):
        assert getattr(client, method)(url).status_code == 404


def test_reading_a_report_is_audited(client, filed):
    from xuncha.audit.models import AuditEntry

    client.force_login(filed["users"]["leader"])
    client.get(filed["report"].get_absolute_url())
    assert AuditEntry.objects.filter(action="intake.report.view", target_id=str(filed["report"].pk)).exists()


def test_staff_register_a_letter_for_their_units_only(client, window):
    from datetime import timedelta

    from django.utils import timezone

    from xuncha.intake.models import Report

    three_days_ago = timezone.localdate() - timedelta(days=3)
    member = window["users"]["member"]
    client.force_login(member)
    url = reverse("intake:report_register")
    page = client.get(url).content.decode()
    assert window["target"].unit.name in page
    response = client.post(
        url,
        {
            "announcement": window["announcement"].pk,
            "channel": "letter",
            "received_on": three_days_ago.isoformat(),
            "what": "来信反映……",
            "name": "王五",
        },
    )
    assert response.status_code == 302
    report = Report.objects.get()
    assert report.channel == "letter" and not report.anonymous and report.receipt_hash is None
    assert report.registered_by == member and report.received_on == three_days_ago
    assert services.open_json(report, "contact")["name"] == "王五"
    # online reports come only from the public form
    bad = client.post(url, {"announcement": window["announcement"].pk, "channel": "online", "what": "x"})
    assert bad.status_code == 200 and Report.objects.count() == 1


def test_units_and_receivers_cannot_register(client, window):
    world = window["world"]
    for role, scope in ((Role.UNIT_LEADER, world.a["town"]), (Role.DISCIPLINE_RECEIVER, world.a["county"])):
        client.force_login(make_user(world.a["dept"], role, scope=scope))
        assert client.get(reverse("intake:report_register")).status_code == 403
