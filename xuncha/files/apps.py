from django.apps import AppConfig
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from PIL import Image


class FilesConfig(AppConfig):
    name = "xuncha.files"
    label = "files"
    verbose_name = _("附件")

    def ready(self) -> None:
        # Pillow warns above this many pixels and refuses twice as many (DecompressionBombError):
        # the limit files.guard applies to uploads, also for every other caller of Image.open.
        Image.MAX_IMAGE_PIXELS = settings.XUNCHA_UPLOAD_IMAGE_MAX_PIXELS
