"""Fieldwork services: records, papers with evidence through the review chain, fix notices."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from xuncha.accounts.permissions import Role
from xuncha.accounts.tests.factories import make_person, make_user
from xuncha.audit.models import AuditEntry
from xuncha.common.actors import SYSTEM
from xuncha.common.exceptions import ServiceError
from xuncha.fieldwork import services
from xuncha.fieldwork.models import FixState, PaperState, RecordKind
from xuncha.fieldwork.tests.factories import on_site, pdf
from xuncha.plans.models import TeamRole

TODAY = timezone.localdate()


@pytest.fixture
def site(world):
    return {**on_site(world), "world": world}


def _interview(site, actor, **kw):
    members = [m.person for m in site["team"].members.all()]
    data = {
        "title": "与党委书记谈话",
        "occurred_on": TODAY,
        "category": "main_leader",
        "interviewee_name": "某书记",
        "content": "谈话记录……",
        "interviewers": members[:2],
    }
    data.update(kw)
    return services.record_create(
        actor=actor, team=site["team"], target=site["target"], kind=RecordKind.INTERVIEW, **data
    )


def test_interview_needs_two_team_interviewers(site):
    leader = site["users"]["leader"]
    with pytest.raises(ServiceError, match="两名以上"):
        _interview(site, leader, interviewers=[leader.person])
    outsider = make_person(site["world"].a["dept"], "外人")
    with pytest.raises(ServiceError, match="不是本组成员"):
        _interview(site, leader, interviewers=[leader.person, outsider])
    record = _interview(site, leader)
    assert record.interviewers.count() == 2 and record.recorded_by == leader
    assert AuditEntry.objects.filter(action="fieldwork.record.create", target_id=str(record.pk)).exists()


def test_planned_interview_needs_no_interviewers_yet(site):
    record = _interview(site, site["users"]["member"], planned=True, occurred_on=None, interviewers=[])
    assert record.planned


def test_document_request_dates(site):
    with pytest.raises(ServiceError, match="归还日期"):
        services.record_create(
            actor=site["users"]["member"],
            team=site["team"],
            target=site["target"],
            kind=RecordKind.DOCUMENTS,
            title="调阅2025年会计凭证",
            occurred_on=TODAY,
            provider="镇财政所",
            handed_over_on=TODAY,
            returned_on=TODAY - timedelta(days=1),
        )


def test_only_team_members_write(site):
    staff = make_user(site["world"].a["dept"], Role.OFFICE_STAFF, scope=site["world"].a["county"])
    with pytest.raises(PermissionDenied):
        _interview(site, staff)


def test_no_fieldwork_before_entry(world):
    from xuncha.plans.tests.factories import make_round, make_staffed_team

    rnd = make_round(world.a["county"])
    team = make_staffed_team(rnd, [world.a["town"]], world.a["dept"])
    with pytest.raises(ServiceError, match="不在进驻或报告阶段"):
        services.record_create(
            actor=SYSTEM, team=team, target=rnd.targets.get(), kind=RecordKind.VISIT, title="走访", occurred_on=TODAY
        )


def _paper(site, actor, **kw):
    data = {
        "title": "违规发放津贴补贴",
        "facts": "2025年1月至6月，镇党委违规发放……共计3.2万元。",
        "basis": "《中国共产党纪律处分条例》第……条",
        "resp_principal": True,
        "amount": "32000.00",
    }
    data.update(kw)
    return services.paper_create(actor=actor, team=site["team"], target=site["target"], **data)


def test_paper_numbers_per_team(site):
    p1, p2 = _paper(site, site["users"]["member"]), _paper(site, site["users"]["member"], title="二")
    assert (p1.number, p2.number) == (1, 2) and p1.code == f"{site['team'].number}-001"


def test_empty_paper_cannot_be_submitted(site):
    paper = services.paper_create(actor=site["users"]["member"], team=site["team"], target=site["target"], title="待写")
    with pytest.raises(ServiceError) as exc:
        services.paper_transition(obj=paper, action="submit", actor=site["users"]["member"])
    text = " ".join(exc.value.messages)
    assert "问题事实" in text
    paper.refresh_from_db()
    assert paper.state == PaperState.DRAFT


def test_paper_walks_to_signature_with_evidence(site, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    member, deputy, leader = site["users"]["member"], site["users"]["deputy"], site["users"]["leader"]
    paper = _paper(site, member)
    with pytest.raises(ServiceError, match="证据"):
        services.paper_transition(obj=paper, action="submit", actor=member)
    items = services.paper_evidence_add(
        actor=member,
        paper=paper,
        uploads=[pdf("发放表.pdf"), pdf("会议记录.pdf")],
        description="津贴发放表及党委会记录",
        effective_date=date(2025, 6, 30),
    )
    assert [e.number for e in items] == [1, 2] and items[0].file.effective_date == date(2025, 6, 30)
    services.paper_transition(obj=paper, action="submit", actor=member)
    with pytest.raises(ServiceError, match="组长、副组长"):
        services.paper_transition(obj=paper, action="approve", actor=member, data={"comment": "同意"})
    with pytest.raises(ServiceError, match="组务会意见"):
        services.paper_transition(obj=paper, action="approve", actor=deputy, data={})
    services.paper_transition(obj=paper, action="approve", actor=deputy, data={"comment": "事实清楚，证据充分，同意。"})
    with pytest.raises(ServiceError, match="只有本组组长"):
        services.paper_transition(obj=paper, action="sign", actor=deputy)
    services.paper_transition(obj=paper, action="sign", actor=leader)
    paper.refresh_from_db()
    assert (
        paper.state == PaperState.SIGNED and paper.signed_by == leader and paper.meeting_opinion.startswith("事实清楚")
    )
    with pytest.raises(ServiceError, match="已提交"):
        services.paper_update(actor=member, paper=paper, title="改")
    assert paper.events.count() == 3


def test_return_needs_a_comment_and_reopens_the_draft(site, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    member, leader = site["users"]["member"], site["users"]["leader"]
    paper = _paper(site, member)
    services.paper_evidence_add(actor=member, paper=paper, uploads=[pdf()], description="证据")
    services.paper_transition(obj=paper, action="submit", actor=member)
    with pytest.raises(ServiceError, match="说明"):
        services.paper_transition(obj=paper, action="return", actor=leader, data={"comment": ""})
    services.paper_transition(obj=paper, action="return", actor=leader, data={"comment": "金额需核实"})
    paper.refresh_from_db()
    assert paper.state == PaperState.DRAFT
    services.paper_update(actor=member, paper=paper, amount="31800.00")


def test_bad_evidence_leaves_nothing(site, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    paper = _paper(site, site["users"]["member"])
    exe = SimpleUploadedFile("报告.pdf", b"MZ\x90\x00" + b"\x00" * 200)
    with pytest.raises(ServiceError):
        services.paper_evidence_add(
            actor=site["users"]["member"], paper=paper, uploads=[pdf(), exe], description="证据"
        )
    assert not paper.evidence.exists()
    assert not [p for p in tmp_path.rglob("*") if p.is_file()]  # no stray bytes either


def test_fix_notice_round_trip(site, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    member = site["users"]["member"]
    paper = _paper(site, member)
    with pytest.raises(ServiceError, match="提交组务会后"):
        services.fix_issue(actor=member, paper=paper, requirement="立即清退", due_on=TODAY + timedelta(days=15))
    services.paper_evidence_add(actor=member, paper=paper, uploads=[pdf()], description="证据")
    services.paper_transition(obj=paper, action="submit", actor=member)
    notice = services.fix_issue(
        actor=member, paper=paper, requirement="立即清退违规发放的津贴。", due_on=TODAY + timedelta(days=15)
    )
    unit_leader = make_user(site["world"].a["town"], Role.UNIT_LEADER, scope=site["world"].a["town"])
    other_unit = make_user(site["world"].a["dept"], Role.UNIT_LEADER, scope=site["world"].a["dept"])
    staff = make_user(site["world"].a["dept"], Role.OFFICE_STAFF, scope=site["world"].a["county"])
    with pytest.raises(PermissionDenied):
        services.fix_respond(actor=other_unit, notice=notice, response="已清退")
    with pytest.raises(ServiceError, match="尚未反馈"):
        services.fix_review(actor=staff, notice=notice, accept=True)
    services.fix_respond(actor=unit_leader, notice=notice, response="已全额清退3.2万元，附收据。")
    with pytest.raises(ServiceError, match="理由"):
        services.fix_review(actor=staff, notice=notice, accept=False)
    services.fix_review(actor=staff, notice=notice, accept=False, comment="缺少收据")
    notice.refresh_from_db()
    assert notice.state == FixState.RETURNED
    services.fix_respond(actor=unit_leader, notice=notice, response="补充收据。")
    services.fix_review(actor=staff, notice=notice, accept=True)
    notice.refresh_from_db()
    assert notice.state == FixState.ACCEPTED
    with pytest.raises(PermissionDenied):
        services.fix_review(actor=unit_leader, notice=notice, accept=True)


def test_team_roles_used(site):
    roles = set(site["team"].members.values_list("role", flat=True))
    assert roles == {TeamRole.LEADER, TeamRole.DEPUTY, TeamRole.MEMBER}
