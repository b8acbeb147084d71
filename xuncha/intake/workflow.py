"""The triage of a public report (docs/workflow.md):

received → accepted (in scope) → linked to working paper(s) → closed
received → forwarded (out of scope: 分级负责、属地管理) | not accepted | merged into a duplicate

Every step the reporter can see (accept, forward, not accept, merge, close) carries a reply to the
reporter (``data["reply"]``), sealed like the report and shown on the follow-up page.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xuncha.accounts.permissions import Perm
from xuncha.intake.models import Discipline, ReportState, Subject
from xuncha.workflow import Transition, Workflow, states_of
from xuncha.workflow.catalogue import document_workflow

S = ReportState

# States in which the team still owes the reporter something (and the deadlines run).
OPEN_STATES = frozenset({S.RECEIVED, S.ACCEPTED, S.LINKED})
FINAL_STATES = frozenset({S.FORWARDED, S.NOT_ACCEPTED, S.CLOSED, S.MERGED})
# Steps after which the reporter is told something.
PUBLIC_ACTIONS = frozenset({"accept", "forward", "reject", "merge", "close"})


def reply_given(report: Any, data: dict[str, Any]) -> str | None:
    return None if (data.get("reply") or "").strip() else _("请填写给举报人的答复。")


def in_scope(report: Any, data: dict[str, Any]) -> str | None:
    subject = data.get("subject") or report.subject
    disciplines = data.get("disciplines") or report.disciplines
    if subject not in (Subject.LEADERSHIP, Subject.KEY_POST):
        return _("受理须反映被巡察单位领导班子及其成员或重点岗位干部的问题；其他事项请转交有关部门。")
    if not disciplines or not set(disciplines) <= set(Discipline.values):
        return _("请选择所涉及的纪律。")
    return None


def receiver_named(report: Any, data: dict[str, Any]) -> str | None:
    return None if (data.get("forwarded_to") or "").strip() else _("请填写转交的有权处理机关或单位。")


def papers_chosen(report: Any, data: dict[str, Any]) -> str | None:
    return None if data.get("papers") else _("请选择至少一份问题底稿。")


def duplicate_chosen(report: Any, data: dict[str, Any]) -> str | None:
    other = data.get("into")
    if other is None:
        return _("请选择要并入的举报。")
    if other.pk == report.pk:
        return _("不能并入自身。")
    if other.target.unit_id != report.target.unit_id:
        return _("只能并入反映同一单位的举报。")
    if other.state == S.MERGED:
        return _("所选举报已并入其他举报，请选择最终办理的那一件。")
    return None


REPORT_WORKFLOW = Workflow(
    name="report",
    states=states_of(S.values),
    event_model="intake.ReportEvent",
    audit_prefix="intake.report",
    transitions=(
        Transition(
            "accept",
            gettext_lazy("受理"),
            frozenset({S.RECEIVED}),
            S.ACCEPTED,
            Perm.REPORT_HANDLE,
            guards=(in_scope, reply_given),
        ),
        Transition(
            "forward",
            gettext_lazy("转交有关部门"),
            frozenset({S.RECEIVED, S.ACCEPTED}),
            S.FORWARDED,
            Perm.REPORT_HANDLE,
            guards=(receiver_named, reply_given),
            style="secondary",
        ),
        Transition(
            "reject",
            gettext_lazy("不予受理"),
            frozenset({S.RECEIVED}),
            S.NOT_ACCEPTED,
            Perm.REPORT_HANDLE,
            guards=(reply_given,),
            style="secondary",
        ),
        Transition(
            "link",
            gettext_lazy("纳入问题底稿"),
            frozenset({S.ACCEPTED, S.LINKED}),
            S.LINKED,
            Perm.REPORT_HANDLE,
            guards=(papers_chosen,),
        ),
        Transition(
            "merge",
            gettext_lazy("合并办理"),
            frozenset({S.RECEIVED, S.ACCEPTED}),
            S.MERGED,
            Perm.REPORT_HANDLE,
            guards=(duplicate_chosen, reply_given),
            style="secondary",
        ),
        Transition(
            "close",
            gettext_lazy("办结"),
            frozenset({S.ACCEPTED, S.LINKED}),
            S.CLOSED,
            Perm.REPORT_HANDLE,
            guards=(reply_given,),
        ),
    ),
)

# What the reporter reads on the follow-up page: plain words, nothing about internal steps
# (that a report fed a working paper is the team's business, not the reporter's).
PUBLIC_STATUS = {
    S.RECEIVED: gettext_lazy("已收到，正在登记审核。"),
    S.ACCEPTED: gettext_lazy("已受理，巡察组正在了解核实。"),
    S.LINKED: gettext_lazy("已受理，巡察组正在了解核实。"),
    S.FORWARDED: gettext_lazy("不属于巡察受理范围，已按照分级负责、属地管理的原则转交有关部门办理。"),
    S.NOT_ACCEPTED: gettext_lazy("经审核，不予受理。"),
    S.MERGED: gettext_lazy("与反映同一问题的其他举报合并办理。"),
    S.CLOSED: gettext_lazy("已办结。"),
}

# The state's name as the reporter sees it (a linked report is simply "accepted" to them).
PUBLIC_TITLE = {**{state: state.label for state in S}, S.LINKED: S.ACCEPTED.label}

# Replies offered as a starting point for each public step (the handler edits them).
DEFAULT_REPLIES = {
    "accept": gettext_lazy("您反映的问题已受理，巡察组将认真了解核实。感谢您对巡察工作的支持。"),
    "forward": gettext_lazy(
        "您反映的问题不属于本轮巡察受理范围，已按照分级负责、属地管理的原则转交有权处理的部门办理，请关注其答复。"
    ),
    "reject": gettext_lazy("经审核，您反映的问题不属于巡察受理范围且无可转交的有权处理机关，不予受理。"),
    "merge": gettext_lazy("您反映的问题与其他举报反映的是同一事项，已合并办理。"),
    "close": gettext_lazy("您反映的问题巡察组已了解核实并按规定处理，现予办结。感谢您对巡察工作的支持。"),
}

# --- in docs/workflow.md (manage.py workflow_docs) ----------------------------------------

document_workflow(
    order=40,
    title="信访举报 Public report (`xuncha/intake/workflow.py`)",
    workflow=REPORT_WORKFLOW,
    states=ReportState,
    initial="received",
)
