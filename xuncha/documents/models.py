"""Document kinds and the office's replacement templates.

The default template of each kind ships with the code (``templates_docx/``); an office may
upload its own for its jurisdiction. Replacements are never edited or deleted: a newer upload
deactivates the older one, so what was in force when is always known.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from xuncha.documents.kinds import DocumentKind

__all__ = ["DocumentKind", "DocumentTemplate"]


class DocumentTemplate(models.Model):
    kind = models.CharField(_("公文种类"), max_length=30, choices=DocumentKind.choices)
    # Null: a replacement for the whole installation (system administrators only).
    jurisdiction = models.ForeignKey(
        "accounts.OrgUnit",
        verbose_name=_("适用行政区域"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    file = models.ForeignKey("files.StoredFile", verbose_name=_("模板文件"), on_delete=models.PROTECT, related_name="+")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("上传人"), on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    active = models.BooleanField(_("在用"), default=True)

    SCOPE_PATH_FIELD = "jurisdiction__path"

    class Meta:
        verbose_name = _("公文模板")
        verbose_name_plural = _("公文模板")
        ordering = ["kind", "-created_at"]
        constraints = [
            # One template in force per kind and jurisdiction; nulls are distinct in SQL, so the
            # installation-wide row gets its own constraint.
            models.UniqueConstraint(
                fields=["kind", "jurisdiction"], condition=Q(active=True), name="doctemplate_one_active"
            ),
            models.UniqueConstraint(
                fields=["kind"],
                condition=Q(active=True, jurisdiction__isnull=True),
                name="doctemplate_one_active_global",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.jurisdiction or _('全系统')}"
