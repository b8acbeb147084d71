from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "xuncha.plans"
    label = "plans"
    verbose_name = _("巡察计划与编组")

    def ready(self) -> None:
        from . import (
            access,  # noqa: F401  (registers team-membership scoping with the access module)
            documents,  # noqa: F401  (registers its document kinds)
            home,  # noqa: F401  (its panel on 我的工作)
        )
