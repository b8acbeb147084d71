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

__all__ = ["DocumentJob", "DocumentKind", "DocumentTemplate", "ExportTrace", "JobState"]


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
    """A long document or workbook generated in steps by a background task (the worker runs the
    steps; the page polls this row for its progress). The result is stored without a trace
    (the download stamps it for whoever downloads), but its figures are those the requester may
    see, so a job and its file belong to the requester alone."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(_("文件类别"), max_length=30)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    # The jurisdiction the document is about: scoping and the template in force.
    jurisdiction = models.ForeignKey("accounts.OrgUnit", on_delete=models.CASCADE, related_name="+")
    params = models.JSONField(default=dict)  # what to generate, e.g. {"round": 3, "unit": null}
    state = models.CharField(_("状态"), max_length=10, choices=JobState.choices, default=JobState.RUNNING)
    steps_done = models.PositiveSmallIntegerField(default=0)
    steps_total = models.PositiveSmallIntegerField(default=1)
    # Partial results carried between steps; once done, what the download needs (the template used).
    data = models.JSONField(default=dict, blank=True)
    error = models.CharField(_("失败原因"), max_length=500, blank=True)
    filename = models.CharField(max_length=200, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    content = models.BinaryField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Set when the worker takes the job up; until then it waits in the queue.
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # The background task that runs it (the queue's id; empty when the queue assigns it later).
    task_id = models.CharField(max_length=64, blank=True)

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


class ExportTrace(models.Model):
    """One download of a generated document or workbook, under its own trace code.

    The code is printed in the file's footer, kept in its custom properties and hidden in its text
    (``trace`` and ``trace_files``), so a leaked copy leads back here: who received it, when,
    which document of what, and from which page. Rows are written once and never changed.
    """

    code = models.CharField(_("追溯码"), max_length=16, unique=True)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("下载人"), on_delete=models.PROTECT, null=True, related_name="+"
    )
    recipient_name = models.CharField(_("下载人姓名"), max_length=80)  # as printed on the copy
    created_at = models.DateTimeField(_("下载时间"), db_index=True)
    kind = models.CharField(_("文件类别"), max_length=40)
    kind_label = models.CharField(_("文件类别名称"), max_length=60, blank=True)
    filename = models.CharField(_("文件名"), max_length=200, blank=True)
    file_format = models.CharField(_("格式"), max_length=8)  # docx / xlsx
    # The object the file is about, by reference (the kernel knows no domain model): the same
    # label and id the audit log uses, and its name at the time.
    target_type = models.CharField(_("对象类型"), max_length=64, blank=True)
    target_id = models.CharField(_("对象编号"), max_length=64, blank=True)
    target_label = models.CharField(_("对象"), max_length=200, blank=True)
    scope_unit = models.ForeignKey(
        "accounts.OrgUnit", verbose_name=_("所属单位"), on_delete=models.PROTECT, null=True, related_name="+"
    )
    source = models.CharField(_("下载页面"), max_length=500, blank=True)
    sha256 = models.CharField(_("文件SHA-256"), max_length=64, db_index=True)
    # How the code was hidden in this copy: scheme, the bits of the mark, the footer line.
    fingerprint = models.JSONField(_("指纹"), default=dict)

    SCOPE_PATH_FIELD = "scope_unit__path"

    class Meta:
        verbose_name = _("导出追溯记录")
        verbose_name_plural = _("导出追溯记录")
        ordering = ["-created_at"]
        # 份号: each download of a classified document counts the copies of it handed out before.
        indexes = [models.Index(fields=["target_type", "target_id", "kind"], name="exporttrace_copies")]

    def __str__(self) -> str:
        return f"{self.code} {self.recipient_name}"
