"""``{% situation_allowed user rnd as ok %}``: may this user open the round's situation report?"""

from typing import Any

from django import template

from xuncha.accounts.permissions import Perm, has_perm

register = template.Library()


@register.simple_tag
def situation_allowed(user: Any, rnd: Any) -> bool:
    return has_perm(user, Perm.SITUATION_VIEW, rnd)
