from django.contrib import admin

from xuncha.common.admin import ReadOnlyAdmin
from xuncha.files.models import StoredFile


@admin.register(StoredFile)
class StoredFileAdmin(ReadOnlyAdmin):
    list_display = ("original_name", "kind", "size", "uploaded_at", "uploaded_by", "scope_unit")
    list_filter = ("kind",)
    list_select_related = ("uploaded_by", "scope_unit")
    search_fields = ("original_name", "sha256", "sm3")
