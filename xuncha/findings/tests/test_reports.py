"""The team's reports: generated Word versions that open and list every problem, the review chain
with a decision per step, a return that demands a new version, and who may decide each step."""

import io
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from docx import Document

from xuncha.common.exceptions import ServiceError
from xuncha.files.storage import open_stored
from xuncha.findings.models import DraftKind, DraftState, ReviewDecision
from xuncha.findings.services import problems as problem_services
from xuncha.findings.services import reports as services
from xuncha.findings.tests.factories import DECISION, office_user, problem, signed_paper, walk, written
from xuncha.findings.tests.factories import draft as draft_for
from xuncha.findings.workflow import DRAFT_WORKFLOW


def _text(version) -> str:
    with open_stored(version.file) as fh:
        doc = Document(io.BytesIO(fh.read()))
    return "\n".join(p.text for p in doc.paragraphs)


def _office(world):
    return office_user(world)


@pytest.fixture
def draft(site):
    problem(site, title="违规发放津贴补贴", description="2025年违规发放补贴3.2万元。")
    problem(site, item=2, title="选人用人不规范", description="2024年提拔干部未经民主推荐。", people="李某")
    return draft_for(site, DraftKind.INSPECTION)


def _walk(report, site, world, until: str):
    return walk(report, site, world, until)


def test_generated_draft_opens_and_lists_every_problem_by_focus_item(draft, site):
    version = draft.versions.get()
    assert version.number == 1 and version.source == "generated"
    text = _text(version)
    assert "关于巡察" in draft.title and draft.title in text
    assert "（一）落实党的理论路线方针政策" in text and "（二）落实全面从严治党主体责任和监督责任情况" not in text
    assert "1. 违规发放津贴补贴。2025年违规发放补贴3.2万元。" in text
    assert "2. 选人用人不规范。" in text and "（二）落实新时代党的组织路线情况" in text
    assert "个别谈话" in text and "形成问题底稿2份" in text


def test_the_chain_records_a_decision_at_each_step_and_approves(draft, site, world):
    report = _walk(draft, site, world, until="approve")
    assert report.state == DraftState.APPROVED and report.approved_on == DECISION["decided_on"]
    steps = list(ReviewDecision.objects.filter(report=report).values_list("from_state", "to_state"))
    assert steps == [
        ("team_meeting", "leader"),
        ("leader", "joint_review"),
        ("joint_review", "leading_group"),
        ("leading_group", "secretary"),
        ("secretary", "approved"),
    ]


def test_a_return_needs_a_new_version_before_it_goes_up_again(draft, site, world):
    report = _walk(draft, site, world, until="pass_leader")
    office = _office(world)
    report = services.draft_transition(
        obj=report, action="return_review", actor=office, data={**DECISION, "decision": "问题定性不准，请修改。"}
    )
    assert report.state == DraftState.RETURNED
    with pytest.raises(ServiceError, match="新的版本"):
        services.draft_transition(obj=report, action="submit", actor=site["users"]["member"])
    # the team's edit in Word: the suggestions reworded
    edited = {**written("inspection"), "suggestions": "建议镇党委按组办会商意见修改问题定性。"}
    upload = SimpleUploadedFile(
        "修改稿.docx",
        services.render_for(
            kind="inspection_report",
            jurisdiction=site["round"].jurisdiction,
            context=lambda: services.CONTEXT[report.kind](report, today=timezone.localdate(), sections=edited),
        )[0],
    )
    with pytest.raises(ServiceError, match="修改了什么"):
        services.version_upload(actor=site["users"]["member"], report=report, upload=upload)
    services.version_upload(actor=site["users"]["member"], report=report, upload=upload, note="按组办会商意见修改定性")
    report = services.draft_transition(obj=report, action="submit", actor=site["users"]["member"])
    assert report.state == DraftState.TEAM_MEETING and report.versions.count() == 2


def test_who_decides_each_step(draft, site, world):
    member, deputy, leader = site["users"]["member"], site["users"]["deputy"], site["users"]["leader"]
    report = services.draft_transition(obj=draft, action="submit", actor=member)
    with pytest.raises(ServiceError, match="组长、副组长"):
        services.draft_transition(obj=report, action="pass_team", actor=member, data=DECISION)
    report = services.draft_transition(obj=report, action="pass_team", actor=deputy, data=DECISION)
    with pytest.raises(ServiceError, match="只有本组组长"):
        services.draft_transition(obj=report, action="pass_leader", actor=deputy, data=DECISION)
    report = services.draft_transition(obj=report, action="pass_leader", actor=leader, data=DECISION)
    # the office's meetings are not the team's to record, and the team's steps are not the office's
    with pytest.raises(PermissionDenied):
        services.draft_transition(obj=report, action="pass_joint", actor=leader, data=DECISION)
    with pytest.raises(ServiceError, match="会议日期、会议、审议意见"):
        services.draft_transition(obj=report, action="pass_joint", actor=_office(world), data={})
    with pytest.raises(ServiceError, match="晚于今天"):
        future = {**DECISION, "decided_on": timezone.localdate() + timedelta(days=1)}
        services.draft_transition(obj=report, action="pass_joint", actor=_office(world), data=future)


def test_skipping_a_step_is_refused(draft, site, world):
    with pytest.raises(ServiceError, match="起草中"):
        services.draft_transition(obj=draft, action="approve", actor=_office(world), data=DECISION)


def test_problems_freeze_while_the_report_is_reviewed(draft, site):
    services.draft_transition(obj=draft, action="submit", actor=site["users"]["member"])
    p = draft.target.problems.first()
    with pytest.raises(ServiceError, match="正在审议或已审定"):
        problem_services.problem_update(actor=site["users"]["member"], problem=p, title="改")
    with pytest.raises(ServiceError, match="正在审议或已审定"):
        problem(site, paper=signed_paper(site, "新问题"))
    with pytest.raises(ServiceError, match="不能更换文稿"):
        services.version_generate(actor=site["users"]["member"], report=draft)


def test_clue_and_thematic_reports(site):
    problem(site, title="违规发放津贴补贴", people="张某（镇长）", severity="serious")
    member = site["users"]["member"]
    clue = services.draft_create(actor=member, team=site["team"], kind=DraftKind.CLUE, target=site["target"])
    text = _text(clue.versions.get())
    assert "机密" in text and "涉及人员：张某（镇长）" in text and "问题底稿1-" in text
    with pytest.raises(ServiceError, match="已经存在"):
        services.draft_create(actor=member, team=site["team"], kind=DraftKind.CLUE, target=site["target"])
    with pytest.raises(ServiceError, match="专题"):
        services.draft_create(actor=member, team=site["team"], kind=DraftKind.THEMATIC)
    thematic = services.draft_create(
        actor=member, team=site["team"], kind=DraftKind.THEMATIC, theme="惠民惠农资金管理", sections=written("thematic")
    )
    assert "关于惠民惠农资金管理的专题报告" in _text(thematic.versions.get())


def test_an_inspection_report_without_problems_cannot_go_up(site):
    report = draft_for(site, DraftKind.INSPECTION)
    with pytest.raises(ServiceError, match="列明发现的问题"):
        services.draft_transition(obj=report, action="submit", actor=site["users"]["member"])


@pytest.mark.parametrize(
    ("state", "action"), [(s, t.action) for s in DraftState.values for t in DRAFT_WORKFLOW.transitions]
)
def test_every_state_action_pair_is_in_the_table(state, action):
    expected = {
        ("draft", "submit"),
        ("returned", "submit"),
        ("team_meeting", "pass_team"),
        ("leader", "pass_leader"),
        ("joint_review", "pass_joint"),
        ("leading_group", "pass_group"),
        ("secretary", "approve"),
        ("team_meeting", "return_team"),
        ("leader", "return_team"),
        ("joint_review", "return_review"),
        ("leading_group", "return_review"),
        ("secretary", "return_review"),
    }
    assert DRAFT_WORKFLOW.allows(state, action) == ((state, action) in expected)
