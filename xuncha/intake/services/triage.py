"""Triage: classify a report and move it through REPORT_WORKFLOW, replying to the reporter.

One service, ``report_transition``, does every step through the workflow engine (lock, edge,
permission, guards, event row, audit record — all or nothing); what is the report's own is applying
the step's data (classification, receiver, papers, duplicate) and sending the reply as a sealed
message.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from xuncha.common.exceptions import ServiceError
from xuncha.fieldwork.models import WorkingPaper
from xuncha.intake.models import Discipline, Report, ReportMessage, Subject
from xuncha.intake.services.filing import message_add
from xuncha.intake.workflow import REPORT_WORKFLOW
from xuncha.workflow import Step

MAX_REPLY = 2000


def _check_data(report: Report, action: str, data: dict[str, Any]) -> None:
    """Reject values a form could not have produced (a hand-made POST) with a plain message."""
    if data.get("subject") and data["subject"] not in Subject.values:
        raise ServiceError(_("反映对象不正确。"))
    if not set(data.get("disciplines") or ()) <= set(Discipline.values):
        raise ServiceError(_("所涉及的纪律不正确。"))
    if len((data.get("reply") or "").strip()) > MAX_REPLY:
        raise ServiceError(_("答复过长，请精简到%(n)s字以内。") % {"n": MAX_REPLY})
    if len((data.get("forwarded_to") or "").strip()) > 100:
        raise ServiceError(_("转交单位名称过长。"))
    papers = data.get("papers") or []
    # Only signed-off or in-progress papers of the same unit in the same round can be fed.
    strangers = [p for p in papers if p.target_id != report.target_id]
    if strangers:
        raise ServiceError(_("只能关联本单位本轮次的问题底稿。"))
    into = data.get("into")
    if into is not None and into.round_id != report.round_id:
        raise ServiceError(_("只能并入本轮次的举报。"))


def _apply(report: Report, action: str, data: dict[str, Any]) -> tuple[list[str], str]:
    """Write the step's own data onto the report; returns (fields changed, the event's detail)."""
    if action == "accept":
        report.subject = data.get("subject") or report.subject
        report.disciplines = sorted(set(data.get("disciplines") or report.disciplines))
        return ["subject", "disciplines"], "、".join(str(Discipline(d).label) for d in report.disciplines)
    if action == "forward":
        report.forwarded_to = data["forwarded_to"].strip()
        if data.get("subject"):
            report.subject = data["subject"]
        return ["forwarded_to", "subject"], report.forwarded_to
    if action == "link":
        papers: list[WorkingPaper] = list(data["papers"])
        report.papers.add(*papers)
        return [], "、".join(p.code for p in papers)
    if action == "merge":
        report.merged_into = data["into"]
        return ["merged_into"], report.merged_into.intake_no
    return [], ""


@transaction.atomic
def report_transition(*, obj: Report, action: str, actor: Any, data: dict[str, Any] | None = None) -> Report:
    moved: Report = REPORT_WORKFLOW.apply(
        obj,
        action,
        actor=actor,
        data=data,
        queryset=Report.objects.select_related("target__unit", "round"),
        check=_check_step,
        effect=_report_step,
    ).obj  # Applied.obj is Any: the row it moved
    return moved


def _check_step(step: Step) -> None:
    if step.obj.purged_at:
        raise ServiceError(_("该举报已超过保存期限，内容已清除。"))
    _check_data(step.obj, step.action, step.data)


def _report_step(step: Step) -> None:
    """The step's data, the reply as a sealed message; the audit row never carries the reply's text."""
    fields, detail = _apply(step.obj, step.action, step.data)
    step.fields += fields
    reply = (step.data.get("reply") or "").strip()
    message = (
        message_add(report=step.obj, side=ReportMessage.Side.TEAM, text=reply, actor=step.actor) if reply else None
    )
    step.comment = ""  # no free text on the event: what the reporter was told is the sealed message
    step.event.update(message=message, detail=detail[:200])
    step.audit.update(detail=detail[:200], replied=message is not None)
