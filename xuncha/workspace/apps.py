from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkspaceConfig(AppConfig):
    """The top of the kernel: what composes the others for a signed-in official — 我的工作 (home and
    to-do list), the navigation, the system settings pages (working-day calendar, deadline rules),
    the audit log pages and the demo county. It may import every kernel app; none imports it."""

    name = "xuncha.workspace"
    label = "workspace"
    verbose_name = _("工作台")
