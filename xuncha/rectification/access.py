"""A team follows the rectification of the units it inspected (membership, read only)."""

from xuncha.accounts.permissions import register_membership
from xuncha.plans.access import via_team
from xuncha.rectification.models import RectificationPlan, Task, TaskUpdate

register_membership(RectificationPlan, via_team("feedback__team"))
register_membership(Task, via_team("plan__feedback__team"))
register_membership(TaskUpdate, via_team("task__plan__feedback__team"))
