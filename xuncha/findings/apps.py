from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FindingsConfig(AppConfig):
    name = "xuncha.findings"
    label = "findings"
    verbose_name = _("巡察发现与报告反馈")

    def ready(self) -> None:
        from . import (
            access,  # noqa: F401  (teams reach their problems, drafts and feedback)
            documents,  # noqa: F401  (registers its document kinds)
            todo,  # noqa: F401  (its items in 我的工作)
        )
