"""The audit log: append-only rows chained by SM3 hashes.

``hash = SM3(prev_hash || canonical row)``. Any edit, deletion, insertion or reordering of rows
breaks the chain at that row, which ``manage.py audit_verify`` reports. ``mac`` (HMAC-SM3 under a
key outside the database) exposes rows written by anyone without the key, even with recomputed
hashes. ``AuditHead`` holds the last sequence number and hash; writers lock it, so the chain stays a
single line. ``AuditCheckpoint`` rows are signed heads, also appended outside the database, so the
tail cannot be cut back past one (ADR 0007).
"""

from typing import Any, NoReturn

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AppendOnlyError(RuntimeError):
    pass


class AuditEntry(models.Model):
    seq = models.BigIntegerField(_("序号"), primary_key=True)
    created_at = models.DateTimeField(_("时间"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    actor_name = models.CharField(_("操作人姓名"), max_length=80, blank=True)
    action = models.CharField(_("操作"), max_length=64, db_index=True)
    target_type = models.CharField(_("对象类型"), max_length=64)
    target_id = models.CharField(_("对象编号"), max_length=64, blank=True)
    target_repr = models.CharField(_("对象"), max_length=200, blank=True)
    # The unit the target belongs to: each jurisdiction reads its own part of the log. A unit,
    # not a copied path, so that rows follow the unit when it moves in the tree. Indexed with the
    # time below (audit_scope_time), which serves the key's lookups too.
    scope_unit = models.ForeignKey(
        "accounts.OrgUnit",
        verbose_name=_("所属单位"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    before = models.JSONField(_("变更前"), null=True, blank=True)
    after = models.JSONField(_("变更后"), null=True, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)
    # "key id:hex" of HMAC-SM3(key, seq || hash); see chain.row_mac.
    mac = models.CharField(max_length=100, blank=True)

    SCOPE_PATH_FIELD = "scope_unit__path"

    class Meta:
        verbose_name = _("审计记录")
        verbose_name_plural = _("审计记录")
        ordering = ["-seq"]
        indexes = [
            models.Index(fields=["target_type", "target_id"], name="audit_target"),
            models.Index(fields=["actor", "created_at"], name="audit_actor_time"),
            # A jurisdiction's log between two dates (the page's date filters): its units' rows
            # in the range, not every jurisdiction's rows of those days (issue 17).
            models.Index(fields=["scope_unit", "created_at"], name="audit_scope_time"),
        ]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.target_repr}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # Rows are written once by audit.services.audit_record and never changed.
        if not self._state.adding:
            raise AppendOnlyError("审计记录只能追加，不能修改。")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("审计记录只能追加，不能删除。")


class AuditHead(models.Model):
    """Single row (id=1): where the chain ends. Locked by every writer."""

    last_seq = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="0" * 64)

    class Meta:
        verbose_name = _("审计链头")

    def __str__(self) -> str:
        return f"#{self.last_seq} {self.last_hash[:12]}"


class AuditCheckpoint(models.Model):
    """A signed statement "at ``signed_at`` the chain ended at ``seq`` with ``hash``".

    Written in the same transaction as the entry that reaches the interval (and by the hourly
    timer), and appended to the anchor file / syslog after commit. Verification needs only the
    public key. Rows are append-only like the entries they pin."""

    seq = models.BigIntegerField(_("链尾序号"), db_index=True)
    hash = models.CharField(_("链尾哈希"), max_length=64)
    signed_at = models.DateTimeField(_("签名时间"))
    algorithm = models.CharField(_("签名算法"), max_length=16)
    key_id = models.CharField(_("签名密钥编号"), max_length=32)
    signature = models.CharField(_("签名"), max_length=200)

    class Meta:
        verbose_name = _("审计检查点")
        verbose_name_plural = _("审计检查点")
        ordering = ["-seq", "-signed_at"]

    def __str__(self) -> str:
        return f"#{self.seq} {self.hash[:12]} @ {self.signed_at:%Y-%m-%d %H:%M}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("审计检查点只能追加，不能修改。")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("审计检查点只能追加，不能删除。")
