from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AppraisalConfig(AppConfig):
    name = "xuncha.appraisal"
    label = "appraisal"
    verbose_name = _("巡察后评估")

    def ready(self) -> None:
        from . import todo  # noqa: F401  (its items in 我的工作)
