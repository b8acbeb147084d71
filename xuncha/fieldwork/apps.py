from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FieldworkConfig(AppConfig):
    name = "xuncha.fieldwork"
    label = "fieldwork"
    verbose_name = _("现场巡察")

    def ready(self) -> None:
        from . import (
            access,  # noqa: F401  (team members reach their team's records through membership)
            todo,  # noqa: F401  (its items in 我的工作)
        )
