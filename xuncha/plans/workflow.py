"""The round's state machine: draft → approved → preparing → on_site → reporting →
feedback_done → rectifying → evaluated → archived. See docs/workflow.md."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xuncha.accounts.permissions import Perm
from xuncha.plans.models.rounds import RoundState as S
from xuncha.workflow import Transition, Workflow, states_of
from xuncha.workflow.catalogue import document_workflow

# findings.FeedbackState.SENT, by value: findings comes after plans in the lifecycle, so plans does not
# import it (a findings test checks the two agree).
FEEDBACK_SENT = "sent"

# --- guards: each returns the reason for refusing, or None ---------------------------------


def has_targets(rnd: Any, data: dict[str, Any]) -> str | None:
    return None if rnd.targets.exists() else _("请先确定巡察对象。")


def approval_recorded(rnd: Any, data: dict[str, Any]) -> str | None:
    if not data.get("approved_on") or not (data.get("approval_meeting") or "").strip():
        return _("请填写批准日期和批准会议（如：县委巡察工作领导小组第3次会议）。")
    return None


def every_target_has_a_team(rnd: Any, data: dict[str, Any]) -> str | None:
    missing = [t.unit.name for t in rnd.targets.filter(team__isnull=True).select_related("unit")]
    return _("以下巡察对象尚未分配巡察组：%(units)s。") % {"units": "、".join(missing)} if missing else None


def every_team_is_staffed(rnd: Any, data: dict[str, Any]) -> str | None:
    from xuncha.plans.models import TeamRole

    for team in rnd.teams.prefetch_related("members"):
        roles = [m.role for m in team.members.all()]
        if TeamRole.LEADER not in roles:
            return _("%(team)s尚未确定组长。") % {"team": team}
        if len(roles) < 3:
            # Interviews need two inspectors, and a team needs someone to keep the record.
            return _("%(team)s成员不足3人。") % {"team": team}
    return None


def every_target_announced(rnd: Any, data: dict[str, Any]) -> str | None:
    missing = [t.unit.name for t in rnd.targets.filter(announcement__isnull=True).select_related("unit")]
    return _("以下巡察对象尚未发布巡察公告：%(units)s。") % {"units": "、".join(missing)} if missing else None


def feedback_date_given(rnd: Any, data: dict[str, Any]) -> str | None:
    return None if data.get("feedback_date") else _("请填写反馈日期。")


def every_target_fed_back(rnd: Any, data: dict[str, Any]) -> str | None:
    """A round is fed back when every unit has had its feedback: none is silently left out."""
    missing = [
        t.unit.name
        for t in rnd.targets.exclude(feedback__state=FEEDBACK_SENT).select_related("unit").order_by("unit__path")
    ]
    return _("以下单位尚未反馈：%(units)s。") % {"units": "、".join(missing)} if missing else None


# --- the table -------------------------------------------------------------------------------

ROUND_WORKFLOW = Workflow(
    name="round",
    states=states_of(S.values),
    event_model="plans.RoundEvent",
    audit_prefix="plans.round",
    transitions=(
        Transition(
            "approve",
            gettext_lazy("记录批准"),
            frozenset({S.DRAFT}),
            S.APPROVED,
            Perm.ROUND_MANAGE,
            guards=(has_targets, approval_recorded),
        ),
        Transition(
            "reopen",
            gettext_lazy("退回草拟"),
            frozenset({S.APPROVED}),
            S.DRAFT,
            Perm.ROUND_MANAGE,
            comment_required=True,
            style="secondary",
        ),
        Transition("prepare", gettext_lazy("开始准备"), frozenset({S.APPROVED}), S.PREPARING, Perm.ROUND_MANAGE),
        Transition(
            "enter",
            gettext_lazy("进驻"),
            frozenset({S.PREPARING}),
            S.ON_SITE,
            Perm.ROUND_MANAGE,
            guards=(every_target_has_a_team, every_team_is_staffed, every_target_announced),
        ),
        Transition("leave", gettext_lazy("结束进驻"), frozenset({S.ON_SITE}), S.REPORTING, Perm.ROUND_MANAGE),
        Transition(
            "feedback",
            gettext_lazy("记录反馈"),
            frozenset({S.REPORTING}),
            S.FEEDBACK_DONE,
            Perm.ROUND_MANAGE,
            guards=(feedback_date_given, every_target_fed_back),
        ),
        Transition("rectify", gettext_lazy("转入整改"), frozenset({S.FEEDBACK_DONE}), S.RECTIFYING, Perm.ROUND_MANAGE),
        Transition("evaluate", gettext_lazy("完成整改评估"), frozenset({S.RECTIFYING}), S.EVALUATED, Perm.ROUND_MANAGE),
        Transition("archive", gettext_lazy("立卷归档"), frozenset({S.EVALUATED}), S.ARCHIVED, Perm.ROUND_MANAGE),
    ),
)

# States in which targets and teams may still change.
EDITABLE_STATES = frozenset({S.DRAFT, S.APPROVED, S.PREPARING})

# --- in docs/workflow.md (manage.py workflow_docs) ----------------------------------------

document_workflow(
    order=10,
    title="巡察轮次 Round (`xuncha/plans/workflow.py`)",
    workflow=ROUND_WORKFLOW,
    states=S,
    initial="draft",
)
