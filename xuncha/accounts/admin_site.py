"""Django admin is the system administrator's window onto the data, read-only.

Every write goes through a service so it is validated and audited; the admin would bypass both,
so it can look but not touch. Access needs the ADMIN_SITE permission (system administrator).
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from xuncha.accounts.permissions import Perm, has_perm


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_view_permission(self, request, obj=None):
        return has_perm(request.user, Perm.ADMIN_SITE)

    def has_module_permission(self, request):
        return has_perm(request.user, Perm.ADMIN_SITE)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def _admin_site_permission(request) -> bool:
    return request.user.is_active and has_perm(request.user, Perm.ADMIN_SITE)


# The default site, patched on the instance (no custom AdminSite to wire into the URLconf).
admin.site.has_permission = _admin_site_permission  # type: ignore[method-assign]
admin.site.site_header = _("巡察工作平台 · 系统后台")
admin.site.site_title = _("巡察工作平台")
admin.site.index_title = _("只读数据查看")
