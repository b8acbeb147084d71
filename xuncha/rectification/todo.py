"""Rectification's items in 我的工作 (registered with the kernel's to-do list): overdue tasks,
plans and closures awaiting review, feedback awaiting a plan, a leader's supervised problems and a
sector department's clean-ups."""

from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xuncha.accounts.permissions import Perm, has_perm, scope_queryset, user_roles
from xuncha.common.todo import ACT, FOLLOW, OVERDUE, Item, provider
from xuncha.findings.models import Feedback, FeedbackState
from xuncha.rectification.models import (
    Campaign,
    CampaignState,
    LeaderAssignment,
    PlanState,
    RectificationPlan,
    Task,
    TaskState,
)
from xuncha.rectification.services.supervision import LEADER_ROLES
from xuncha.rectification.workflow import DONE_TASK_STATES


@provider(order=40)
def rectification(user: Any) -> list[Item]:
    if not has_perm(user, Perm.RECTIFY_VIEW):
        return []
    url = reverse("rectification:plan_list")
    tasks = scope_queryset(user, Perm.RECTIFY_VIEW, Task.objects.exclude(state__in=DONE_TASK_STATES))
    items = [Item(OVERDUE, _("整改任务已逾期"), tasks.filter(due_on__lt=timezone.localdate()).count(), url)]
    if has_perm(user, Perm.RECTIFY_REVIEW):
        plans = scope_queryset(user, Perm.RECTIFY_REVIEW, RectificationPlan.objects.all())
        waiting = plans.filter(state__in=[PlanState.SUBMITTED, PlanState.IN_REVIEW]).count()
        items.append(Item(ACT, _("整改方案待联审"), waiting, url))
        closures = scope_queryset(user, Perm.RECTIFY_REVIEW, Task.objects.filter(state=TaskState.CLOSURE_REQUESTED))
        items.append(Item(ACT, _("销号申请待核验"), closures.count(), url))
    if has_perm(user, Perm.RECTIFY_EDIT):
        unplanned = scope_queryset(user, Perm.RECTIFY_EDIT, Feedback.objects.filter(state=FeedbackState.SENT))
        items.append(
            Item(
                ACT,
                _("巡察反馈待编制整改方案"),
                unplanned.filter(plan__isnull=True).count(),
                reverse("findings:unit_feedback_list"),
            )
        )
    return items


@provider(order=60)
def supervision(user: Any) -> list[Item]:
    """A county leader's key items: closure requests awaiting their opinion, overdue tasks."""
    # Only leaders can be assigned items: others skip the membership query.
    if not user_roles(user) & set(LEADER_ROLES) or not has_perm(user, Perm.SUPERVISE_COMMENT):
        return []
    mine = scope_queryset(user, Perm.SUPERVISE_COMMENT, LeaderAssignment.objects.filter(revoked_at__isnull=True))
    url = reverse("rectification:assignment_list")
    late = mine.filter(
        problem__tasks__due_on__lt=timezone.localdate(),
        problem__tasks__state__in=[TaskState.IN_PROGRESS, TaskState.CLOSURE_REQUESTED],
    )
    asking = mine.filter(problem__tasks__state=TaskState.CLOSURE_REQUESTED)
    return [
        Item(OVERDUE, _("督办问题有任务逾期"), late.distinct().count(), url),
        Item(ACT, _("督办问题待会审销号"), asking.distinct().count(), url),
    ]


@provider(order=70)
def campaigns(user: Any) -> list[Item]:
    """A sector department's clean-ups in progress and their overdue unit tasks."""
    if not has_perm(user, Perm.CAMPAIGN_REPORT):
        return []
    active = scope_queryset(user, Perm.CAMPAIGN_REPORT, Campaign.objects.filter(state=CampaignState.ACTIVE))
    late = Task.objects.filter(campaign__in=active, due_on__lt=timezone.localdate()).exclude(state__in=DONE_TASK_STATES)
    url = reverse("rectification:campaign_list")
    return [
        Item(OVERDUE, _("专项整治任务已逾期"), late.count(), url + "?state=active"),
        Item(FOLLOW, _("专项整治进行中"), active.count(), url + "?state=active"),
    ]
