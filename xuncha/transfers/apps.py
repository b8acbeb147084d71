from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TransfersConfig(AppConfig):
    name = "xuncha.transfers"
    label = "transfers"
    verbose_name = _("移交")

    def ready(self) -> None:
        from . import (
            access,  # noqa: F401  (a team reaches the transfers of its work)
            documents,  # noqa: F401  (registers its document kinds)
            todo,  # noqa: F401  (its items in 我的工作)
        )
