from django.contrib import admin

from xuncha.accounts.admin_site import ReadOnlyAdmin
from xuncha.accounts.models import OrgUnit, Person, Post, Relationship, RoleAssignment, User


@admin.register(OrgUnit)
class OrgUnitAdmin(ReadOnlyAdmin):
    list_display = ("name", "unit_type", "party_org_kind", "is_active", "path")
    list_filter = ("unit_type", "is_active")
    search_fields = ("name",)


@admin.register(Person)
class PersonAdmin(ReadOnlyAdmin):
    list_display = ("name", "gender", "unit", "is_active")
    search_fields = ("name",)


@admin.register(Post)
class PostAdmin(ReadOnlyAdmin):
    list_display = ("person", "unit", "title", "start_date", "end_date")


@admin.register(Relationship)
class RelationshipAdmin(ReadOnlyAdmin):
    list_display = ("person", "relative", "kind")


@admin.register(User)
class UserAdmin(ReadOnlyAdmin):
    list_display = ("username", "full_name", "unit", "is_active", "last_login")
    search_fields = ("username", "full_name")
    exclude = ("password",)


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(ReadOnlyAdmin):
    list_display = ("user", "role", "scope", "revoked_at")
    list_filter = ("role",)
