"""Issue 16, finding 5: the parts of a report only people can write (基本情况和总体评价, 意见建议,
其他事项; a thematic report's 基本情况 and 原因分析和意见建议; the feedback opinion's 总体评价) were
placeholders ("此部分由巡察组撰写") nobody could fill in inside the system.

Now the team writes them on the report's page; each save is a revision (who, when, what), audited;
generating puts the text into the document as body paragraphs, one per paragraph written; a
required part left empty stops the document with a message naming it, never a placeholder."""

import io

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from docx import Document

from xuncha.audit.models import AuditEntry
from xuncha.common.exceptions import ServiceError
from xuncha.files.models import StoredFile
from xuncha.files.storage import open_stored
from xuncha.findings.models import DraftKind, SectionText
from xuncha.findings.services import feedback as feedback_services
from xuncha.findings.services import reports as services
from xuncha.findings.services import sections as section_services
from xuncha.findings.tests.factories import draft, office_user, problem, ready_feedback, walk, written

PLACEHOLDER = "此部分由巡察组撰写"


def _paragraphs(stored) -> list:
    with open_stored(stored) as fh:
        return Document(io.BytesIO(fh.read())).paragraphs


def _text(stored) -> str:
    return "\n".join(p.text for p in _paragraphs(stored))


@pytest.fixture
def problems(site):
    problem(site, title="违规发放津贴补贴", description="2025年违规发放补贴3.2万元。")
    clue = {"people": "李某", "severity": "serious"}
    problem(site, item=2, title="选人用人不规范", description="2024年提拔干部未经民主推荐。", **clue)
    return site


def _new(site, kind=DraftKind.INSPECTION, **data):
    if kind != DraftKind.THEMATIC:
        data.setdefault("target", site["target"])
    return services.draft_create(actor=site["users"]["member"], team=site["team"], kind=kind, **data)


def test_a_report_without_its_written_parts_is_not_generated(problems):
    files = StoredFile.objects.count()  # the papers' evidence
    report = _new(problems)
    assert report.versions.count() == 0 and StoredFile.objects.count() == files
    with pytest.raises(ServiceError) as exc:
        services.version_generate(actor=problems["users"]["member"], report=report)
    assert exc.value.messages == ["请先填写“基本情况和总体评价”。", "请先填写“意见建议”。"]
    section_services.report_sections_save(
        actor=problems["users"]["member"], report=report, texts={"overview": "总体较好。", "suggestions": "  "}
    )
    with pytest.raises(ServiceError, match="请先填写“意见建议”。"):
        services.version_generate(actor=problems["users"]["member"], report=report)
    assert report.versions.count() == 0 and StoredFile.objects.count() == files


def test_the_written_parts_are_body_paragraphs_of_the_document(problems):
    texts = written("inspection", other="另有一项信访事项已转县信访局。")
    report = _new(problems, sections=texts)
    version = report.versions.get()
    paragraphs = _paragraphs(version.file)
    text = "\n".join(p.text for p in paragraphs)
    assert PLACEHOLDER not in text
    by_text = {p.text: p for p in paragraphs}
    # one paragraph per paragraph written (split on the blank line), in the body style
    first, second = "青山镇党委认真贯彻落实上级决策部署，班子总体团结。", "但在落实全面从严治党主体责任方面仍有差距。"
    assert by_text[first].style.name == "Normal" and by_text[second].style.name == "Normal"
    order = [p.text for p in paragraphs]
    assert order.index("一、基本情况和总体评价") < order.index(first) < order.index(second)
    assert order.index(second) < order.index("二、发现的主要问题")
    assert order.index("三、意见建议") < order.index("建议镇党委切实履行主体责任，健全财务管理制度。")
    assert "另有一项信访事项已转县信访局。" in text and "另行专题报告" in text  # the clue count stays the system's
    # the version keeps what it was made from
    snapshot = version.snapshot
    assert snapshot["sections"]["overview"] == texts["overview"]
    assert [p["title"] for p in snapshot["problems"]] == ["违规发放津贴补贴", "选人用人不规范"]
    assert snapshot["problems"][0]["text"] == "2025年违规发放补贴3.2万元。"
    assert len(version.content_hash) == 64 and first in snapshot["paragraphs"]


def test_single_line_breaks_join_and_blank_lines_split(problems):
    report = _new(problems, sections=written("inspection", suggestions="第一条建议，\n接着写。\n\n\n第二条建议。"))
    text = [p.text for p in _paragraphs(report.versions.get().file)]
    assert "第一条建议，接着写。" in text and "第二条建议。" in text


def test_each_save_is_a_revision_and_is_audited(problems):
    member = problems["users"]["member"]
    report = _new(problems)
    section_services.report_sections_save(actor=member, report=report, texts={"overview": "初稿。"})
    section_services.report_sections_save(actor=member, report=report, texts={"overview": "初稿。"})  # unchanged
    section_services.report_sections_save(
        actor=member, report=report, texts={"overview": "改稿。", "suggestions": "建议。"}
    )
    rows = list(SectionText.objects.filter(report=report, key="overview").values_list("revision", "text"))
    assert rows == [(2, "改稿。"), (1, "初稿。")]
    assert section_services.current_texts(report) == {"overview": "改稿。", "suggestions": "建议。", "other": ""}
    entries = AuditEntry.objects.filter(action="findings.draft.sections").order_by("seq")
    assert entries.count() == 2
    assert entries.last().after == {"overview": 2, "suggestions": 1}


def test_only_the_team_writes_and_only_while_drafting_or_returned(problems, world):
    report = _new(problems, sections=written("inspection"))
    with pytest.raises(PermissionDenied):
        section_services.report_sections_save(actor=office_user(world), report=report, texts={"overview": "改"})
    with pytest.raises(ServiceError, match="没有“conclusion”"):
        section_services.report_sections_save(
            actor=problems["users"]["member"], report=report, texts={"conclusion": "改"}
        )
    report = walk(report, problems, world, until="submit")
    with pytest.raises(ServiceError, match="正在审议或已审定"):
        section_services.report_sections_save(
            actor=problems["users"]["member"], report=report, texts={"overview": "改"}
        )
    assert not SectionText.objects.filter(report=report, text="改").exists()


def test_a_thematic_report_has_its_own_parts_and_a_clue_report_none(problems):
    thematic = _new(problems, kind=DraftKind.THEMATIC, theme="选人用人")
    with pytest.raises(ServiceError) as exc:
        services.version_generate(actor=problems["users"]["member"], report=thematic)
    assert exc.value.messages == ["请先填写“基本情况”。", "请先填写“原因分析和意见建议”。"]
    section_services.report_sections_save(actor=problems["users"]["member"], report=thematic, texts=written("thematic"))
    text = _text(services.version_generate(actor=problems["users"]["member"], report=thematic).file)
    assert "全县惠民惠农补贴资金总体运行平稳。" in text and "建议完善制度" in text and PLACEHOLDER not in text
    clue = _new(problems, kind=DraftKind.CLUE)
    assert clue.versions.count() == 1  # nothing to write: generated at once


def test_the_feedback_opinion_needs_its_overall_evaluation(approved, site, world):
    leader = site["users"]["leader"]
    feedback = ready_feedback(site, world)
    section_services.feedback_sections_save(actor=leader, feedback=feedback, texts={"evaluation": ""})
    with pytest.raises(ServiceError, match="请先填写“总体评价”。"):
        feedback_services.feedback_send(actor=leader, feedback=feedback)
    section_services.feedback_sections_save(
        actor=leader, feedback=feedback, texts={"evaluation": "总体评价第一段。\n\n总体评价第二段。"}
    )
    feedback = feedback_services.feedback_send(actor=leader, feedback=feedback)
    paragraphs = [p.text for p in _paragraphs(feedback.document)]
    at = paragraphs.index
    assert at("一、总体评价") < at("总体评价第一段。") < at("总体评价第二段。")
    assert PLACEHOLDER not in "\n".join(paragraphs)
    assert AuditEntry.objects.get(action="findings.feedback.send").after["sections"] == {"evaluation": 3}
    with pytest.raises(ServiceError, match="已反馈"):
        section_services.feedback_sections_save(actor=leader, feedback=feedback, texts={"evaluation": "又改"})
    # the unit reads the opinion once sent; it never writes it
    from xuncha.accounts.permissions import Role
    from xuncha.accounts.tests.factories import make_user

    unit = make_user(world.a["town"], Role.UNIT_LEADER, scope=world.a["town"])
    with pytest.raises(PermissionDenied):
        section_services.feedback_sections_save(actor=unit, feedback=feedback, texts={"evaluation": "x"})


# --- the pages ----------------------------------------------------------------------------------


def test_the_team_writes_the_parts_on_the_report_page_and_generates(client, problems, django_assert_max_num_queries):
    report = _new(problems)
    url = reverse("findings:draft_detail", args=[report.pk])
    client.force_login(problems["users"]["member"])
    page = client.get(url).content.decode()
    assert "基本情况和总体评价" in page and 'name="overview"' in page and "尚未生成文稿" in page
    save = reverse("findings:draft_sections", args=[report.pk])
    response = client.post(save, {"overview": "总体较好。", "suggestions": "", "other": ""}, follow=True)
    assert "已保存" in response.content.decode()
    half = {"overview": "总体较好。", "suggestions": "", "other": "", "generate": "1"}
    response = client.post(save, half, follow=True)
    assert "请先填写“意见建议”。" in response.content.decode() and report.versions.count() == 0
    response = client.post(
        save, {"overview": "总体较好。", "suggestions": "加强管理。", "other": "", "generate": "1"}, follow=True
    )
    assert report.versions.count() == 1 and "已生成第1稿" in response.content.decode()
    assert "加强管理。" in _text(report.versions.get().file)
    with django_assert_max_num_queries(25):
        assert client.get(url).status_code == 200


def test_others_read_the_parts_without_a_form(client, problems, world):
    from xuncha.accounts.permissions import Role
    from xuncha.accounts.tests.factories import make_user

    report = _new(problems, sections=written("inspection", suggestions="<b>加强</b>管理。"))
    group = make_user(world.a["dept"], Role.LEADING_GROUP, scope=world.a["county"])
    client.force_login(group)
    page = client.get(reverse("findings:draft_detail", args=[report.pk])).content.decode()
    assert "&lt;b&gt;加强&lt;/b&gt;管理。" in page and 'name="overview"' not in page
    response = client.post(reverse("findings:draft_sections", args=[report.pk]), {"overview": "改"})
    assert response.status_code == 404  # no finding.edit over it: as if it did not exist
    assert section_services.current_texts(report)["overview"] == written("inspection")["overview"]


def test_the_feedback_page_writes_the_overall_evaluation(client, approved, site, world):
    feedback = ready_feedback(site, world)
    client.force_login(site["users"]["leader"])
    page = client.get(reverse("findings:feedback_detail", args=[feedback.pk])).content.decode()
    assert "总体评价" in page and 'name="evaluation"' in page
    url = reverse("findings:feedback_sections", args=[feedback.pk])
    response = client.post(url, {"evaluation": "班子团结，作风较好。"}, follow=True)
    assert "已保存" in response.content.decode()
    assert section_services.current_texts(feedback) == {"evaluation": "班子团结，作风较好。"}


def test_the_sample_contexts_offer_the_written_parts():
    from xuncha.documents import registry
    from xuncha.documents.kinds import DocumentKind

    assert set(registry.sample_context(DocumentKind.INSPECTION_REPORT)["sections"]) == {
        "overview",
        "suggestions",
        "other",
    }
    assert set(registry.sample_context(DocumentKind.THEMATIC_REPORT)["sections"]) == {"overview", "analysis"}
    assert set(registry.sample_context(DocumentKind.FEEDBACK_OPINION)["sections"]) == {"evaluation"}


def test_draft_fixture_has_a_first_version(problems):
    assert draft(problems).versions.count() == 1
