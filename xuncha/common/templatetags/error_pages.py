from django import template
from django.utils.safestring import SafeString

from xuncha.common import error_pages

register = template.Library()


@register.simple_tag
def error_style() -> SafeString:
    """The error pages' inline <style> block (see xuncha/common/error_pages.py)."""
    return error_pages.error_style()
