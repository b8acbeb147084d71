"""The warning ladder's reminders (domain.md §3.8): green to the task's owners (the unit's liaison),
yellow also to the county leader who leads the supervision of the task's problem (领衔督办), red
also to the unit's leader. A leader is told only about the items assigned to them: a grant over the
county does not make them a recipient of every unit's warnings. Each (task, level, deadline)
is sent once per person: running `remind` twice sends nothing new, and a changed deadline starts
over. A county leader who leads the supervision of the task's problem (领衔督办) is told from yellow
on. Long-term tasks also hear when their periodic report is due. The levels themselves are derived
on read; the reminders only tell people about them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from xuncha.accounts.models import RoleAssignment, User
from xuncha.accounts.permissions import Role
from xuncha.notify.services import deliver_pending, notify
from xuncha.rectification.models import LeaderAssignment, PlanState, Task
from xuncha.rectification.selectors import GREEN, RED, YELLOW, Ladder
from xuncha.rectification.selectors.supervision import periodic_due
from xuncha.rectification.workflow import DONE_TASK_STATES

ROLES_BY_LEVEL = {
    GREEN: {Role.UNIT_LIAISON},
    YELLOW: {Role.UNIT_LIAISON},
    RED: {Role.UNIT_LIAISON, Role.UNIT_LEADER},
}


@dataclass
class Sent:
    tasks: int = 0
    messages: int = 0


def _recipients(unit: Any, roles: set[Role]) -> list[User]:
    """Active accounts holding one of ``roles`` over the unit (a grant on it or on an ancestor)."""
    paths = [unit.path[:end] for end in range(unit.steplen, len(unit.path) + 1, unit.steplen)]
    ids = RoleAssignment.objects.filter(
        role__in=roles, scope__path__in=paths, revoked_at__isnull=True, user__is_active=True
    ).values_list("user_id", flat=True)
    return list(User.objects.filter(pk__in=ids).order_by("pk"))


def _assigned_leaders(task: Task) -> list[User]:
    ids = LeaderAssignment.objects.filter(problem_id=task.problem_id, revoked_at__isnull=True).values("leader_id")
    return list(User.objects.filter(pk__in=ids, is_active=True).order_by("pk"))


def _send(users: list[User], *, key: str, title: str, body: str, url: str, unit: Any, sent: Sent) -> None:
    delivered = [notify(user=user, key=key, title=title, body=body, url=url, unit=unit) for user in users]
    if any(delivered):
        sent.tasks += 1
        sent.messages += sum(delivered)


def remind_periodic(today: date | None = None, sent: Sent | None = None) -> Sent:
    """Long-term tasks whose monthly or quarterly report is due: the unit's liaison, once per due date."""
    sent = sent or Sent()
    for task, due in periodic_due(today):
        unit = task.plan.feedback.target.unit
        title = _("定期报告提醒：%(unit)s整改任务%(n)s") % {"unit": unit.name, "n": task.number}
        body = _("长期坚持事项“%(measure)s”应于%(due)s前报告阶段性进展。") % {
            "measure": task.measure[:60],
            "due": due.isoformat(),
        }
        url = reverse("rectification:task_detail", args=[task.pk])
        recipients = _recipients(unit, {Role.UNIT_LIAISON})
        _send(
            recipients,
            key=f"periodic:{task.pk}:{due.isoformat()}",
            title=title,
            body=body,
            url=url,
            unit=unit,
            sent=sent,
        )
    return sent


def remind(today: date | None = None) -> Sent:
    ladder = Ladder(today)
    sent = Sent()
    tasks = (
        Task.objects.filter(plan__state=PlanState.APPROVED)
        .exclude(state__in=DONE_TASK_STATES)
        .select_related("plan__feedback__target__unit", "plan__feedback__target__round__jurisdiction", "problem")
        .order_by("pk")
    )
    for task in tasks.iterator(chunk_size=500):
        warning = ladder.warning(task)
        if warning is None:
            continue
        unit = task.plan.feedback.target.unit
        title = _("%(level)s：%(unit)s整改任务%(n)s") % {"level": warning.label, "unit": unit.name, "n": task.number}
        body = _("“%(measure)s”完成时限为%(due)s。") % {"measure": task.measure[:60], "due": task.due_on.isoformat()}
        key = f"task:{task.pk}:{warning.level}:{task.due_on.isoformat()}"
        recipients = _recipients(unit, ROLES_BY_LEVEL[warning.level])
        if warning.level != GREEN:
            recipients += [u for u in _assigned_leaders(task) if u not in recipients]
        url = reverse("rectification:task_detail", args=[task.pk])
        _send(recipients, key=key, title=title, body=body, url=url, unit=unit, sent=sent)
    remind_periodic(today, sent)
    # Send the e-mail and webhook copies just queued (and earlier ones due for a retry). Never raises.
    deliver_pending()
    return sent
