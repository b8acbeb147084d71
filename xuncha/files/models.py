import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from xuncha.files.metadata import labelled


class Kind(models.TextChoices):
    """The allow-list (see ``sniff.KINDS`` for content types and extensions)."""

    PDF = "pdf", _("PDF 文档")
    OFD = "ofd", _("OFD 版式文档")
    DOCX = "docx", _("Word 文档")
    DOC = "doc", _("Word 97-2003 文档")
    XLSX = "xlsx", _("Excel 工作簿")
    XLS = "xls", _("Excel 97-2003 工作簿")
    PPTX = "pptx", _("PowerPoint 演示文稿")
    JPG = "jpg", _("JPG 图片")
    PNG = "png", _("PNG 图片")
    TXT = "txt", _("纯文本")


class StoredFile(models.Model):
    """One uploaded file. Written once by ``services.file_store``, never changed or deleted."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # Shown to people, never used as a path.
    original_name = models.CharField(_("文件名"), max_length=255)
    kind = models.CharField(_("文件类型"), max_length=8, choices=Kind.choices)
    # From the sniffed kind, not from the browser.
    content_type = models.CharField(_("内容类型"), max_length=100)
    size = models.BigIntegerField(_("大小（字节）"))
    sha256 = models.CharField(_("SHA-256 摘要"), max_length=64, db_index=True)
    sm3 = models.CharField(_("SM3 摘要"), max_length=64)
    storage_name = models.CharField(_("存储名"), max_length=64, unique=True, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("上传人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True, db_index=True)
    # The date the evidence speaks of (a meeting, a payment), which is rarely the upload date.
    effective_date = models.DateField(_("材料日期"), null=True, blank=True)
    scope_unit = models.ForeignKey(
        "accounts.OrgUnit",
        verbose_name=_("所属单位"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # What the file says of its origin (camera, position, author…), read once when it was stored
    # (``metadata.read_properties``): [key, value] pairs; None for files stored before that.
    properties = models.JSONField(_("文件属性"), null=True, blank=True, editable=False)

    SCOPE_PATH_FIELD = "scope_unit__path"

    class Meta:
        verbose_name = _("附件")
        verbose_name_plural = _("附件")
        ordering = ["-uploaded_at"]
        constraints = [
            models.CheckConstraint(condition=models.Q(size__gt=0), name="files_storedfile_size_positive"),
            models.CheckConstraint(condition=models.Q(kind__in=Kind.values), name="files_storedfile_kind_allowed"),
        ]

    def __str__(self) -> str:
        return self.original_name

    @property
    def described(self) -> list[tuple[str, str]]:
        """The stored properties with their labels, for display."""
        return labelled(self.properties or [])
