"""The register and the report page as staff use them: filters, deadlines, triage buttons,
identity unlock by the custodian only, and query counts that do not grow with the rows."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from xuncha.accounts.permissions import ROLE_PERMS, Perm, Role
from xuncha.accounts.tests.factories import make_user
from xuncha.audit.models import AuditEntry
from xuncha.intake import services
from xuncha.intake.models import IdentityUnlock, Report, ReportState

NAMED = {"name": "王五", "phone": "13800000000", "address": "青山镇东街1号"}


def _file(window, what="村道工程指定亲属承包。", contact=None):
    return services.report_file(
        announcement=window["announcement"], content={"what": what, "people": "张明"}, contact=contact
    ).report


@pytest.fixture
def office_head(window):
    world = window["world"]
    return make_user(world.a["dept"], Role.OFFICE_HEAD, scope=world.a["county"])


def test_list_shows_deadlines_and_filters_overdue(client, window):
    late, fresh = _file(window, "甲"), _file(window, "乙")
    Report.objects.filter(pk=late.pk).update(received_on=timezone.localdate() - timedelta(days=20))
    client.force_login(window["users"]["member"])
    page = client.get(reverse("intake:report_list")).content.decode()
    assert "逾期5天" in page and "table-danger" in page
    page = client.get(reverse("intake:report_list"), {"overdue": "on"}).content.decode()
    assert late.intake_no in page and fresh.intake_no not in page
    page = client.get(reverse("intake:report_list"), {"state": "closed"}).content.decode()
    assert "没有符合条件的信访举报" in page
    # a bad filter value is ignored, not a 500
    assert client.get(reverse("intake:report_list"), {"state": "nonsense"}).status_code == 200


def test_list_query_count_does_not_grow_with_rows(client, window, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(window["users"]["member"])
    counts = []
    for n in (2, 20):
        while Report.objects.count() < n:
            _file(window, f"第{Report.objects.count()}件")
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("intake:report_list")).status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1], counts


def test_detail_offers_the_steps_of_the_state_and_posts_them(client, window):
    report = _file(window)
    client.force_login(window["users"]["member"])
    page = client.get(report.get_absolute_url()).content.decode()
    for label in ("受理", "转交有关部门", "不予受理"):
        assert label in page
    assert "办结</button>" not in page  # not offered before acceptance
    url = reverse("intake:report_transition", args=[report.pk, "accept"])
    bad = client.post(url, {"accept-subject": "other", "accept-disciplines": ["work"], "accept-reply": "好"})
    assert bad.status_code == 302
    report.refresh_from_db()
    assert report.state == ReportState.RECEIVED
    client.post(url, {"accept-subject": "leadership", "accept-disciplines": ["work"], "accept-reply": "已受理"})
    report.refresh_from_db()
    assert report.state == ReportState.ACCEPTED
    page = client.get(report.get_absolute_url()).content.decode()
    assert "工作纪律" in page and "已答复举报人" in page
    assert client.post(reverse("intake:report_transition", args=[report.pk, "nonsense"])).status_code == 404


def test_duplicates_panel_and_merge_button(client, window):
    first = _file(window, "镇党委书记张明在村道工程中指定亲属承包。")
    second = _file(window, "张明书记把修村道的工程给了亲属承包。")
    client.force_login(window["users"]["member"])
    page = client.get(second.get_absolute_url()).content.decode()
    assert "可能重复的举报" in page and first.intake_no in page and "同一被反映人" in page
    client.post(
        reverse("intake:report_transition", args=[second.pk, "merge"]),
        {"merge-into": first.pk, "merge-reply": "合并办理。"},
    )
    second.refresh_from_db()
    assert second.merged_into == first and second.state == ReportState.MERGED


@pytest.mark.parametrize("role", list(Role))
def test_only_the_custodian_unlocks_identity(client, window, role):
    report = _file(window, contact=NAMED)
    world = window["world"]
    scope = world.a["town"] if role in (Role.UNIT_LEADER, Role.UNIT_LIAISON) else world.a["county"]
    user = window["users"]["leader"] if role == Role.TEAM_MEMBER else make_user(world.a["dept"], role, scope=scope)
    client.force_login(user)
    page = client.get(report.get_absolute_url())
    assert "13800000000" not in page.content.decode()
    response = client.post(
        reverse("intake:identity_unlock", args=[report.pk]), {"reason": "须当面核实举报内容，联系举报人"}
    )
    if role == Role.OFFICE_HEAD:
        assert response.status_code == 200 and "13800000000" in response.content.decode()
        unlock = IdentityUnlock.objects.get()
        assert unlock.custodian == user and unlock.reason.startswith("须当面核实")
        entry = AuditEntry.objects.get(action="intake.identity.unlock")
        assert entry.after["reason"].startswith("须当面核实") and "13800000000" not in str(entry.after)
    else:
        assert response.status_code == 404, role
        assert not IdentityUnlock.objects.exists()
    assert (
        Perm.REPORT_UNLOCK in ROLE_PERMS[role]
        if role == Role.OFFICE_HEAD
        else Perm.REPORT_UNLOCK not in ROLE_PERMS[role]
    )


def test_unlock_needs_a_reason_and_a_named_report(client, window, office_head):
    named, anonymous = _file(window, contact=NAMED), _file(window)
    client.force_login(office_head)
    short = client.post(reverse("intake:identity_unlock", args=[named.pk]), {"reason": "看看"})
    assert short.status_code == 400 and "13800000000" not in short.content.decode()
    anon = client.post(
        reverse("intake:identity_unlock", args=[anonymous.pk]), {"reason": "须当面核实举报内容，联系举报人"}
    )
    assert anon.status_code == 400 and "匿名举报" in anon.content.decode()
    assert not IdentityUnlock.objects.exists()
    # each look is its own record: the page after a reload shows the identity no more
    client.post(reverse("intake:identity_unlock", args=[named.pk]), {"reason": "须当面核实举报内容，联系举报人"})
    assert "13800000000" not in client.get(named.get_absolute_url()).content.decode()
    assert "解锁举报人身份" in client.get(named.get_absolute_url()).content.decode()


def test_detail_query_count_is_bounded(client, window, django_assert_max_num_queries):
    report = _file(window)
    for n in range(5):
        services.message_add(report=report, side="reporter", text=f"补充{n}")
    client.force_login(window["users"]["member"])
    with django_assert_max_num_queries(40):
        assert client.get(report.get_absolute_url()).status_code == 200


def test_linked_papers_show_their_reports_and_are_not_offered_again(client, window):
    from xuncha.fieldwork.services import papers as paper_services

    report = _file(window)
    member = window["users"]["member"]
    paper = paper_services.paper_create(actor=member, team=window["team"], target=window["target"], title="村道工程")
    services.report_transition(
        obj=report,
        action="accept",
        actor=member,
        data={"subject": "leadership", "disciplines": ["integrity"], "reply": "已受理"},
    )
    client.force_login(member)
    url = reverse("intake:report_transition", args=[report.pk, "link"])
    assert client.post(url, {"link-papers": [paper.pk]}).status_code == 302
    page = client.get(report.get_absolute_url()).content.decode()
    assert f'name="link-papers" value="{paper.pk}"' not in page
    assert report.intake_no in client.get(paper.get_absolute_url()).content.decode()
    # a unit user who may see papers' fix notices never sees the report behind the paper
    world = window["world"]
    client.force_login(make_user(world.a["dept"], Role.UNIT_LEADER, scope=world.a["town"]))
    assert client.get(paper.get_absolute_url()).status_code == 404


@pytest.mark.parametrize(
    ("action", "data", "says"),
    [
        ("accept", {"accept-subject": "evil", "accept-disciplines": ["work"], "accept-reply": "好"}, "反映对象"),
        ("accept", {"accept-subject": "leadership", "accept-disciplines": ["nope"], "accept-reply": "好"}, "涉及纪律"),
        ("reject", {"reject-reply": "长" * 3000}, "给举报人的答复"),
        ("forward", {"forward-forwarded_to": "", "forward-reply": "好"}, "转交单位"),
        ("merge", {"merge-into": "999999", "merge-reply": "好"}, "并入举报"),
    ],
)
def test_bad_triage_input_is_refused_with_the_field_named(client, window, action, data, says):
    report = _file(window)
    _file(window, "另一件")
    client.force_login(window["users"]["member"])
    response = client.post(reverse("intake:report_transition", args=[report.pk, action]), data, follow=True)
    page = response.content.decode()
    assert response.status_code == 200 and says in page and "alert-danger" in page
    report.refresh_from_db()
    assert report.state == ReportState.RECEIVED and not report.events.exists() and not report.messages.exists()


def test_markup_in_a_reply_is_inert_for_staff_and_reporter(client, window):
    filed = services.report_file(announcement=window["announcement"], content={"what": "<b>粗体</b>"})
    member = window["users"]["member"]
    services.report_transition(
        obj=filed.report, action="reject", actor=member, data={"reply": "<script>alert(1)</script>"}
    )
    client.force_login(member)
    page = client.get(filed.report.get_absolute_url()).content.decode()
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page and "<b>粗体</b>" not in page
    client.logout()
    session = client.session
    session["intake_report"] = filed.report.pk
    session.save()
    page = client.get(reverse("intake_public:follow_up_view")).content.decode()
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page
    assert "不予受理" in page and "不再接收补充材料" in page
