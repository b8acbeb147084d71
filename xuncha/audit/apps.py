from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "xuncha.audit"
    label = "audit"
    verbose_name = "审计日志"
