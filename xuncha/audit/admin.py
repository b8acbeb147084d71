from django.contrib import admin

from xuncha.audit.models import AuditEntry
from xuncha.common.admin import ReadOnlyAdmin


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ("seq", "created_at", "actor_name", "action", "target_repr")
    list_filter = ("action",)
