"""The plans' panel on 我的工作: the teams the user serves on (registered with the kernel's home page)."""

from typing import Any

from xuncha.plans.models import TeamMember
from xuncha.workspace.home import home_part


@home_part
def my_teams(user: Any) -> dict[str, Any]:
    if not user.person_id:
        return {}
    teams = (
        TeamMember.objects.filter(person_id=user.person_id)
        .select_related("team__round")
        .order_by("-team__round__year", "-team__round__number")[:5]
    )
    return {"my_teams": teams}
