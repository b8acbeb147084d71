"""The review chain of a team's report (docs/workflow.md):

draft → team meeting (组务会) → leader (组长) → office-and-team joint review (组办会商) →
leading group (领导小组会议) → secretary's special meeting (书记专题会) → approved.

The team's own steps are decided by its leader and deputy; the three later meetings are recorded
by the office. Every pass and every return carries a decision record (date, meeting, decision); a
return sends the report back for a new version, and it can only go up again with one.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xuncha.accounts.permissions import Perm
from xuncha.common.actors import SYSTEM
from xuncha.findings.models import DraftKind
from xuncha.findings.models import DraftState as S
from xuncha.plans.models import TeamRole
from xuncha.workflow import Transition, Workflow, states_of
from xuncha.workflow.catalogue import document_workflow

REVIEWERS = frozenset({TeamRole.LEADER, TeamRole.DEPUTY})
TEAM_REVIEW_STATES = frozenset({S.TEAM_MEETING, S.LEADER})
OFFICE_REVIEW_STATES = frozenset({S.JOINT_REVIEW, S.LEADING_GROUP, S.SECRETARY})


def _team_role(report: Any, data: dict[str, Any]) -> str | None:
    actor = data.get("actor")
    if actor is SYSTEM:
        return TeamRole.LEADER
    person_id = getattr(actor, "person_id", None)
    if person_id is None:
        return None
    role: str | None = report.team.members.filter(person_id=person_id).values_list("role", flat=True).first()
    return role


def by_reviewer(report: Any, data: dict[str, Any]) -> str | None:
    return None if _team_role(report, data) in REVIEWERS else _("组务会审议意见由本组组长、副组长记录。")


def by_leader(report: Any, data: dict[str, Any]) -> str | None:
    return None if _team_role(report, data) == TeamRole.LEADER else _("只有本组组长可以审定报告。")


def by_team_reviewer_for_team_steps(report: Any, data: dict[str, Any]) -> str | None:
    return by_reviewer(report, data) if report.state in TEAM_REVIEW_STATES else None


def has_new_version(report: Any, data: dict[str, Any]) -> str | None:
    """A report goes up with a version nobody has decided on yet (after a return: a new one)."""
    latest = report.versions.order_by("-number").first()
    if latest is None:
        return _("请先生成或上传报告文稿。")
    if latest.decisions.exists():
        return _("报告已被退回，请根据审议意见修改后生成或上传新的版本再提交。")
    return None


def has_problems(report: Any, data: dict[str, Any]) -> str | None:
    if report.kind != DraftKind.INSPECTION or report.target is None:
        return None
    return None if report.target.problems.exists() else _("巡察报告须列明发现的问题，请先从已签发的底稿汇总问题。")


def decision_recorded(report: Any, data: dict[str, Any]) -> str | None:
    missing = [
        label
        for label, key in ((_("会议日期"), "decided_on"), (_("会议"), "meeting"), (_("审议意见"), "decision"))
        if not str(data.get(key) or "").strip()
    ]
    return _("请填写：%(fields)s。") % {"fields": "、".join(str(m) for m in missing)} if missing else None


def _step(action: str, label: Any, source: str, target: str, perm: Any, *guards: Any) -> Transition:
    return Transition(action, label, frozenset({source}), target, perm, guards=(*guards, decision_recorded))


DRAFT_WORKFLOW = Workflow(
    name="inspection_report",
    states=states_of(S.values),
    event_model="findings.DraftEvent",
    audit_prefix="findings.draft",
    transitions=(
        Transition(
            "submit",
            gettext_lazy("提交组务会审议"),
            frozenset({S.DRAFT, S.RETURNED}),
            S.TEAM_MEETING,
            Perm.FINDING_EDIT,
            guards=(has_new_version, has_problems),
        ),
        _step("pass_team", gettext_lazy("组务会审议通过"), S.TEAM_MEETING, S.LEADER, Perm.FINDING_EDIT, by_reviewer),
        _step("pass_leader", gettext_lazy("组长审定"), S.LEADER, S.JOINT_REVIEW, Perm.FINDING_EDIT, by_leader),
        _step("pass_joint", gettext_lazy("组办会商通过"), S.JOINT_REVIEW, S.LEADING_GROUP, Perm.DRAFT_REVIEW),
        _step("pass_group", gettext_lazy("领导小组会议审议通过"), S.LEADING_GROUP, S.SECRETARY, Perm.DRAFT_REVIEW),
        _step("approve", gettext_lazy("书记专题会审定"), S.SECRETARY, S.APPROVED, Perm.DRAFT_REVIEW),
        Transition(
            "return_team",
            gettext_lazy("退回修改"),
            TEAM_REVIEW_STATES,
            S.RETURNED,
            Perm.FINDING_EDIT,
            guards=(by_team_reviewer_for_team_steps, decision_recorded),
            style="secondary",
        ),
        Transition(
            "return_review",
            gettext_lazy("退回修改"),
            OFFICE_REVIEW_STATES,
            S.RETURNED,
            Perm.DRAFT_REVIEW,
            guards=(decision_recorded,),
            style="secondary",
        ),
    ),
)

# While a report is under review or approved, its problems are what was reviewed: frozen.
EDITABLE_STATES = frozenset({S.DRAFT, S.RETURNED})

# --- in docs/workflow.md (manage.py workflow_docs) ----------------------------------------

document_workflow(
    order=50,
    title="巡察报告 Inspection report (`xuncha/findings/workflow.py`)",
    workflow=DRAFT_WORKFLOW,
    states=S,
    initial="draft",
)
