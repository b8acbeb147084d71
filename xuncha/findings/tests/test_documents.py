"""The findings documents with real problems: GB/T 9704 layout, every problem in, the recipient in
the footer; the sample context (used to check uploaded templates) has the shape of the real one;
an office's replacement template that reaches for Python objects is refused."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from xuncha.common.exceptions import ServiceError
from xuncha.documents import registry
from xuncha.documents.kinds import DocumentKind
from xuncha.documents.services import document_template_upload, render_for, trace_stamp
from xuncha.documents.tests.docx_checks import (
    body_text,
    east_asian_font,
    font_color,
    font_size_pt,
    footer_text,
    open_docx,
    paragraph_with,
)
from xuncha.documents.tests.test_layout import _differences
from xuncha.findings.documents import contexts
from xuncha.findings.models import CopyKind, DraftKind
from xuncha.findings.services import reports as report_services
from xuncha.findings.tests.factories import draft, problem

KINDS = [DocumentKind.INSPECTION_REPORT, DocumentKind.THEMATIC_REPORT, DocumentKind.CLUE_REPORT]


@pytest.fixture
def made(site, world):
    problem(site, title="违规发放津贴补贴", description="2025年违规发放补贴3.2万元。", people="张某（镇长）")
    problem(site, item=2, title="选人用人不规范", description="2024年提拔干部未经民主推荐。")
    reports = {
        DocumentKind.INSPECTION_REPORT: draft(site, DraftKind.INSPECTION),
        DocumentKind.CLUE_REPORT: draft(site, DraftKind.CLUE),
        DocumentKind.THEMATIC_REPORT: draft(site, DraftKind.THEMATIC, theme="选人用人"),
    }
    from xuncha.findings.models import Feedback

    feedback = Feedback.objects.create(
        target=site["target"], round=site["round"], team=site["team"], main_leader=world.a["person"]
    )
    feedback.copies.create(kind=CopyKind.DISCIPLINE, unit=world.a["dept"])
    return {**site, "reports": reports, "feedback": feedback}


def _real(made, kind):
    today = timezone.localdate()
    if kind == DocumentKind.FEEDBACK_OPINION:
        return contexts.feedback_context(made["feedback"], today=today)
    report = made["reports"][kind]
    return report_services.CONTEXT[report.kind](report, today=today)


def _render(made, kind, actor):
    """The document as ``actor`` receives it: rendered, then stamped with their trace."""
    content, _template = render_for(
        kind=kind, jurisdiction=made["round"].jurisdiction, context=lambda: _real(made, kind)
    )
    return open_docx(trace_stamp(actor=actor, content=content, kind=kind, target=made["round"]).content)


@pytest.mark.parametrize("kind", [*KINDS, DocumentKind.FEEDBACK_OPINION], ids=lambda k: k.value)
def test_layout_problems_and_recipient(made, kind):
    actor = made["users"]["leader"]
    document = _render(made, kind, actor)
    text = "\n".join(p.text for p in document.paragraphs)
    assert "违规发放津贴补贴" in text
    if kind != DocumentKind.CLUE_REPORT:
        assert "选人用人不规范" in text  # every problem, not only the clues
        heading = paragraph_with(document, "一、") if kind != DocumentKind.THEMATIC_REPORT else None
        if heading is not None:
            assert (east_asian_font(heading), font_size_pt(heading)) == ("黑体", 16)
    organ = paragraph_with(document, "第一巡察组")
    assert font_color(organ) == "FF0000"
    assert actor.get_full_name() in footer_text(document) and "注意保密" in footer_text(document)
    copy_no, secrecy = document.paragraphs[:2]  # 份号 (this copy's number), then 密级
    assert copy_no.text == "000001" and secrecy.text in ("秘密", "机密") and east_asian_font(secrecy) == "黑体"


def test_feedback_opinion_names_the_unit_the_deadlines_and_the_copies(made):
    document = _render(made, DocumentKind.FEEDBACK_OPINION, made["users"]["leader"])
    record = "\n".join(cell.text for table in document.tables for row in table.rows for cell in row.cells)
    text = body_text(document) + "\n" + record  # the 版记 is a table at the foot of the last page
    assert "关于巡察甲县青山镇党组织的反馈意见" in text
    assert "甲县青山镇：" in text  # addressee: the unit's leadership body
    assert "前将整改方案报送" in text and "主要负责人组织落实整改工作情况报告" in text
    assert "抄送：" in text and made["feedback"].copies.get().unit.name in text


@pytest.mark.parametrize("kind", [*KINDS, DocumentKind.FEEDBACK_OPINION], ids=lambda k: k.value)
def test_sample_context_has_the_shape_of_the_real_one(made, kind):
    assert _differences(registry.sample_context(kind), _real(made, kind)) == []


def test_an_injected_replacement_template_is_refused(made, world):
    """A template that tries to reach Python objects through the context fails safely."""
    from xuncha.accounts.permissions import Role
    from xuncha.accounts.tests.factories import make_user
    from xuncha.documents.tests.test_sandbox import _template  # a .docx around the given text

    office = make_user(world.a["dept"], Role.OFFICE_HEAD, scope=world.a["county"])
    payload = "{{ groups.__class__.__mro__[1].__subclasses__() }}"
    upload = SimpleUploadedFile("模板.docx", _template(payload).getvalue())
    with pytest.raises(ServiceError, match="不允许的写法"):
        document_template_upload(
            actor=office, kind=DocumentKind.FEEDBACK_OPINION, jurisdiction=world.a["county"], upload=upload
        )


def test_a_template_that_is_not_a_docx_is_refused(made, world):
    from xuncha.accounts.permissions import Role
    from xuncha.accounts.tests.factories import make_user

    office = make_user(world.a["dept"], Role.OFFICE_HEAD, scope=world.a["county"])
    upload = SimpleUploadedFile("模板.docx", b"%PDF-1.4 not a word file")
    with pytest.raises(ServiceError):
        document_template_upload(
            actor=office, kind=DocumentKind.INSPECTION_REPORT, jurisdiction=world.a["county"], upload=upload
        )


def test_generated_reports_have_every_problem_as_stored(made):
    version = made["reports"][DocumentKind.INSPECTION_REPORT].versions.get()
    from xuncha.files.storage import open_stored

    with open_stored(version.file) as fh:
        document = open_docx(fh.read())
    text = "\n".join(p.text for p in document.paragraphs)
    assert "1. 违规发放津贴补贴。" in text and "2. 选人用人不规范。" in text
