from django import template

from xuncha.audit.labels import action_label as _label

register = template.Library()


@register.filter
def action_label(action: str) -> str:
    return _label(action)
