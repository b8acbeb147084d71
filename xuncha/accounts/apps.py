from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "xuncha.accounts"
    label = "accounts"
    verbose_name = "组织与账户"

    def ready(self) -> None:
        from . import signals  # noqa: F401  (login/logout audit hooks)
