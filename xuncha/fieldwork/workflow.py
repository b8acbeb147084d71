"""The working paper's state machine: draft → submitted → team_approved → signed, with a return
to draft (comment required) from the two review steps. See docs/workflow.md."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xuncha.accounts.permissions import Perm
from xuncha.common.actors import SYSTEM
from xuncha.fieldwork.models.fixes import FixState
from xuncha.fieldwork.models.papers import PaperState as S
from xuncha.plans.models import TeamRole
from xuncha.workflow import Transition, Workflow, states_of
from xuncha.workflow.catalogue import document_workflow

REVIEWERS = frozenset({TeamRole.LEADER, TeamRole.DEPUTY})


def _role(paper: Any, data: dict[str, Any]) -> str | None:
    """The acting user's role in the paper's team (the view/service puts the actor in ``data``)."""
    actor = data.get("actor")
    if actor is SYSTEM:  # seeds and imports act with the leader's authority
        return TeamRole.LEADER
    person_id = getattr(actor, "person_id", None)
    if person_id is None:
        return None
    member = paper.team.members.filter(person_id=person_id).first()
    return member.role if member else None


def complete(paper: Any, data: dict[str, Any]) -> str | None:
    missing = [
        label for label, value in ((_("问题事实"), paper.facts), (_("定性依据"), paper.basis)) if not value.strip()
    ]
    if missing:
        return _("底稿尚未填写：%(fields)s。") % {"fields": "、".join(str(m) for m in missing)}
    if not paper.evidence.exists():
        return _("底稿须附至少一份证据材料。")
    if not any((paper.resp_principal, paper.resp_first, paper.resp_leading, paper.resp_supervisory)):
        return _("请在责任分析中至少选择一种责任类型。")
    return None


def by_reviewer(paper: Any, data: dict[str, Any]) -> str | None:
    return None if _role(paper, data) in REVIEWERS else _("只有本组组长、副组长可以记录组务会意见或退回底稿。")


def by_leader(paper: Any, data: dict[str, Any]) -> str | None:
    return None if _role(paper, data) == TeamRole.LEADER else _("只有本组组长可以签发底稿。")


def meeting_opinion_given(paper: Any, data: dict[str, Any]) -> str | None:
    return None if (data.get("comment") or "").strip() else _("请填写组务会意见。")


PAPER_WORKFLOW = Workflow(
    name="paper",
    states=states_of(S.values),
    event_model="fieldwork.PaperEvent",
    audit_prefix="fieldwork.paper",
    transitions=(
        Transition(
            "submit",
            gettext_lazy("提交组务会"),
            frozenset({S.DRAFT}),
            S.SUBMITTED,
            Perm.FIELDWORK_EDIT,
            guards=(complete,),
        ),
        Transition(
            "approve",
            gettext_lazy("记录组务会通过"),
            frozenset({S.SUBMITTED}),
            S.TEAM_APPROVED,
            Perm.FIELDWORK_EDIT,
            guards=(by_reviewer, meeting_opinion_given),
        ),
        Transition(
            "sign",
            gettext_lazy("组长签发"),
            frozenset({S.TEAM_APPROVED}),
            S.SIGNED,
            Perm.FIELDWORK_EDIT,
            guards=(by_leader,),
        ),
        Transition(
            "return",
            gettext_lazy("退回修改"),
            frozenset({S.SUBMITTED, S.TEAM_APPROVED}),
            S.DRAFT,
            Perm.FIELDWORK_EDIT,
            guards=(by_reviewer,),
            comment_required=True,
            style="secondary",
        ),
    ),
)

EDITABLE = frozenset({S.DRAFT})


# --- immediate-fix notices: issued → answered → accepted, or returned → answered again ----------

FIX_WORKFLOW = Workflow(
    name="fix_notice",
    states=states_of(FixState.values),
    event_model="fieldwork.FixEvent",
    audit_prefix="fieldwork.fix",
    transitions=(
        Transition(
            "respond",
            gettext_lazy("反馈整改情况"),
            frozenset({FixState.ISSUED, FixState.RETURNED}),
            FixState.ANSWERED,
            Perm.FIX_RESPOND,
        ),
        Transition(
            "accept", gettext_lazy("验收通过"), frozenset({FixState.ANSWERED}), FixState.ACCEPTED, Perm.FIX_REVIEW
        ),
        Transition(
            "return",
            gettext_lazy("退回重改"),
            frozenset({FixState.ANSWERED}),
            FixState.RETURNED,
            Perm.FIX_REVIEW,
            comment_required=True,
            style="secondary",
        ),
    ),
)

# --- in docs/workflow.md (manage.py workflow_docs) ----------------------------------------

document_workflow(
    order=20,
    title="问题底稿 Working paper (`xuncha/fieldwork/workflow.py`)",
    workflow=PAPER_WORKFLOW,
    states=S,
    initial="draft",
)
document_workflow(
    order=30,
    title="立行立改通知 Immediate-fix notice (`xuncha/fieldwork/workflow.py`)",
    workflow=FIX_WORKFLOW,
    states=FixState,
    initial="issued",
)
