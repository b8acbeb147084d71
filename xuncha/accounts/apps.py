from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "xuncha.accounts"
    label = "accounts"
    verbose_name = _("组织与账户")

    def ready(self) -> None:
        from . import signals  # noqa: F401  (login/logout audit hooks)
