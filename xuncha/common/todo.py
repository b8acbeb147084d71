"""The to-do list of "我的工作": what is the user's to do now, most urgent first.

Each item is one scoped count (a database filter, so the page costs the same whatever the data)
and a link to the list that holds the rows. Items with nothing to do are left out.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xuncha.accounts.permissions import Perm, has_perm, scope_queryset

OVERDUE, ACT, FOLLOW = 0, 1, 2  # urgency, most urgent first


@dataclass(frozen=True)
class Item:
    urgency: int
    label: Any
    count: int
    url: str

    @property
    def overdue(self) -> bool:
        return self.urgency == OVERDUE


def _reports(user: Any) -> list[Item]:
    if not has_perm(user, Perm.REPORT_HANDLE):
        return []
    from xuncha.intake import selectors

    url = reverse("intake:report_list")
    return [
        Item(
            OVERDUE,
            _("信访举报逾期未办理"),
            selectors.report_list(user=user, overdue=True).count(),
            url + "?overdue=on",
        ),
        Item(
            ACT,
            _("信访举报待受理"),
            selectors.report_list(user=user, state="received").count(),
            url + "?state=received",
        ),
    ]


def _drafts(user: Any) -> list[Item]:
    if not has_perm(user, Perm.DRAFT_REVIEW):
        return []
    from xuncha.findings.selectors import office_queue

    return [Item(ACT, _("巡察报告待记录审议"), office_queue(user=user).count(), reverse("findings:office_queue"))]


def _transfers(user: Any) -> list[Item]:
    from xuncha.transfers import selectors
    from xuncha.transfers.models import TransferState

    items, url = [], reverse("transfers:transfer_list")
    if has_perm(user, Perm.TRANSFER_HANDLE):
        received = selectors.transfer_list(user=user, state=TransferState.SENT).count()
        items.append(Item(ACT, _("移交事项待签收"), received, url + "?state=sent"))
    if has_perm(user, Perm.TRANSFER_VIEW):
        late = selectors.transfer_list(user=user, overdue=True).count()
        items.append(Item(OVERDUE, _("移交事项逾期未反馈"), late, url + "?overdue=on"))
    return items


def _rectification(user: Any) -> list[Item]:
    if not has_perm(user, Perm.RECTIFY_VIEW):
        return []
    from xuncha.rectification.models import PlanState, Task, TaskState
    from xuncha.rectification.workflow import DONE_TASK_STATES

    url = reverse("rectification:plan_list")
    tasks = scope_queryset(user, Perm.RECTIFY_VIEW, Task.objects.exclude(state__in=DONE_TASK_STATES))
    items = [Item(OVERDUE, _("整改任务已逾期"), tasks.filter(due_on__lt=timezone.localdate()).count(), url)]
    if has_perm(user, Perm.RECTIFY_REVIEW):
        from xuncha.rectification.models import RectificationPlan

        plans = scope_queryset(user, Perm.RECTIFY_REVIEW, RectificationPlan.objects.all())
        waiting = plans.filter(state__in=[PlanState.SUBMITTED, PlanState.IN_REVIEW]).count()
        items.append(Item(ACT, _("整改方案待联审"), waiting, url))
        closures = scope_queryset(user, Perm.RECTIFY_REVIEW, Task.objects.filter(state=TaskState.CLOSURE_REQUESTED))
        items.append(Item(ACT, _("销号申请待核验"), closures.count(), url))
    if has_perm(user, Perm.RECTIFY_EDIT):
        from xuncha.findings.models import Feedback, FeedbackState

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


def _fixes(user: Any) -> list[Item]:
    if not has_perm(user, Perm.FIX_RESPOND):
        return []
    from xuncha.fieldwork.models import FixNotice, FixState

    notices = scope_queryset(
        user, Perm.FIX_RESPOND, FixNotice.objects.filter(state__in=[FixState.ISSUED, FixState.RETURNED])
    )
    return [Item(ACT, _("立行立改通知待反馈"), notices.count(), reverse("fieldwork:fix_list"))]


def _supervision(user: Any) -> list[Item]:
    """A county leader's key items: closure requests awaiting their opinion, overdue tasks."""
    from xuncha.accounts.permissions import user_roles
    from xuncha.rectification.models import LeaderAssignment, TaskState
    from xuncha.rectification.services.supervision import LEADER_ROLES

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


def _campaigns(user: Any) -> list[Item]:
    """A sector department's clean-ups in progress and their overdue unit tasks."""
    if not has_perm(user, Perm.CAMPAIGN_REPORT):
        return []
    from xuncha.rectification.models import Campaign, CampaignState, Task
    from xuncha.rectification.workflow import DONE_TASK_STATES

    active = scope_queryset(user, Perm.CAMPAIGN_REPORT, Campaign.objects.filter(state=CampaignState.ACTIVE))
    late = Task.objects.filter(campaign__in=active, due_on__lt=timezone.localdate()).exclude(state__in=DONE_TASK_STATES)
    url = reverse("rectification:campaign_list")
    return [
        Item(OVERDUE, _("专项整治任务已逾期"), late.count(), url + "?state=active"),
        Item(FOLLOW, _("专项整治进行中"), active.count(), url + "?state=active"),
    ]


def _appraisal(user: Any) -> list[Item]:
    """Teams flagged by the post-inspection evaluation (low score, a member 不称职): the office head."""
    from xuncha.accounts.permissions import Role, user_roles

    if Role.OFFICE_HEAD not in user_roles(user):
        return []
    from xuncha.appraisal.selectors import flagged_appraisals

    count = flagged_appraisals(user=user).count()
    return [Item(ACT, _("巡后评估需关注的巡察组待谈话"), count, reverse("appraisal:index") + "?flagged=on")]


PROVIDERS: list[Callable[[Any], list[Item]]] = [
    _reports,
    _drafts,
    _transfers,
    _rectification,
    _fixes,
    _supervision,
    _campaigns,
    _appraisal,
]


def todo_items(user: Any) -> list[Item]:
    items = [item for provider in PROVIDERS for item in provider(user) if item.count]
    return sorted(items, key=lambda item: (item.urgency, -item.count))
