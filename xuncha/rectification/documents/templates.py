"""Default Word templates of rectification: the escalation letters (五书制) and the two reports the
unit sends when rectification is due (整改情况报告, 主要负责人组织落实整改情况报告), and the
rectification plan itself (整改方案) with its problem, task and responsibility lists.

Built by ``xuncha.documents.build_templates`` with the kernel's helpers and layout (GB/T 9704).
Everything in them comes from the data (tasks, states, evidence counts, rules, money, the life
meeting, accountability); the unit may still reword the draft in Word before it signs it.
"""

from __future__ import annotations

from docx.document import Document as DocxDocument
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from xuncha.documents import layout
from xuncha.documents.build_parts import attachment_note, attachment_start, closing, header, para, sub

TASK_COLUMNS = (
    ("序号", "{{ t.number }}"),
    ("问题", "{{ t.problem }}"),
    ("整改任务", "{{ t.measure }}"),
    ("完成时限", "{{ t.due }}"),
    ("目前状态", "{{ t.status }}"),
)


def _table_style(doc: DocxDocument) -> str:
    """Table text: 4号仿宋, single-spaced, no indent (the body's exact 28.95 pt lines crop cells)."""
    name = "公文表格"
    if name not in [s.name for s in doc.styles]:
        style = doc.styles.add_style("GWTable", WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = doc.styles["Normal"]
        style.name = name
        layout.set_font(style, layout.FANGSONG, layout.SIZE_4, latin=layout.LATIN)
        fmt = style.paragraph_format
        fmt.first_line_indent = Pt(0)
        fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
        fmt.alignment = WD_ALIGN_PARAGRAPH.LEFT
    return name


def _table(
    doc: DocxDocument, columns: tuple[tuple[str, str], ...], loop: str, widths: tuple[int, ...] | None = None
) -> None:
    """A header row and one row per item of ``loop`` (docxtpl ``{%tr %}`` repeats the middle row);
    ``widths`` in millimetres, else Word shares the text block out evenly."""
    style = _table_style(doc)
    table = doc.add_table(rows=4, cols=len(columns))
    table.style = doc.styles["Table Grid"]
    rows = table.rows
    for index, (label, value) in enumerate(columns):
        rows[0].cells[index].paragraphs[0].add_run(label).bold = True
        rows[2].cells[index].paragraphs[0].add_run(value)
    rows[1].cells[0].paragraphs[0].add_run(f"{{%tr for {loop} %}}")
    rows[3].cells[0].paragraphs[0].add_run("{%tr endfor %}")
    for row in rows:
        for index, cell in enumerate(row.cells):
            cell.paragraphs[0].style = doc.styles[style]
            if widths:
                cell.width = Mm(widths[index])
    if widths:
        table.autofit = False
        for index, width in enumerate(widths):
            table.columns[index].width = Mm(width)  # the grid, which LibreOffice and WPS follow
        # A long list runs over pages: its header row is repeated at the top of each.
        rows[0]._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
        _cell_margins(table, CELL_MARGIN_MM)


# 1 mm each side rather than Word's 1.9 mm: the widths below are measured with it.
CELL_MARGIN_MM = 1


def _cell_margins(table, mm: float) -> None:
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        margin = OxmlElement(f"w:{side}")
        margin.set(qn("w:w"), str(round(Mm(mm).pt * 20)))
        margin.set(qn("w:type"), "dxa")
        margins.append(margin)
    table._tbl.tblPr.insert_element_before(margins, "w:tblLook", "w:tblCaption", "w:tblDescription")


# Millimetres, 156 in all; each column as wide as what it holds on one line in 4号 (14 pt, 4.94 mm
# a character, a digit half that, a quarter character between the two) with the 1 mm margins:
# "序号" and numbers; a date "2026年12月31日" (41 mm); a status "阶段性完成，已逾期12天" on
# two lines; the problem and the measure, free text, share the rest.
TASK_WIDTHS = (13, 31, 41, 43, 28)


def _task_table(doc: DocxDocument) -> None:
    """One row per task named by the letter."""
    _table(doc, TASK_COLUMNS, "t in tasks", TASK_WIDTHS)


def escalation_letter(doc: DocxDocument) -> None:
    header(doc)
    para(doc, "{{ title }}", "公文标题")
    para(doc, "{{ addressee }}：", "公文主送机关")
    para(doc, "{%p for line in body %}")
    para(doc, "{{ line }}")
    para(doc, "{%p endfor %}")
    para(doc, "{%p if final_due %}")
    paragraph = doc.add_paragraph()
    paragraph.add_run("最后期限：", style="公文二级标题")
    paragraph.add_run("请务必于{{ final_due }}前完成上述整改任务，并将整改情况书面报送{{ office }}。")
    para(doc, "{%p endif %}")
    para(doc, "{%p if talk %}")
    para(doc, "约谈安排：{{ talk }}")
    para(doc, "{%p endif %}")
    # The tasks are an attachment (GB/T 9704 7.3.4, 7.3.7): named under the body, set on a page of
    # their own after the signature and date, before the 版记.
    para(doc, "{%p if tasks %}")
    attachment_note(doc, "涉及的整改任务清单（{{ task_count }}项）")
    para(doc, "{%p endif %}")
    closing(doc, "{{ signer }}")
    para(doc, "{%p if tasks %}")
    attachment_start(doc, "涉及的整改任务清单")
    _task_table(doc)
    para(doc, "{%p endif %}")
    layout.record_block(doc, copy_to="{{ copies }}", organ="{{ office }}", issued="{{ date }}印发")


def _figures(doc: DocxDocument) -> None:
    para(
        doc,
        "截至{{ as_of }}，反馈的{{ n.problems }}个问题已完成整改{{ n.problems_done }}个，整改完成率{{ n.rate }}；"
        "制定整改任务{{ n.tasks }}项，已销号{{ n.closed }}项、阶段性完成{{ n.ongoing }}项、正在整改{{ n.open }}项"
        "（其中逾期{{ n.overdue }}项）。建立完善制度{{ n.mechanisms }}项，挽回（追缴）经济损失{{ money }}元，"
        "问责{{ n.accountabilities }}人（次）。",
    )


def _problems(doc: DocxDocument) -> None:
    para(doc, "{%p for pr in problems %}")
    sub(doc, "{{ pr.label }}{{ pr.title }}。", "{{ pr.status }}。")
    para(doc, "{%p for t in pr.tasks %}")
    para(
        doc,
        "{{ t.index }}. {{ t.measure }}（{{ t.horizon }}，完成时限{{ t.due }}，{{ t.status }}"
        "{% if t.closed %}，{{ t.closed }}销号{% endif %}，佐证材料{{ t.evidence }}份）。",
    )
    para(doc, "{%p endfor %}")
    para(doc, "{%p endfor %}")


def _results(doc: DocxDocument, first: str) -> None:
    """Rules made, money recovered, the life meeting, accountability: "{first}" numbers them."""
    labels = ("建章立制情况", "挽回经济损失情况", "专题民主生活会召开情况", "问责情况")
    heads = [f"{n}、{label}" for n, label in zip(_numbers_from(first), labels, strict=False)]
    para(doc, heads[0], "公文一级标题")
    _lines(doc, "mechanisms", "建立完善制度{{ n.mechanisms }}项：", "未新建或修订制度。")
    para(doc, heads[1], "公文一级标题")
    _lines(doc, "recoveries", "挽回（追缴）经济损失共计{{ money }}元：", "暂无挽回（追缴）经济损失。")
    para(doc, heads[2], "公文一级标题")
    para(doc, "{{ life_meeting }}")
    para(doc, heads[3], "公文一级标题")
    _lines(doc, "accountabilities", "问责{{ n.accountabilities }}人（次）：", "暂未开展问责。")


NUMERALS = "一二三四五六七八九十"


def _numbers_from(first: str) -> str:
    return NUMERALS[NUMERALS.index(first) :]


def _lines(doc: DocxDocument, name: str, lead: str, none: str) -> None:
    para(doc, f"{{%p if {name} %}}")
    para(doc, lead)
    para(doc, f"{{%p for line in {name} %}}")
    para(doc, "{{ line }}")
    para(doc, "{%p endfor %}")
    para(doc, "{%p else %}")
    para(doc, none)
    para(doc, "{%p endif %}")


def _open_and_long_term(doc: DocxDocument, open_head: str, long_head: str) -> None:
    para(doc, open_head, "公文一级标题")
    _lines(doc, "open_items", "尚有{{ n.unfinished }}项整改任务未完成，下一步措施如下：", "反馈问题已全部完成整改。")
    para(doc, long_head, "公文一级标题")
    _lines(doc, "long_term", "以下整改任务需长期坚持，将定期报告进展：", "没有需要长期坚持的整改任务。")


def rectification_report(doc: DocxDocument) -> None:
    para(doc, "{{ title }}", "公文标题")
    para(doc, "{{ addressee }}：", "公文主送机关")
    para(
        doc,
        "{{ feedback_on }}，{{ team }}向我单位党组织反馈了{{ round_name }}意见，指出问题{{ n.problems }}个。"
        "我单位党组织坚决扛起整改主体责任，{{ plan_line }}。现将整改情况报告如下。",
    )
    para(doc, "一、整改工作总体情况", "公文一级标题")
    _figures(doc)
    para(doc, "二、反馈问题整改落实情况", "公文一级标题")
    _problems(doc)
    _results(doc, "三")
    _open_and_long_term(doc, "七、尚未完成的整改事项和下一步措施", "八、需要长期坚持的整改事项")
    closing(doc, "{{ signer }}")


def leader_report(doc: DocxDocument) -> None:
    para(doc, "{{ title }}", "公文标题")
    para(doc, "{{ addressee }}：", "公文主送机关")
    para(
        doc,
        "我作为{{ unit_org }}主要负责人、巡察整改第一责任人，对{{ round_name }}反馈问题的整改负总责。"
        "{{ feedback_on }}巡察反馈后，我{{ plan_line }}。现将我组织落实整改工作的情况报告如下。",
    )
    para(doc, "一、履行第一责任人职责情况", "公文一级标题")
    para(
        doc,
        "我主持研究制定整改方案，逐个问题明确整改措施、完成时限和责任人，建立问题清单、任务清单、责任清单。"
        "{% if my_tasks %}对以下整改任务，我亲自担任责任领导：{% else %}"
        "各项整改任务均明确了责任领导和具体责任人。{% endif %}",
    )
    para(doc, "{%p for line in my_tasks %}")
    para(doc, "{{ line }}")
    para(doc, "{%p endfor %}")
    para(doc, "二、整改工作进展", "公文一级标题")
    _figures(doc)
    _problems(doc)
    _results(doc, "三")
    _open_and_long_term(doc, "七、存在的不足和下一步打算", "八、长期坚持的整改事项")
    para(
        doc,
        "下一步，我将继续履行第一责任人职责，对尚未完成的整改任务盯住不放，"
        "做到问题不查清不放过、整改不到位不放过、责任不落实不放过。",
    )
    closing(doc, "{{ signer }}")


# --- the plan (整改方案): its three lists as tables ---------------------------------------------

PROBLEM_COLUMNS = (("序号", "{{ p.number }}"), ("反馈问题", "{{ p.title }}"), ("具体表现", "{{ p.description }}"))
PLAN_TASK_COLUMNS = (
    ("序号", "{{ t.number }}"),
    ("对应问题", "{{ t.problem }}"),
    ("整改措施", "{{ t.measure }}"),
    ("完成标准", "{{ t.standard }}"),
    ("时限类型", "{{ t.horizon }}"),
    ("完成时限", "{{ t.due }}"),
)
OWNER_COLUMNS = (
    ("序号", "{{ t.number }}"),
    ("整改措施", "{{ t.measure }}"),
    ("责任领导", "{{ t.leader }}"),
    ("牵头部门", "{{ t.lead_dept }}"),
    ("配合部门", "{{ t.coop_depts }}"),
    ("具体责任人", "{{ t.owner }}"),
)
# Millimetres; each set fills the 156 mm text block, and each column takes its header and its
# short values (numbers, dates, the horizon, names) on one line (see TASK_WIDTHS).
PROBLEM_WIDTHS = (13, 52, 91)
PLAN_TASK_WIDTHS = (13, 24, 32, 22, 22, 43)
OWNER_WIDTHS = (13, 42, 22, 26, 26, 27)


def rectification_plan(doc: DocxDocument) -> None:
    para(doc, "{{ title }}", "公文标题")
    para(doc, "{{ addressee }}：", "公文主送机关")
    para(
        doc,
        "{{ feedback_on }}，{{ team }}向我单位党组织反馈了{{ round_name }}意见，指出问题{{ n.problems }}个。"
        "我单位党组织坚决扛起整改主体责任，对照反馈问题逐条研究，制定整改任务{{ n.tasks }}项，"
        "逐项明确整改措施、完成标准、完成时限和责任人，形成问题清单、任务清单、责任清单。{{ plan_line }}",
    )
    para(doc, "一、问题清单", "公文一级标题")
    para(doc, "巡察反馈问题{{ n.problems }}个（反馈原文）：")
    _table(doc, PROBLEM_COLUMNS, "p in problems", PROBLEM_WIDTHS)
    para(doc, "二、任务清单", "公文一级标题")
    para(doc, "{%p if tasks %}")
    para(doc, "针对反馈问题制定整改任务{{ n.tasks }}项：")
    _table(doc, PLAN_TASK_COLUMNS, "t in tasks", PLAN_TASK_WIDTHS)
    para(doc, "{%p else %}")
    para(doc, "尚未制定整改任务。")
    para(doc, "{%p endif %}")
    para(doc, "三、责任清单", "公文一级标题")
    para(doc, "{%p if tasks %}")
    para(doc, "每项整改任务明确责任领导、牵头部门、配合部门和具体责任人：")
    _table(doc, OWNER_COLUMNS, "t in tasks", OWNER_WIDTHS)
    para(doc, "{%p else %}")
    para(doc, "整改任务制定后逐项明确责任人。")
    para(doc, "{%p endif %}")
    closing(doc, "{{ signer }}")
