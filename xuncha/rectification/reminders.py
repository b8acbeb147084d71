"""The warning ladder's reminders (domain.md §3.8): green to the task's owners (the unit's liaison),
yellow also to the supervising leader, red also to the unit's leader. Each (task, level, deadline)
is sent once per person: running `remind` twice sends nothing new, and a changed deadline starts
over. The levels themselves are derived on read; the reminders only tell people about them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from xuncha.accounts.models import RoleAssignment, User
from xuncha.accounts.permissions import Role
from xuncha.notify.services import notify
from xuncha.rectification.models import PlanState, Task
from xuncha.rectification.selectors import GREEN, RED, YELLOW, Ladder
from xuncha.rectification.workflow import DONE_TASK_STATES

ROLES_BY_LEVEL = {
    GREEN: {Role.UNIT_LIAISON},
    YELLOW: {Role.UNIT_LIAISON, Role.SUPERVISING_LEADER},
    RED: {Role.UNIT_LIAISON, Role.SUPERVISING_LEADER, Role.UNIT_LEADER},
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
        delivered = [
            notify(user=user, key=key, title=title, body=body, url=reverse("rectification:task_detail", args=[task.pk]))
            for user in _recipients(unit, ROLES_BY_LEVEL[warning.level])
        ]
        if any(delivered):
            sent.tasks += 1
            sent.messages += sum(delivered)
    return sent
