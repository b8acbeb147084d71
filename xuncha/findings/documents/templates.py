"""Default Word templates of the findings stage: the team's reports and the feedback opinion.

Built by ``xuncha.documents.build_templates`` with the kernel's helpers and layout (GB/T 9704).
Problems come in groups, one per focus item ("（一）…"), numbered within the document ("1."…), as
the committee reads them; the parts only people can write (overall evaluation, suggestions) are
what the team wrote on the report's page (``sections`` in the context, one body paragraph each).
The transfer letter is the transfers app's (its documents.py).
"""

from __future__ import annotations

from docx.document import Document as DocxDocument

from xuncha.documents import layout
from xuncha.documents.build_parts import closing, header, para


def _written(doc: DocxDocument, key: str) -> None:
    """A part the team writes on the report's page (models/sections.py): one body paragraph each."""
    para(doc, "{%p for t in sections." + key + " %}")
    para(doc, "{{ t }}")
    para(doc, "{%p endfor %}")


def _problem_groups(doc: DocxDocument) -> None:
    """Problems grouped by focus item: "（一）heading" then "1. title。description"."""
    para(doc, "{%p for g in groups %}")
    paragraph = doc.add_paragraph()
    paragraph.add_run("{{ g.label }}{{ g.heading }}", style="公文二级标题")
    para(doc, "{%p for pr in g.problems %}")
    para(doc, "{{ pr.index }}. {{ pr.title }}。{{ pr.description }}")
    para(doc, "{%p endfor %}")
    para(doc, "{%p endfor %}")


def _work_done(doc: DocxDocument) -> None:
    para(
        doc,
        "巡察期间，巡察组共开展个别谈话{{ stats.interviews }}人次，调阅资料{{ stats.documents }}次，"
        "开展走访、专项检查等{{ stats.visits }}次，受理信访举报{{ stats.reports }}件，"
        "形成问题底稿{{ stats.papers }}份，下发立行立改通知{{ stats.fixes }}份。",
    )


def inspection_report(doc: DocxDocument) -> None:
    header(doc)
    para(doc, "{{ title }}", "公文标题")
    para(doc, "{{ addressee }}：", "公文主送机关")
    para(
        doc,
        "根据{{ committee_short }}巡察工作统一部署，{{ team_name }}于{{ period }}对{{ unit }}党组织开展了"
        "{{ mode }}。现将巡察情况报告如下。",
    )
    _work_done(doc)
    para(doc, "一、基本情况和总体评价", "公文一级标题")
    _written(doc, "overview")
    para(doc, "二、发现的主要问题", "公文一级标题")
    para(doc, "对照{{ focus_list }}，巡察发现{{ unit }}党组织主要存在以下{{ problem_count }}个方面的问题。")
    _problem_groups(doc)
    para(doc, "三、意见建议", "公文一级标题")
    _written(doc, "suggestions")
    para(doc, "四、问题线索及其他事项", "公文一级标题")
    para(doc, "{%p if clue_count %}")
    para(doc, "巡察发现涉及领导干部的问题线索{{ clue_count }}件，另行专题报告。")
    para(doc, "{%p endif %}")
    _written(doc, "other")
    closing(doc, "{{ signer }}")


def thematic_report(doc: DocxDocument) -> None:
    header(doc)
    para(doc, "{{ title }}", "公文标题")
    para(doc, "{{ addressee }}：", "公文主送机关")
    para(doc, "{{ team_name }}在{{ round_name }}中，围绕{{ theme }}开展了专题了解。现将有关情况报告如下。")
    para(doc, "一、基本情况", "公文一级标题")
    _written(doc, "overview")
    para(doc, "二、存在的主要问题", "公文一级标题")
    _problem_groups(doc)
    para(doc, "三、原因分析和意见建议", "公文一级标题")
    _written(doc, "analysis")
    closing(doc, "{{ signer }}")


def clue_report(doc: DocxDocument) -> None:
    header(doc)
    para(doc, "{{ title }}", "公文标题")
    para(doc, "{{ addressee }}：", "公文主送机关")
    para(doc, "{{ team_name }}在对{{ unit }}党组织开展巡察期间，发现以下问题线索，现报告如下。")
    para(doc, "{%p for c in clues %}")
    heading = doc.add_paragraph()
    heading.add_run("{{ c.label }}{{ c.title }}", style="公文二级标题")
    para(doc, "涉及人员：{{ c.people }}。")
    para(doc, "主要问题：{{ c.description }}")
    para(doc, "涉及纪律：{{ c.disciplines }}；依据：问题底稿{{ c.papers }}。")
    para(doc, "{%p endfor %}")
    para(doc, "以上线索建议按照干部管理权限移交有关部门处置。")
    closing(doc, "{{ signer }}")


def feedback_opinion(doc: DocxDocument) -> None:
    header(doc)
    para(doc, "{{ title }}", "公文标题")
    para(doc, "{{ addressee }}：", "公文主送机关")
    para(
        doc,
        "根据{{ committee_short }}巡察工作统一部署，{{ team_name }}于{{ period }}对你单位党组织开展了{{ mode }}。"
        "按照{{ committee_short }}的要求，现将巡察发现的问题反馈如下。",
    )
    para(doc, "一、总体评价", "公文一级标题")
    _written(doc, "evaluation")
    para(doc, "二、发现的主要问题", "公文一级标题")
    para(doc, "巡察发现，你单位党组织主要存在以下{{ problem_count }}个方面的问题（问题清单附后）。")
    _problem_groups(doc)
    para(doc, "三、整改意见", "公文一级标题")
    para(
        doc,
        "你单位党组织要切实履行巡察整改主体责任，主要负责人要履行第一责任人责任，对反馈的问题逐条制定整改措施，"
        "建立问题清单、任务清单、责任清单，做到件件有着落、事事有回音。",
    )
    para(
        doc,
        "请于{{ plan_due }}前将整改方案报送{{ office }}；于{{ life_meeting_due }}前召开巡察整改专题民主生活会；"
        "于{{ report_due }}前报送整改情况报告和主要负责人组织落实整改工作情况报告。",
    )
    closing(doc, "{{ signer }}")
    layout.record_block(doc, copy_to="{{ copies }}", organ="{{ office }}", issued="{{ date }}印发")
