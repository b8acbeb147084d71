from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "xuncha.documents"
    label = "documents"
    verbose_name = _("公文生成")

    def ready(self) -> None:
        from . import checks  # noqa: F401  (every document kind has a provider)
