"""The transfer letter (移交函): its context, its sample and its default Word template.

Imported from ``TransfersConfig.ready()``: registers the kind with the document engine. The
context is plain data (see ``xuncha.documents.contexts``); the template is built by
``xuncha.documents.build_templates`` with the kernel's helpers and layout (GB/T 9704).
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from docx.document import Document as DocxDocument

from xuncha.common.deadlines import deadline_from
from xuncha.common.models import DeadlineKey
from xuncha.documents.build_parts import closing, header, para
from xuncha.documents.contexts import SAMPLE_NAMES, cn_date, jurisdiction_names
from xuncha.documents.kinds import DocumentKind
from xuncha.documents.registry import register


def _materials(transfer: Any) -> list[dict[str, Any]]:
    rows = [_("巡察发现问题：%(title)s") % {"title": p.title} for p in transfer.problems.order_by("number")]
    rows += [
        _("问题底稿 %(code)s：%(title)s") % {"code": p.code, "title": p.title}
        for p in transfer.papers.select_related("team").order_by("number")
    ]
    rows += [a.description or a.file.original_name for a in transfer.attachments.select_related("file")]
    return [{"index": n, "text": text} for n, text in enumerate(rows or [_("（无）")], start=1)]


def transfer_letter_context(transfer: Any) -> dict[str, Any]:
    rnd = transfer.round
    names = jurisdiction_names(rnd.jurisdiction)
    return {
        **names,
        "secrecy": transfer.secrecy,
        "issuer": names["leading_group"],
        "signer": names["leading_group"],
        "doc_no": transfer.doc_no,
        "title": _("关于移交%(title)s的函") % {"title": transfer.title},
        "addressee": transfer.receiver.party_org_name or transfer.receiver.name,
        "approval": _("经%(level)s书记专题会研究同意") % {"level": names["committee_short"]},
        "round_name": rnd.name,
        "kind": transfer.get_kind_display(),
        "summary": transfer.summary,
        "persons": transfer.persons or _("（未涉及具体人员）"),
        "materials": _materials(transfer),
        "report_due": cn_date(deadline_from(DeadlineKey.TRANSFER_REPORT_BACK, transfer.sent_on, rnd.jurisdiction)),
        "date": cn_date(transfer.sent_on),
    }


def transfer_letter_sample() -> dict[str, Any]:
    return {
        **SAMPLE_NAMES,
        "secrecy": "机密",
        "issuer": SAMPLE_NAMES["leading_group"],
        "signer": SAMPLE_NAMES["leading_group"],
        "doc_no": "示例巡〔2026〕\u3000号",
        "title": "关于移交示例县财政局有关问题线索的函",
        "addressee": "中共示例县纪律检查委员会",
        "approval": "经县委书记专题会研究同意",
        "round_name": "县委第十四届第八轮巡察",
        "kind": "问题线索",
        "summary": "巡察发现，张某某在担任示例县财政局局长期间违规发放津贴补贴12.6万元。",
        "persons": "张某某（局长）",
        "materials": [{"index": 1, "text": "问题底稿 1-004：违规发放津贴补贴"}],
        "report_due": "2027年3月20日",
        "date": "2026年12月20日",
    }


# --- the default template -------------------------------------------------------------------------


def transfer_letter(doc: DocxDocument) -> None:
    header(doc)
    para(doc, "{{ title }}", "公文标题")
    para(doc, "{{ addressee }}：", "公文主送机关")
    para(
        doc,
        "根据《中国共产党巡视工作条例》和{{ committee_short }}巡察工作有关规定，{{ approval }}，"
        "现将{{ round_name }}中发现的{{ kind }}移交你单位，请按照有关规定处置。",
    )
    para(doc, "一、主要内容", "公文一级标题")
    para(doc, "{{ summary }}")
    para(doc, "二、涉及人员", "公文一级标题")
    para(doc, "{{ persons }}")
    para(doc, "三、移交材料", "公文一级标题")
    para(doc, "{%p for m in materials %}")
    para(doc, "{{ m.index }}. {{ m.text }}")
    para(doc, "{%p endfor %}")
    para(doc, "四、办理要求", "公文一级标题")
    para(doc, "请于{{ report_due }}前将签收、处置和办理结果情况书面反馈{{ office }}。移交材料请严格按照保密规定管理。")
    closing(doc, "{{ signer }}")


register(DocumentKind.TRANSFER_LETTER, sample=transfer_letter_sample, builder=transfer_letter)

from xuncha.transfers import pdf  # noqa: E402, F401  (the letter as PDF: documents.pdf_jobs)
