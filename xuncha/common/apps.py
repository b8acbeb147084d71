from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommonConfig(AppConfig):
    name = "xuncha.common"
    label = "common"
    verbose_name = _("公共")

    def ready(self) -> None:
        from xuncha.common.crypto import checks  # noqa: F401  (registers the deploy check for master keys)
