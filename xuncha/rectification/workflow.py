"""The plan's and the task's state machines (docs/workflow.md).

Plan: draft → submitted (the main leader's signature) → in joint review → returned (comments per
item) / approved. Task: in progress → closure requested (with evidence) → closed by a verifier who
is not the requester, or back to in progress with a reason; a long-term task may end its stage as
"阶段性完成·持续整改". A return visit may send a closed or long-term task back to work (reopen).
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xuncha.accounts.permissions import Perm
from xuncha.rectification.models import Horizon, PlanState, TaskState
from xuncha.workflow import Transition, Workflow, states_of
from xuncha.workflow.catalogue import document_workflow

P, T = PlanState, TaskState


def every_problem_has_a_task(plan: Any, data: dict[str, Any]) -> str | None:
    problems = plan.feedback.target.problems.exclude(tasks__plan=plan).order_by("number")
    missing = [str(p.number) for p in problems]
    if missing:
        return _("以下问题尚未制定整改措施：第%(numbers)s项。") % {"numbers": "、".join(missing)}
    return None


def review_comment_given(plan: Any, data: dict[str, Any]) -> str | None:
    if (data.get("comment") or "").strip() or any(str(v).strip() for v in (data.get("item_comments") or {}).values()):
        return None
    return _("退回时请填写总体意见或逐项意见。")


def evidence_attached(task: Any, data: dict[str, Any]) -> str | None:
    if not data.get("uploads") and not data.get("files"):
        return _("申请销号须附佐证材料。")
    return None if (data.get("text") or "").strip() else _("请说明完成情况。")


def verifier_is_not_requester(task: Any, data: dict[str, Any]) -> str | None:
    requester_id = task.updates.filter(kind="request").order_by("-id").values_list("actor_id", flat=True).first()
    actor = data.get("actor")
    if requester_id is not None and getattr(actor, "pk", None) == requester_id:
        return _("销号申请人不能核验自己的申请。")
    return None


def leader_has_not_objected(task: Any, data: dict[str, Any]) -> str | None:
    from xuncha.rectification.services.supervision import leader_objection

    objection = leader_objection(task)
    if objection is None:
        return None
    return _("领衔督办的%(leader)s意见为暂缓销号：%(text)s") % {"leader": objection.actor, "text": objection.text[:80]}


def long_term_only(task: Any, data: dict[str, Any]) -> str | None:
    return None if task.horizon == Horizon.LONG_TERM else _("只有长期坚持类任务可以认定为阶段性完成。")


def reason_given(task: Any, data: dict[str, Any]) -> str | None:
    return None if (data.get("text") or "").strip() else _("请说明理由。")


PLAN_WORKFLOW = Workflow(
    name="rectification_plan",
    event_model="rectification.PlanEvent",
    audit_prefix="rectification.plan",
    states=states_of(P.values),
    transitions=(
        Transition(
            "submit",
            gettext_lazy("签批报送"),
            frozenset({P.DRAFT, P.RETURNED}),
            P.SUBMITTED,
            Perm.RECTIFY_SIGN,
            guards=(every_problem_has_a_task,),
        ),
        Transition(
            "start_review", gettext_lazy("开始联审"), frozenset({P.SUBMITTED}), P.IN_REVIEW, Perm.RECTIFY_REVIEW
        ),
        Transition("approve", gettext_lazy("审核通过"), frozenset({P.IN_REVIEW}), P.APPROVED, Perm.RECTIFY_REVIEW),
        Transition(
            "return",
            gettext_lazy("退回修改"),
            frozenset({P.SUBMITTED, P.IN_REVIEW}),
            P.RETURNED,
            Perm.RECTIFY_REVIEW,
            guards=(review_comment_given,),
            style="secondary",
        ),
    ),
)

TASK_WORKFLOW = Workflow(
    name="rectification_task",
    event_model="rectification.TaskEvent",
    audit_prefix="rectification.task",
    states=states_of(T.values),
    transitions=(
        Transition(
            "request",
            gettext_lazy("申请销号"),
            frozenset({T.IN_PROGRESS}),
            T.CLOSURE_REQUESTED,
            Perm.RECTIFY_EDIT,
            guards=(evidence_attached,),
        ),
        Transition(
            "close",
            gettext_lazy("核验销号"),
            frozenset({T.CLOSURE_REQUESTED}),
            T.CLOSED,
            Perm.RECTIFY_REVIEW,
            guards=(verifier_is_not_requester, leader_has_not_objected),
        ),
        Transition(
            "ongoing",
            gettext_lazy("认定阶段性完成"),
            frozenset({T.CLOSURE_REQUESTED}),
            T.ONGOING,
            Perm.RECTIFY_REVIEW,
            guards=(long_term_only, verifier_is_not_requester, leader_has_not_objected),
            style="secondary",
        ),
        Transition(
            "reject",
            gettext_lazy("退回继续整改"),
            frozenset({T.CLOSURE_REQUESTED}),
            T.IN_PROGRESS,
            Perm.RECTIFY_REVIEW,
            guards=(reason_given,),
            style="secondary",
        ),
        # A return visit found the problem back (回访督查): the office sends a closed or long-term
        # task back to work. Applied by the visit service, which records the visit with it.
        Transition(
            "reopen",
            gettext_lazy("回访重新整改"),
            frozenset({T.CLOSED, T.ONGOING}),
            T.IN_PROGRESS,
            Perm.RECTIFY_SUPERVISE,
            guards=(reason_given,),
            style="secondary",
        ),
    ),
)

EDITABLE_PLAN_STATES = frozenset({P.DRAFT, P.RETURNED})
DONE_TASK_STATES = frozenset({T.CLOSED, T.ONGOING})

# --- in docs/workflow.md (manage.py workflow_docs) ----------------------------------------

document_workflow(
    order=70,
    title="整改方案 Rectification plan (`xuncha/rectification/workflow.py`)",
    workflow=PLAN_WORKFLOW,
    states=PlanState,
    initial="draft",
)
document_workflow(
    order=80,
    title="整改任务 Rectification task (`xuncha/rectification/workflow.py`)",
    workflow=TASK_WORKFLOW,
    states=TaskState,
    initial="in_progress",
)
