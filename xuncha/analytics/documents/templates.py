"""Default Word template of the situation report to the committee (情况汇报, domain.md §6).

Built by ``xuncha.documents.build_templates`` with the kernel's helpers and layout (GB/T 9704):
secrecy mark, title, addressee, five sections with 3号黑体 headings, tables in 4号仿宋, the office's
signature and date. Every number is a field filled from the round's figures (contexts.py).
"""

from __future__ import annotations

from collections.abc import Callable

from docx.document import Document as DocxDocument
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.shared import Pt

from xuncha.documents import layout
from xuncha.documents.build_parts import closing, para, secrecy_block, sub

TABLE_STYLE = "公文表格"


def _table_style(doc: DocxDocument) -> str:
    """Table text: 4号仿宋, single-spaced, no indent (the body's exact 28.95 pt lines crop cells)."""
    if TABLE_STYLE not in [s.name for s in doc.styles]:
        style = doc.styles.add_style("GWTable", WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = doc.styles["Normal"]
        style.name = TABLE_STYLE
        layout.set_font(style, layout.FANGSONG, layout.SIZE_4, latin=layout.LATIN)
        fmt = style.paragraph_format
        fmt.first_line_indent = Pt(0)
        fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
        fmt.alignment = WD_ALIGN_PARAGRAPH.LEFT
    return TABLE_STYLE


def _table(doc: DocxDocument, rows: str, columns: tuple[tuple[str, str], ...]) -> None:
    """A header row, then one row per item of ``rows`` (docxtpl ``{%tr %}`` repeats the middle row)."""
    style = doc.styles[_table_style(doc)]
    table = doc.add_table(rows=4, cols=len(columns))
    table.style = doc.styles["Table Grid"]
    cells = table.rows
    for index, (label, value) in enumerate(columns):
        cells[0].cells[index].paragraphs[0].add_run(label).bold = True
        cells[2].cells[index].paragraphs[0].add_run(value)
    cells[1].cells[0].paragraphs[0].add_run(f"{{%tr for row in {rows} %}}")
    cells[3].cells[0].paragraphs[0].add_run("{%tr endfor %}")
    for row in cells:
        for cell in row.cells:
            cell.paragraphs[0].style = style


def _if(doc: DocxDocument, condition: str, body: Callable[[], None]) -> None:
    para(doc, f"{{%p if {condition} %}}")
    body()
    para(doc, "{%p endif %}")


def _lines(doc: DocxDocument, rows: str, line: str) -> None:
    para(doc, f"{{%p for row in {rows} %}}")
    para(doc, line)
    para(doc, "{%p endfor %}")


def _basics(doc: DocxDocument, heading: str = "一、基本情况") -> None:
    para(doc, heading, "公文一级标题")
    para(
        doc,
        "{{ round_name }}{{ scope }}于{{ period }}开展，共派出{{ a.teams }}个巡察组，对{{ a.targets }}个党组织开展巡察"
        "{% if a.villages %}（其中村（社区）{{ a.villages }}个）{% endif %}。"
        "巡察期间，开展个别谈话{{ a.interviews }}人次，"
        "调阅资料{{ a.documents }}批次，实地走访{{ a.visits }}次，开展专项检查{{ a.checks }}次、"
        "问卷调查和民主测评{{ a.questionnaires }}次；受理信访举报{{ a.reports }}件，其中属于巡察受理范围"
        "{{ a.reports_in_scope }}件、按规定转交有关部门{{ a.reports_forwarded }}件；形成问题底稿{{ a.papers }}份。",
    )


def _problems(doc: DocxDocument) -> None:
    para(doc, "二、发现的主要问题", "公文一级标题")
    para(doc, "共发现问题{{ p.total }}个{% if p.severity %}，其中{{ p.severity }}{% endif %}。")
    _if(
        doc,
        "by_item",
        lambda: (
            para(doc, "按巡察监督重点分类如下："),
            _table(doc, "by_item", (("监督重点", "{{ row.label }}"), ("问题数", "{{ row.n }}"))),
        ),
    )
    _if(doc, "tag_lines", lambda: (para(doc, "按问题标签统计："), _lines(doc, "tag_lines", "{{ row }}")))
    _if(
        doc,
        "serious",
        lambda: (para(doc, "较为突出的问题有："), _lines(doc, "serious", "{{ row.index }}. {{ row.title }}。")),
    )
    para(doc, "巡察期间下发立行立改通知{{ a.fixes }}份，已整改验收{{ a.fixes_done }}份。")


def _transfers(doc: DocxDocument, heading: str = "三、问题线索移交情况") -> None:
    para(doc, heading, "公文一级标题")
    para(
        doc,
        "共移交问题线索和有关事项{{ t.total }}件、涉及{{ t.persons }}人，其中问题线索{{ t.clues }}件、"
        "涉及{{ t.clue_persons }}人。",
    )
    columns = (("接收单位", "{{ row.label }}"), ("件数", "{{ row.n }}"), ("涉及人数", "{{ row.persons }}"))
    _if(doc, "by_receiver", lambda: (para(doc, "按接收单位统计如下："), _table(doc, "by_receiver", columns)))
    para(doc, "办理情况：{{ t.states }}。{% if t.disposals %}处置方式：{{ t.disposals }}。{% endif %}")
    _if(doc, "t.overdue", lambda: para(doc, "移交事项中有{{ t.overdue }}件超过期限尚未反馈办理结果。"))


def _rectification(doc: DocxDocument) -> None:
    para(doc, "四、整改推进情况", "公文一级标题")
    para(
        doc,
        "截至{{ as_of }}，已向{{ r.fed_back }}个单位反馈巡察意见，"
        "收到整改方案{{ r.plans }}个，审核通过{{ r.approved }}个。"
        "制定整改任务{{ r.tasks }}项，已销号{{ r.closed }}项、阶段性完成{{ r.ongoing }}项、申请销号待核验"
        "{{ r.requested }}项、正在整改{{ r.in_progress }}项。反馈问题{{ r.problems }}个，已完成整改{{ r.done }}个，"
        "整改完成率{{ r.rate }}。",
    )
    para(doc, "{%p if overdue_units %}")
    para(doc, "逾期未完成整改任务{{ r.overdue }}项，涉及{{ r.overdue_unit_count }}个单位：")
    _table(
        doc,
        "overdue_units",
        (("单位", "{{ row.label }}"), ("逾期任务（项）", "{{ row.n }}"), ("最长逾期（天）", "{{ row.days }}")),
    )
    para(doc, "{%p else %}")
    para(doc, "目前没有逾期未完成的整改任务。")
    para(doc, "{%p endif %}")
    para(
        doc,
        "建立完善制度{{ r.mechanisms }}项（新建{{ r.new }}项、修订{{ r.revised }}项），挽回（追缴）经济损失"
        "{{ r.money }}元，问责{{ r.accountability }}人（次）{% if r.accountability_forms %}，其中"
        "{{ r.accountability_forms }}{% endif %}。{% if r.campaigns %}针对共性问题部署行业专项整治"
        "{{ r.campaigns }}项。{% endif %}",
    )


def situation_report(doc: DocxDocument) -> None:
    secrecy_block(doc)  # 份号 and 密级
    para(doc, "{{ title }}", "公文标题")
    para(doc, "{{ addressee }}：", "公文主送机关")
    para(doc, "现将{{ round_name }}{{ scope }}有关情况汇报如下。")
    _basics(doc)
    _problems(doc)
    _transfers(doc)
    _rectification(doc)
    para(doc, "五、下一步工作建议", "公文一级标题")
    para(doc, "{%p for row in suggestions %}")
    sub(doc, "{{ row.label }}", "{{ row.text }}")
    para(doc, "{%p endfor %}")
    closing(doc, "{{ signer }}")


def _units(doc: DocxDocument) -> None:
    """二、: a subsection per inspected unit; the titles by focus item only when the reader may see
    problems (the context leaves ``groups`` empty otherwise)."""
    para(doc, "二、各被巡察单位发现的主要问题", "公文一级标题")
    para(doc, "本轮巡察共发现问题{{ p.total }}个{% if p.severity %}，其中{{ p.severity }}{% endif %}。各单位情况如下。")
    para(doc, "{%p for u in units %}")
    sub(
        doc,
        "{{ u.label }}{{ u.name }}。",
        "{% if u.team %}由{{ u.team }}巡察，{% endif %}发现问题{{ u.problems }}个"
        "{% if u.groups %}，主要是：{% else %}。{% endif %}",
    )
    para(doc, "{%p for g in u.groups %}")
    para(doc, "{{ g.item }}方面：")
    para(doc, "{%p for t in g.titles %}")
    para(doc, "{{ t.index }}. {{ t.title }}。")
    para(doc, "{%p endfor %}")
    para(doc, "{%p endfor %}")
    para(doc, "{%p endfor %}")
    _if(doc, "not units", lambda: para(doc, "本轮尚未确定被巡察单位。"))


def _opinions(doc: DocxDocument) -> None:
    para(doc, "四、意见建议", "公文一级标题")
    para(
        doc,
        "截至{{ as_of }}，本轮{{ feedback.targets }}个被巡察单位中已反馈巡察意见{{ feedback.sent }}个"
        "{% if feedback.pending %}，尚未反馈的有{{ feedback.pending }}{% endif %}。",
    )
    _if(
        doc,
        "units",
        lambda: _table(
            doc,
            "units",
            (
                ("被巡察单位", "{{ row.name }}"),
                ("巡察组", "{{ row.team }}"),
                ("发现问题（个）", "{{ row.problems }}"),
                ("巡察反馈", "{{ row.feedback }}"),
            ),
        ),
    )
    para(doc, "根据巡察情况，提出以下建议：")
    para(doc, "{%p for row in suggestions %}")
    sub(doc, "{{ row.label }}", "{{ row.text }}")
    para(doc, "{%p endfor %}")


def comprehensive_report(doc: DocxDocument) -> None:
    """巡察综合报告 to the secretary's special meeting: the situation report's figures, the units."""
    secrecy_block(doc)  # 份号 and 密级
    para(doc, "{{ title }}", "公文标题")
    para(doc, "{{ addressee }}：", "公文主送机关")
    para(doc, "现将{{ round_name }}{{ scope }}情况综合报告如下。")
    _basics(doc, "一、巡察工作基本情况")
    para(doc, "巡察期间下发立行立改通知{{ a.fixes }}份，已整改验收{{ a.fixes_done }}份。")
    _units(doc)
    _transfers(doc, "三、问题线索和有关事项移交情况")
    _opinions(doc)
    closing(doc, "{{ signer }}")
