"""Context of the transfer letter (移交函): plain data, like the other contexts."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from xuncha.common.deadlines import deadline_from
from xuncha.common.models import DeadlineKey
from xuncha.documents.contexts import _SAMPLE_NAMES, cn_date, jurisdiction_names
from xuncha.documents.kinds import DocumentKind


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


def sample_context(kind: str) -> dict[str, Any]:
    if kind != DocumentKind.TRANSFER_LETTER:
        from xuncha.documents import contexts_rectification

        return contexts_rectification.sample_context(kind)
    return {
        **_SAMPLE_NAMES,
        "secrecy": "机密",
        "issuer": _SAMPLE_NAMES["leading_group"],
        "signer": _SAMPLE_NAMES["leading_group"],
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
