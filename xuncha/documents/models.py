"""Document kinds and the office's replacement templates.

The default template of each kind ships with the code (``templates_docx/``); an office may
upload its own for its jurisdiction. Replacements are never edited or deleted: a newer upload
deactivates the older one, so what was in force when is always known.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from xuncha.documents.kinds import DocumentKind

__all__ = ["DocumentJob", "DocumentKind", "DocumentTemplate", "JobState"]


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


class JobState(models.TextChoices):
    RUNNING = "running", _("生成中")
    DONE = "done", _("已生成")
    FAILED = "failed", _("生成失败")


class DocumentJob(models.Model):
    """A long document or workbook generated in steps, so the page can show progress (HTMX polls
    and each poll runs the next steps) instead of freezing. The result carries the requester's name
    (trace line), so a job and its file belong to the requester alone."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(_("文件类别"), max_length=30)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    # The jurisdiction the document is about: scoping and the template in force.
    jurisdiction = models.ForeignKey("accounts.OrgUnit", on_delete=models.CASCADE, related_name="+")
    params = models.JSONField(default=dict)  # what to generate, e.g. {"round": 3, "unit": null}
    state = models.CharField(_("状态"), max_length=10, choices=JobState.choices, default=JobState.RUNNING)
    steps_done = models.PositiveSmallIntegerField(default=0)
    steps_total = models.PositiveSmallIntegerField(default=1)
    data = models.JSONField(default=dict, blank=True)  # partial results carried between steps
    error = models.CharField(_("失败原因"), max_length=500, blank=True)
    filename = models.CharField(max_length=200, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    content = models.BinaryField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    SCOPE_PATH_FIELD = "jurisdiction__path"

    class Meta:
        verbose_name = _("文书生成任务")
        verbose_name_plural = _("文书生成任务")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["requested_by", "created_at"], name="docjob_user_created")]

    def __str__(self) -> str:
        return f"{self.kind} {self.pk}"

    @property
    def percent(self) -> int:
        return min(100, round(100 * self.steps_done / max(1, self.steps_total)))
