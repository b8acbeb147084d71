from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnalyticsConfig(AppConfig):
    name = "xuncha.analytics"
    label = "analytics"
    verbose_name = _("统计分析")

    def ready(self) -> None:
        from . import documents  # noqa: F401  (registers its document kinds)
