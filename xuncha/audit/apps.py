from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "xuncha.audit"
    label = "audit"
    verbose_name = _("审计日志")

    def ready(self) -> None:
        from xuncha.audit import checks  # noqa: F401  (registers the deploy check for the audit keys)
