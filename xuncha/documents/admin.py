from django.contrib import admin

from xuncha.documents.models import DocumentTemplate


@admin.register(DocumentTemplate)
class DocumentTemplateAdmin(admin.ModelAdmin):
    """Read-only: templates are uploaded and checked through the service, never edited here."""

    list_display = ("kind", "jurisdiction", "file", "uploaded_by", "created_at", "active")
    list_filter = ("kind", "active")

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
