from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntakeConfig(AppConfig):
    name = "xuncha.intake"
    label = "intake"
    verbose_name = _("信访举报")

    def ready(self) -> None:
        from xuncha.files.orphans import register_owner

        from . import (
            access,  # noqa: F401  (teams reach the reports about their units)
            todo,  # noqa: F401  (its items in 我的工作)
        )
        from .models import ReportAttachment

        register_owner(ReportAttachment)  # sealed attachments are not orphans of the files app
