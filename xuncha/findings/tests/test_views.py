"""The findings pages as the team and the office use them: forms post to the services, refusals
come back as messages naming the field, and hand-made choices outside the round are invalid."""

from django.urls import reverse
from django.utils import timezone

from xuncha.accounts.permissions import Role
from xuncha.accounts.tests.factories import make_user
from xuncha.findings.models import DraftState, FeedbackState, InspectionReport, Problem
from xuncha.findings.tests.factories import signed_paper


def _problem_post(site, paper, **extra):
    return {
        "papers": [paper.pk],
        "title": "违规发放津贴补贴",
        "description": "2025年违规发放补贴3.2万元。",
        "focus_items": [site["items"][1].pk],
        "disciplines": ["integrity"],
        "severity": "general",
        **extra,
    }


def test_assemble_a_problem_from_the_form(client, site):
    paper = signed_paper(site, title="村务公开不及时")
    client.force_login(site["users"]["member"])
    url = reverse("findings:problem_create", args=[site["target"].pk])
    page = client.get(url).content.decode()
    assert paper.code in page and "落实全面从严治党主体责任和监督责任情况" in page
    response = client.post(url, _problem_post(site, paper))
    assert response.status_code == 302
    problem = Problem.objects.get()
    assert list(problem.papers.all()) == [paper]
    # the same paper is no longer offered, and a forged id is an invalid choice
    assert paper.code not in client.get(url).content.decode()
    again = client.post(url, _problem_post(site, paper))
    assert again.status_code == 200 and Problem.objects.count() == 1


def test_a_focus_item_of_another_list_is_an_invalid_choice(client, site):
    from xuncha.findings.models import FocusItem

    paper = signed_paper(site)
    other = FocusItem.objects.filter(focus_list__name="三个聚焦").first()
    client.force_login(site["users"]["member"])
    url = reverse("findings:problem_create", args=[site["target"].pk])
    response = client.post(url, _problem_post(site, paper, focus_items=[other.pk]))
    assert response.status_code == 200 and "监督重点" in response.content.decode()
    assert not Problem.objects.exists()


def test_the_chain_from_the_pages(client, site, world):
    client.force_login(site["users"]["member"])
    paper = signed_paper(site)
    client.post(reverse("findings:problem_create", args=[site["target"].pk]), _problem_post(site, paper))
    response = client.post(
        reverse("findings:draft_create", args=[site["team"].pk]), {"kind": "inspection", "target": site["target"].pk}
    )
    report = InspectionReport.objects.get()
    assert response.status_code == 302 and report.versions.count() == 0  # its parts are written first
    parts = {"overview": "总体较好。", "suggestions": "加强管理。", "other": "", "generate": "1"}
    client.post(reverse("findings:draft_sections", args=[report.pk]), parts)
    assert report.versions.count() == 1
    assert client.get(reverse("findings:version_download", args=[report.pk, 1])).status_code == 200
    client.post(reverse("findings:draft_transition", args=[report.pk, "submit"]))
    report.refresh_from_db()
    assert report.state == DraftState.TEAM_MEETING
    # a member cannot record the team meeting; the leader can, and must fill the decision
    decision = {"decided_on": timezone.localdate().isoformat(), "meeting": "第1次组务会", "decision": "同意"}
    client.post(reverse("findings:draft_transition", args=[report.pk, "pass_team"]), decision, follow=True)
    report.refresh_from_db()
    assert report.state == DraftState.TEAM_MEETING
    client.force_login(site["users"]["leader"])
    empty = client.post(reverse("findings:draft_transition", args=[report.pk, "pass_team"]), {}, follow=True)
    assert "会议日期" in empty.content.decode()
    client.post(reverse("findings:draft_transition", args=[report.pk, "pass_team"]), decision)
    report.refresh_from_db()
    assert report.state == DraftState.LEADER
    # the office's queue lists it once the leader has passed it on
    client.post(reverse("findings:draft_transition", args=[report.pk, "pass_leader"]), decision)
    office = make_user(world.a["dept"], Role.OFFICE_STAFF, scope=world.a["county"])
    client.force_login(office)
    assert report.title in client.get(reverse("findings:office_queue")).content.decode()


def test_feedback_from_the_pages(client, site, world, approved):
    client.force_login(site["users"]["leader"])
    client.post(reverse("findings:feedback_prepare", args=[site["target"].pk]))
    feedback = site["target"].feedback
    today = timezone.localdate().isoformat()
    not_yet = client.post(reverse("findings:feedback_send", args=[feedback.pk]), {"sent_on": today}, follow=True)
    assert "反馈会议日期" in not_yet.content.decode()
    form = {
        "meeting_on": today,
        "meeting_place": "镇会议室",
        "main_leader": world.a["person"].pk,
        "main_leader_on": today,
        "copy_discipline": world.a["dept"].pk,
    }
    assert client.post(reverse("findings:feedback_update", args=[feedback.pk]), form).status_code == 302
    not_yet = client.post(reverse("findings:feedback_send", args=[feedback.pk]), {"sent_on": today}, follow=True)
    assert "请先填写“总体评价”。" in not_yet.content.decode()
    client.post(reverse("findings:feedback_sections", args=[feedback.pk]), {"evaluation": "总体较好。"})
    client.post(reverse("findings:feedback_send", args=[feedback.pk]), {"sent_on": today})
    feedback.refresh_from_db()
    assert feedback.state == FeedbackState.SENT and feedback.copies.count() == 1
    twice = client.post(reverse("findings:feedback_send", args=[feedback.pk]), {"sent_on": today}, follow=True)
    assert "不能重复反馈" in twice.content.decode()
