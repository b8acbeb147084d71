"""Who reaches the findings pages. The office and the team see everything of their work; the
leading group problems and reports; the inspected unit only its feedback and problem list, once
sent — never papers, drafts or anything before feedback; receivers and other counties nothing."""

import pytest
from django.urls import reverse

from xuncha.accounts.permissions import Role
from xuncha.accounts.tests.factories import make_user
from xuncha.findings.services import feedback as feedback_services
from xuncha.findings.tests.factories import ready_feedback as _ready

STAFF_PAGES = ("team", "problems", "problem", "draft", "version", "compare", "feedback")
UNIT_PAGES = ("unit_list", "unit_detail", "document")


def _urls(site, report, feedback):
    problem = site["target"].problems.first()
    return {
        "team": reverse("findings:team_findings", args=[site["team"].pk]),
        "problems": reverse("findings:problem_list", args=[site["target"].pk]),
        "problem": reverse("findings:problem_detail", args=[problem.pk]),
        "draft": reverse("findings:draft_detail", args=[report.pk]),
        "version": reverse("findings:version_download", args=[report.pk, 1]),
        "compare": reverse("findings:version_compare", args=[report.pk, 1, 2]),
        "feedback": reverse("findings:feedback_detail", args=[feedback.pk]),
        "unit_list": reverse("findings:unit_feedback_list"),
        "unit_detail": reverse("findings:unit_feedback_detail", args=[feedback.pk]),
        "document": reverse("findings:feedback_document", args=[feedback.pk]),
    }


def _second_version(report, site, world):
    """A second version (after a return at the joint review), so that two can be compared."""
    from xuncha.findings.services import reports as report_services
    from xuncha.findings.services import sections as section_services
    from xuncha.findings.tests.factories import DECISION, office_user, walk

    report = report_services.draft_transition(
        obj=report, action="return_review", actor=office_user(world), data={**DECISION, "decision": "请修改。"}
    )
    member = site["users"]["member"]
    section_services.report_sections_save(actor=member, report=report, texts={"suggestions": "按意见修改的建议。"})
    report_services.version_generate(actor=member, report=report)
    return walk(report, site, world, until="approve")


@pytest.fixture
def sent(site, world):
    from xuncha.findings.models import DraftKind
    from xuncha.findings.tests.factories import draft, problem, walk

    problem(site, title="违规发放津贴补贴", description="2025年违规发放补贴3.2万元。")
    report = walk(draft(site, DraftKind.INSPECTION), site, world, until="pass_joint")
    report = _second_version(report, site, world)
    feedback = feedback_services.feedback_send(actor=site["users"]["leader"], feedback=_ready(site, world))
    return {"report": report, "feedback": feedback, "urls": _urls(site, report, feedback)}


def _user(world, role, where="county"):
    scope = {"county": world.a["county"], "town": world.a["town"], "other": world.b["county"]}[where]
    return make_user(world.a["dept"], role, scope=scope)


def _status(client, user, url):
    client.force_login(user)
    return client.get(url).status_code


@pytest.mark.parametrize("role", [Role.OFFICE_HEAD, Role.OFFICE_STAFF])
def test_the_office_sees_everything(client, sent, world, role):
    user = _user(world, role)
    for name in STAFF_PAGES + ("document",):
        assert _status(client, user, sent["urls"][name]) == 200, name


def test_the_team_sees_its_work(client, sent, site):
    for name in STAFF_PAGES:
        assert _status(client, site["users"]["member"], sent["urls"][name]) == 200, name


def test_the_leading_group_reads_problems_and_reports(client, sent, world):
    user = _user(world, Role.LEADING_GROUP)
    for name in ("problems", "problem", "draft", "feedback"):
        assert _status(client, user, sent["urls"][name]) == 200, name


@pytest.mark.parametrize("role", [Role.UNIT_LEADER, Role.UNIT_LIAISON])
def test_the_unit_sees_its_feedback_and_nothing_behind_it(client, sent, world, role):
    user = _user(world, role, "town")
    for name in UNIT_PAGES:
        assert _status(client, user, sent["urls"][name]) == 200, name
    for name in STAFF_PAGES:
        assert _status(client, user, sent["urls"][name]) in (403, 404), name
    client.force_login(user)
    page = client.get(sent["urls"]["unit_detail"]).content.decode()
    assert "违规发放津贴补贴" in page and "1-00" not in page  # the problem, not the paper behind it


def test_before_feedback_the_unit_sees_nothing(client, approved, site, world):
    feedback = _ready(site, world)
    user = _user(world, Role.UNIT_LEADER, "town")
    assert _status(client, user, reverse("findings:unit_feedback_detail", args=[feedback.pk])) == 404
    client.force_login(user)
    assert site["target"].unit.name not in client.get(reverse("findings:unit_feedback_list")).content.decode()


@pytest.mark.parametrize(
    ("role", "where"),
    [
        (Role.DISCIPLINE_RECEIVER, "county"),
        (Role.ORGANISATION_RECEIVER, "county"),
        (Role.SECTOR_RECEIVER, "county"),
        (Role.UPPER_OFFICE, "county"),
        (Role.OFFICE_HEAD, "other"),
    ],
)
def test_receivers_upper_office_and_other_counties_see_nothing(client, sent, world, role, where):
    user = _user(world, role, where)
    for name in STAFF_PAGES + ("unit_detail", "document"):
        assert _status(client, user, sent["urls"][name]) in (403, 404), (role, name)


def test_a_supervising_leader_reads_a_feedback_only_when_copied(client, sent, world):
    """Issue 13, finding 1: the role over the county opened every unit's feedback and its secret
    opinion. A county leader reads a feedback when it is copied to him (抄告), and then only it."""
    from xuncha.accounts.services import user_update
    from xuncha.common.actors import SYSTEM
    from xuncha.findings.models import CopyKind, FeedbackCopy

    user = _user(world, Role.SUPERVISING_LEADER)
    for name in ("unit_detail", "document", *STAFF_PAGES):
        assert _status(client, user, sent["urls"][name]) in (403, 404), name
    person = world.a["person"]
    user_update(actor=SYSTEM, user=user, full_name=person.name, unit=world.a["dept"], person=person)
    FeedbackCopy.objects.create(feedback=sent["feedback"], kind=CopyKind.SUPERVISING_LEADER, person=person)
    assert _status(client, user, sent["urls"]["unit_detail"]) == 200
    assert _status(client, user, sent["urls"]["document"]) == 200
    for name in STAFF_PAGES:
        assert _status(client, user, sent["urls"][name]) in (403, 404), name


def test_downloads_carry_the_recipient_and_are_audited(client, sent, world):
    import io

    from docx import Document

    from xuncha.audit.models import AuditEntry

    user = _user(world, Role.UNIT_LIAISON, "town")
    client.force_login(user)
    response = client.get(sent["urls"]["document"])
    doc = Document(io.BytesIO(response.content))
    footer = " ".join(p.text for s in doc.sections for p in s.footer.paragraphs)
    assert user.get_full_name() in footer
    assert AuditEntry.objects.filter(action="documents.export", actor=user).exists()


def test_team_pages_keep_their_query_count(client, sent, site, django_assert_max_num_queries):
    client.force_login(site["users"]["member"])
    for name, limit in (("team", 25), ("problems", 25), ("draft", 25), ("compare", 20), ("feedback", 30)):
        with django_assert_max_num_queries(limit):
            assert client.get(sent["urls"][name]).status_code == 200


@pytest.mark.parametrize(
    ("role", "where"),
    [
        (Role.LEADING_GROUP, "county"),
        (Role.UNIT_LEADER, "town"),
        (Role.DISCIPLINE_RECEIVER, "county"),
        (Role.OFFICE_HEAD, "other"),
    ],
)
def test_writing_the_parts_is_not_found_for_those_outside(client, sent, site, world, role, where):
    """Issue 16: the new pages go through the same access functions (404 for the forbidden)."""
    from xuncha.findings.models import SectionText

    user = _user(world, role, where)
    client.force_login(user)
    before = SectionText.objects.count()
    report, feedback = sent["report"], sent["feedback"]
    for name, pk, data in (("draft_sections", report.pk, {"overview": "x"}), ("feedback_sections", feedback.pk, {})):
        assert client.post(reverse(f"findings:{name}", args=[pk]), data).status_code == 404, name
    assert SectionText.objects.count() == before


def test_the_office_reads_the_comparison_but_the_parts_are_the_teams(client, sent, world):
    from xuncha.findings.models import SectionText

    office = _user(world, Role.OFFICE_STAFF)
    client.force_login(office)
    assert client.get(sent["urls"]["compare"]).status_code == 200
    before = SectionText.objects.count()
    # finding.edit comes from team membership only: to the office the form's address does not exist
    response = client.post(reverse("findings:draft_sections", args=[sent["report"].pk]), {"overview": "x"})
    assert response.status_code == 404 and SectionText.objects.count() == before
