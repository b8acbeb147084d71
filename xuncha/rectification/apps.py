from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RectificationConfig(AppConfig):
    name = "xuncha.rectification"
    label = "rectification"
    verbose_name = _("巡察整改")

    def ready(self) -> None:
        from . import (
            access,  # noqa: F401  (the team reaches the plans of its units)
            documents,  # noqa: F401  (registers its document kinds)
            todo,  # noqa: F401  (its items in 我的工作)
        )
