from django.apps import AppConfig


class CommonConfig(AppConfig):
    name = "xuncha.common"
    label = "common"
    verbose_name = "公共"
