"""GB/T 9704-2012: every kind of document the system generates passes the checker (``conformance``),
from the demo county and with long names and many problems; the checker names the rule a faulty
document breaks (the layout faults of issue 16, rebuilt here as small fixtures)."""

from __future__ import annotations

import io

import pytest
from django.utils import timezone
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Pt

from xuncha.common.testing import demo_media_root
from xuncha.documents import conformance, layout, registry, title_breaks, trace_files
from xuncha.documents.conformance import check
from xuncha.documents.kinds import SPECS, DocumentKind
from xuncha.documents.rendering import render_docx
from xuncha.documents.services import render_for, trace_stamp
from xuncha.documents.trace import strip_fingerprints
from xuncha.documents.typeset import organ_layout

LINE = "本件由 测试 于 2026-01-01 10:00 导出 · 追溯码 XC-AAAA-BBBB · 注意保密"


def _stamped(data: bytes, copy_no: str = "000001") -> bytes:
    return trace_files.stamp(data, line=LINE, code="XC-AAAA-BBBB", copy_no=copy_no)


def _sample(kind: str, **changes) -> bytes:
    """``kind``'s default template rendered with its sample context, stamped for a recipient."""
    context = {**registry.sample_context(kind), **changes}
    return _stamped(render_docx(SPECS[kind].default_path, context))


def _assert_conforms(kind: str, data: bytes) -> None:
    report = check(data, kind=kind)
    assert report.ok, report.summary()


# --- every kind: samples, the demo county, long names and many problems ---------------------------


@pytest.mark.parametrize("kind", list(SPECS), ids=str)
def test_every_default_template_rendered_with_its_sample_conforms(kind):
    _assert_conforms(kind, _sample(kind))


class Demo:
    """The demo county (``manage.py demo_seed``) and, for each kind, how to generate it there."""

    def __init__(self) -> None:
        from xuncha.accounts.demo import COUNTY_NAME
        from xuncha.accounts.models import OrgUnit, UnitType, User
        from xuncha.findings.models import DraftKind, Feedback, InspectionReport
        from xuncha.plans.models import Announcement, Team
        from xuncha.rectification.models import EscalationLetter, RectificationPlan
        from xuncha.transfers.models import Transfer

        self.county = OrgUnit.objects.get(name=COUNTY_NAME, unit_type=UnitType.COUNTY)
        self.office = User.objects.get(username="xcb_zhuren")
        self.today = timezone.localdate()
        self.team = Team.objects.filter(round__jurisdiction=self.county).order_by("pk").first()
        self.announcement = Announcement.objects.select_related("target__round").order_by("pk").first()
        self.target = self.announcement.target
        self.reports = {kind: InspectionReport.objects.filter(kind=kind).order_by("pk").first() for kind in DraftKind}
        inspection = self.reports[DraftKind.INSPECTION]
        if self.reports[DraftKind.THEMATIC] is None:  # the demo writes none: one on the same team's round
            self.reports[DraftKind.THEMATIC] = InspectionReport.objects.create(
                round=inspection.round,
                team=inspection.team,
                kind=DraftKind.THEMATIC,
                title="关于惠民惠农补贴资金管理情况的专题报告",
                theme="惠民惠农补贴资金管理",
            )
        self.feedback = Feedback.objects.exclude(sent_on=None).order_by("pk").first() or Feedback.objects.first()
        self.transfer = Transfer.objects.order_by("pk").first()
        self.letter = EscalationLetter.objects.order_by("pk").first()
        self.plan = RectificationPlan.objects.filter(tasks__isnull=False).order_by("pk").first()
        self.round = self.feedback.target.round

    def generate(self, kind: str) -> bytes:
        """``kind`` as it is handed out: rendered with the county's template in force, then stamped
        for the office head (trace line, copy number)."""
        jurisdiction, context, target = self._source(kind)
        content, _template = render_for(kind=kind, jurisdiction=jurisdiction, context=context)
        return trace_stamp(actor=self.office, content=content, kind=kind, target=target).content

    def _source(self, kind: str):
        from xuncha.analytics.documents.contexts import comprehensive_context, situation_context
        from xuncha.analytics.situation import comprehensive_figures, situation_figures
        from xuncha.findings.documents.contexts import feedback_context
        from xuncha.findings.models import DraftKind
        from xuncha.findings.services.reports import CONTEXT
        from xuncha.plans.documents import contexts as plans
        from xuncha.rectification.documents.contexts import letter_context, report_context
        from xuncha.rectification.documents.plan import plan_context
        from xuncha.transfers.documents import transfer_letter_context

        today, county = self.today, self.county
        report = {
            DocumentKind.INSPECTION_REPORT: DraftKind.INSPECTION,
            DocumentKind.THEMATIC_REPORT: DraftKind.THEMATIC,
            DocumentKind.CLUE_REPORT: DraftKind.CLUE,
        }
        if kind in report:
            draft = self.reports[report[kind]]
            return county, lambda: CONTEXT[draft.kind](draft, today=today), draft.round
        rnd = self.round
        sources = {
            DocumentKind.TEAM_AUTHORISATION: lambda: plans.authorisation_context(self.team, today=today),
            DocumentKind.ENTRY_NOTICE: lambda: plans.entry_notice_context(self.target, today=today),
            DocumentKind.ANNOUNCEMENT: lambda: plans.announcement_context(self.announcement, today=today),
            DocumentKind.FEEDBACK_OPINION: lambda: feedback_context(self.feedback, today=today),
            DocumentKind.TRANSFER_LETTER: lambda: transfer_letter_context(self.transfer),
            DocumentKind.ESCALATION_LETTER: lambda: letter_context(self.letter),
            DocumentKind.RECTIFICATION_REPORT: lambda: report_context(self.plan, kind, today=today),
            DocumentKind.LEADER_REPORT: lambda: report_context(self.plan, kind, today=today),
            DocumentKind.RECTIFICATION_PLAN: lambda: plan_context(self.plan, today=today),
            DocumentKind.SITUATION_REPORT: lambda: situation_context(
                situation_figures(user=self.office, rnd=rnd), county, today=today
            ),
            DocumentKind.COMPREHENSIVE_REPORT: lambda: comprehensive_context(
                comprehensive_figures(user=self.office, rnd=rnd), county, today=today
            ),
        }
        return county, sources[kind], rnd

    def reports_of_every_kind(self) -> dict[str, conformance.Report]:
        return {kind: check(self.generate(kind), kind=kind) for kind in SPECS}


@pytest.fixture
def demo(demo_loaded, db, settings) -> Demo:
    settings.MEDIA_ROOT = demo_media_root()  # the demo's stored files, not this test's own folder
    return Demo()


def _summaries(reports: dict[str, conformance.Report]) -> str:
    return "\n\n".join(report.summary() for report in reports.values() if not report.ok)


@pytest.mark.django_db
def test_every_kind_generated_from_the_demo_county_conforms(demo):
    reports = demo.reports_of_every_kind()
    assert set(reports) == set(SPECS)
    assert all(report.ok for report in reports.values()), _summaries(reports)


LONG_COUNTY = "伊犁哈萨克自治州察布查尔锡伯自治县"
LONG_UNIT = "察布查尔锡伯自治县爱新舍里镇乌珠牛录村股份经济合作社联合党委"  # 31 characters
LONG_ORG = f"中共{LONG_UNIT}委员会"


def _lengthen(demo: Demo, problems: int = 24) -> None:
    """A county and an inspected unit with long names, a feedback with ``problems`` problems."""
    from xuncha.findings.models import Problem

    assert len(LONG_UNIT) >= 30
    demo.county.name = LONG_COUNTY
    demo.county.save(update_fields=["name"])
    target = demo.feedback.target
    unit = target.unit
    unit.name, unit.party_org_name = LONG_UNIT, LONG_ORG
    unit.save(update_fields=["name", "party_org_name"])
    model = target.problems.order_by("number").first()
    focus = list(model.focus_items.all()) if model else []
    start = (target.problems.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    for number in range(start, start + problems):
        problem = Problem.objects.create(
            round=target.round,
            target=target,
            team=demo.feedback.team,
            number=number,
            title=f"{LONG_UNIT}第{number}项问题：违规发放津贴补贴和公务接待费用超标准列支",
            description=f"经查，{LONG_UNIT}于2025年以加班补助名义违规发放补贴{number}.5万元，相关人员已作出说明。",
            people="张某某（书记）" if number % 3 == 0 else "",
            severity="serious" if number % 3 == 0 else "general",
        )
        problem.focus_items.set(focus)
    demo.announcement = type(demo.announcement).objects.filter(target__unit=unit).first() or demo.announcement
    demo.target = demo.announcement.target


@pytest.mark.django_db
def test_long_names_and_many_problems_conform(demo):
    _lengthen(demo)
    assert demo.feedback.target.problems.count() >= 20
    reports = demo.reports_of_every_kind()
    assert all(report.ok for report in reports.values()), _summaries(reports)
    # The long names really are in: the organ's mark narrowed and broken, the title on several lines.
    document = Document(io.BytesIO(demo.generate(DocumentKind.FEEDBACK_OPINION)))
    title = next(p for p in document.paragraphs if p.style.name == "公文标题")
    assert LONG_UNIT in title.text.replace("\n", "") and title.text.count("\n") >= 1
    organ = next(p for p in document.paragraphs if p.style.name == "公文发文机关标志")
    assert "\n" in organ.text or any(r._r.find(f"{qn('w:rPr')}/{qn('w:w')}") is not None for r in organ.runs)


@pytest.mark.django_db
def test_each_download_of_a_classified_document_gets_the_next_copy_number(demo):
    from xuncha.documents.models import ExportTrace

    numbers = []
    for _ in range(2):
        document = Document(io.BytesIO(demo.generate(DocumentKind.FEEDBACK_OPINION)))
        copy_no, secrecy = document.paragraphs[:2]
        assert secrecy.text == "秘密" and copy_no.style.name == "公文份号"
        numbers.append(copy_no.text)
    assert numbers == ["000001", "000002"]
    traces = ExportTrace.objects.filter(kind=DocumentKind.FEEDBACK_OPINION).order_by("created_at")
    assert [t.fingerprint["copy_no"] for t in traces] == numbers
    internal = Document(io.BytesIO(demo.generate(DocumentKind.TEAM_AUTHORISATION)))
    assert internal.paragraphs[0].text == "" and internal.paragraphs[1].text == "内部"  # not classified


# --- the checker names the rule a faulty document breaks ----------------------------------------


def _doc(data: bytes) -> Document:
    return Document(io.BytesIO(data))


def _bytes(document: Document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _faults(data: bytes, rule: str, kind: str = DocumentKind.FEEDBACK_OPINION) -> list[str]:
    report = check(data, kind=kind)
    assert not report.ok
    assert rule in report.summary()
    return [f.message for f in report.faults_of(rule)]


def _styled(document: Document, name: str):
    return next(p for p in document.paragraphs if p.style is not None and p.style.name == name)


def test_the_old_grid_of_lines_only_holds_27_characters():
    document = _doc(_sample(DocumentKind.FEEDBACK_OPINION))
    grid = document.sections[0]._sectPr.find(qn("w:docGrid"))
    grid.set(qn("w:type"), "lines")  # the old page_setup: a line grid, no character pitch
    grid.attrib.pop(qn("w:charSpace"))
    normal = document.styles["Normal"].element
    normal.pPr.remove(normal.pPr.find(qn("w:snapToGrid")))
    normal.rPr.remove(normal.rPr.find(qn("w:spacing")))
    messages = _faults(_bytes(document), "5.2.3 行数和字数")
    assert any("每行只排27字" in m for m in messages)
    assert any("正文每行排27字" in m for m in messages)


def test_a_grid_the_body_snaps_to_is_half_as_wide_in_libreoffice():
    document = _doc(_sample(DocumentKind.FEEDBACK_OPINION))
    normal = document.styles["Normal"].element
    normal.pPr.remove(normal.pPr.find(qn("w:snapToGrid")))  # Normal on the 15.79 pt grid
    assert any("每字占两格" in m for m in _faults(_bytes(document), "5.2.3 行数和字数"))


def _retitle(data: bytes, lines: list[str]) -> bytes:
    document = _doc(data)
    title = _styled(document, "公文标题")
    for run in title.runs[1:]:
        run._r.getparent().remove(run._r)
    title.runs[0].text = lines[0]
    for line in lines[1:]:
        title.runs[0].add_break()
        title.runs[0].add_text(line)
    return _bytes(document)


def test_a_title_broken_inside_a_word_is_a_fault():
    data = _retitle(_sample(DocumentKind.FEEDBACK_OPINION), ["县委第一巡察组关于巡察示例县财政局党组织的反", "馈意见"])
    messages = _faults(data, "7.3.1 标题")
    assert any("“反馈”中间回行" in m for m in messages)


def test_a_title_too_long_for_one_line_is_a_fault():
    data = _retitle(_sample(DocumentKind.FEEDBACK_OPINION), ["县委第一巡察组关于巡察示例县财政局有关问题的反馈意见"])
    assert any("超出一行" in m for m in _faults(data, "7.3.1 标题"))


def test_a_long_title_is_broken_between_words_when_rendered():
    long_title = "县委第一巡察组关于巡察示例县财政局党组织落实全面从严治党主体责任情况的反馈意见"
    document = _doc(_sample(DocumentKind.FEEDBACK_OPINION, title=long_title))
    lines = _styled(document, "公文标题").text.split("\n")
    assert "".join(lines) == long_title and len(lines) == 2
    assert all(title_breaks.text_em(line) <= 20 for line in lines)
    assert title_breaks.split_word(long_title, len(lines[0])) is None


def test_the_date_alone_is_a_fault():
    document = _doc(_sample(DocumentKind.FEEDBACK_OPINION))
    signature = _styled(document, "公文发文机关署名")
    document.styles["公文发文机关署名"].paragraph_format.keep_with_next = False
    body = signature._p.getprevious()
    body.pPr.remove(body.pPr.find(qn("w:keepNext")))
    messages = _faults(_bytes(document), "7.3.5 发文机关署名、成文日期和印章")
    assert any("成文日期可能单独" in m for m in messages)
    assert len(messages) == 2  # the signature not kept with the date, the body not kept with the signature


def test_a_record_block_after_the_date_with_enumeration_commas_is_a_fault():
    document = _doc(_sample(DocumentKind.FEEDBACK_OPINION))
    table = document.tables[0]._tbl
    table.getparent().remove(table)
    old_block = ("\u3000抄送：县纪委监委、县委组织部。", "\u3000中共示例县委巡察工作领导小组办公室\t2026年12月20日印发")
    for text in old_block:
        document.add_paragraph(text, style="公文版记")  # the old record_block: right under the date
    data = _bytes(document)
    assert any("没有置于公文最后一面的版心下端" in m for m in _faults(data, "7.4.1 版记中的分隔线"))
    assert any("用逗号隔开" in m for m in _faults(data, "7.4.2 抄送机关"))


def test_an_issuing_line_too_long_for_one_line_is_a_fault():
    """The old 印发 line, organ and date in one paragraph around a tab: a long organ pushes the date down."""
    document = _doc(_sample(DocumentKind.FEEDBACK_OPINION))
    table = document.tables[0]._tbl
    table.getparent().remove(table)
    document.add_paragraph("\u3000抄送：县纪委监委，县委组织部。", style="公文版记")
    document.add_paragraph(f"\u3000中共{LONG_COUNTY}委巡察工作领导小组办公室\t2026年12月20日印发", style="公文版记")
    assert any("一行排不下" in m for m in _faults(_bytes(document), "7.4.3 印发机关和印发日期"))


def test_a_record_block_not_pinned_to_the_foot_of_the_page_is_a_fault():
    document = _doc(_sample(DocumentKind.FEEDBACK_OPINION))
    place = document.tables[0]._tbl.tblPr.find(qn("w:tblpPr"))
    place.getparent().remove(place)
    assert any("没有固定在版心下端" in m for m in _faults(_bytes(document), "7.4.1 版记中的分隔线"))


def test_a_classified_document_without_a_copy_number_is_a_fault():
    document = _doc(_sample(DocumentKind.FEEDBACK_OPINION))
    copy_no = _styled(document, "公文份号")
    copy_no._p.getparent().remove(copy_no._p)
    assert any("应标注份号" in m for m in _faults(_bytes(document), "7.2.1 份号"))


def test_an_unnumbered_copy_is_a_fault():
    context = registry.sample_context(DocumentKind.CLUE_REPORT)
    unstamped = render_docx(SPECS[DocumentKind.CLUE_REPORT].default_path, context)  # never handed out
    assert _styled(_doc(unstamped), "公文份号").text == layout.COPY_NO_PLACEHOLDER
    messages = _faults(unstamped, "7.2.1 份号", DocumentKind.CLUE_REPORT)
    assert any("未逐份编号" in m for m in messages)


def test_a_small_red_header_is_a_fault():
    document = _doc(_sample(DocumentKind.FEEDBACK_OPINION))
    document.styles["公文发文机关标志"].font.size = Pt(24)  # the old size, about a title's
    messages = _faults(_bytes(document), "7.2.4 发文机关标志")
    assert any("不足红头应有的大小" in m for m in messages)


def test_an_organ_name_too_wide_for_the_line_is_a_fault():
    document = _doc(_sample(DocumentKind.FEEDBACK_OPINION, issuer="中共示例县委巡察工作领导小组办公室"))
    organ = _styled(document, "公文发文机关标志")
    for run in organ.runs:
        scale = run._r.rPr.find(qn("w:w")) if run._r.rPr is not None else None
        if scale is not None:
            run._r.rPr.remove(scale)  # as if it had not been narrowed to fit
    assert any("超出版心宽度" in m for m in _faults(_bytes(document), "7.2.4 发文机关标志"))


def test_the_old_escalation_letter_table_is_a_fault():
    """The old 催办书: tasks in a table of five even columns before the signature."""
    document = _doc(_sample(DocumentKind.ESCALATION_LETTER))
    table = document.tables[0]
    for column in table.columns:
        column.width = layout.TEXT_WIDTH // 5
    for cell in table._tbl.iter(qn("w:tcW")):
        cell.set(qn("w:w"), str(round(layout.TEXT_WIDTH.pt * 20 / 5)))
    margins = table._tbl.tblPr.find(qn("w:tblCellMar"))
    margins.getparent().remove(margins)
    signature = _styled(document, "公文发文机关署名")
    signature._p.addprevious(table._tbl)  # before the signature, with the attachment mark after
    data = _bytes(document)
    assert any("2026年12月31日" in m for m in _faults(data, "8 公文中的表格", DocumentKind.ESCALATION_LETTER))


def test_an_attachment_before_the_signature_is_a_fault():
    document = _doc(_sample(DocumentKind.ESCALATION_LETTER))
    mark = _styled(document, "公文附件标识")
    _styled(document, "公文发文机关署名")._p.addprevious(mark._p)
    messages = _faults(_bytes(document), "7.3.7 附件", DocumentKind.ESCALATION_LETTER)
    assert any("之后" in m for m in messages)


def test_page_numbers_without_dashes_are_a_fault():
    document = _doc(_sample(DocumentKind.FEEDBACK_OPINION))
    for paragraph in document.sections[0].footer.paragraphs:
        for run in paragraph.runs:
            if "—" in run.text:
                run.text = run.text.replace("—", "-")
    assert any("一字线" in m for m in _faults(_bytes(document), "7.5 页码"))


def test_the_report_names_each_rule_checked():
    report = check(_sample(DocumentKind.FEEDBACK_OPINION), kind=DocumentKind.FEEDBACK_OPINION)
    assert report.ok and report.passed == list(conformance.RULES)
    summary = report.summary()
    assert summary.startswith("GB/T 9704-2012 版式检查（巡察反馈意见）：检查23项，全部符合。")
    assert "✓ 7.2.1 份号：符合" in summary and "✓ 7.4.2 抄送机关：符合" in summary
    assert check(_sample(DocumentKind.ANNOUNCEMENT), kind=DocumentKind.ANNOUNCEMENT).ok


def test_a_missing_header_is_a_fault_for_a_kind_that_has_one():
    data = _sample(DocumentKind.RECTIFICATION_REPORT)  # no 版头: right for a unit's report…
    assert check(data, kind=DocumentKind.RECTIFICATION_REPORT).ok
    report = check(data, kind=DocumentKind.FEEDBACK_OPINION)  # …not for a feedback opinion
    assert report.faults_of("7.2.4") and report.faults_of("7.4.1")


# --- the pieces: word breaks and the organ's width ------------------------------------------------


@pytest.mark.parametrize(
    ("title", "first"),
    [
        ("县委第一巡察组关于巡察甲县青山镇党组织的反馈意见", "县委第一巡察组关于巡察甲县"),
        ("关于移交甲县青山镇党委书记张某某违规发放津贴补贴问题线索的函", "关于移交甲县青山镇党委书记张某某"),
    ],
)
def test_titles_break_between_words_into_even_lines(title, first):
    lines = title_breaks.break_lines(title, 20)
    assert lines[0] == first and "".join(lines) == title
    assert all(title_breaks.split_word(title, sum(map(len, lines[:i]))) is None for i in range(1, len(lines)))


def test_words_keep_names_and_numbers_together():
    words = title_breaks.words("中共示例县委第一巡察组关于县委2026年第八轮巡察情况的汇报")
    assert "巡察组" in "".join(w for w in words if w.endswith("组")) and "2026年" in words
    assert not any(w.startswith("的") for w in words)


def test_the_organ_mark_is_narrowed_to_the_line_then_broken():
    width = layout.TEXT_WIDTH.pt
    assert organ_layout("中共示例县委第一巡察组", 48, width) == (["中共示例县委第一巡察组"], 83)
    lines, scale = organ_layout("中共示例县委巡察工作领导小组办公室", 48, width)
    assert lines == ["中共示例县委巡察工作领导小组办公室"] and scale == 54
    name = f"中共{LONG_COUNTY}委巡察工作领导小组办公室"
    lines, scale = organ_layout(name, 48, width)
    assert len(lines) >= 2 and "".join(lines) == name and scale >= layout.ORGAN_MIN_SCALE
    assert all(title_breaks.text_em(line) * 48 * scale / 100 <= width for line in lines)
    assert all(title_breaks.split_word(name, sum(map(len, lines[:i]))) is None for i in range(1, len(lines)))


# --- the layout as LibreOffice (the archive's PDF) sets it ----------------------------------------


def test_libreoffice_sets_28_characters_a_line_and_the_record_block_at_the_foot():
    from xuncha.documents import pdf

    if not pdf.available():
        pytest.skip("LibreOffice is not installed")
    from pypdf import PdfReader

    body = ["你单位以下整改任务经督办、催办后仍未按期完成，整改工作进展缓慢，现予以预警，请高度重视。" * 3]
    reader = PdfReader(io.BytesIO(pdf.docx_to_pdf(_sample(DocumentKind.ESCALATION_LETTER, body=body))))
    lines: dict[float, list[str]] = {}

    def visit(text, cm, tm, font, size):
        if text.strip() and size == 16:
            lines.setdefault(round(tm[5], 1), []).append(text)

    reader.pages[0].extract_text(visitor_text=visit)
    texts = [strip_fingerprints("".join(parts)).replace(" ", "") for parts in lines.values()]
    # 28 characters to a full line; a comma or full stop at the end may be squeezed in as a 29th.
    assert max(len(text.rstrip("，。、；")) for text in texts) == 28
    last: list[tuple[float, str]] = []
    reader.pages[-1].extract_text(
        visitor_text=lambda text, cm, tm, font, size: last.append((tm[5], text)) if "印发" in text else None
    )
    bottom_margin = 35 / 25.4 * 72
    assert last and bottom_margin < last[-1][0] < bottom_margin + 14  # on the last line of the text block
    assert len(reader.pages) == 3  # the letter, then the attachment on a page of its own
