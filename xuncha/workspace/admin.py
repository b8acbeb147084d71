"""The common app's reference data in the read-only admin (see xuncha/accounts/admin_site.py)."""

from django.contrib import admin

from xuncha.accounts.admin_site import ReadOnlyAdmin
from xuncha.common.models import CalendarDay, DeadlineRule

for model in (CalendarDay, DeadlineRule):
    if not admin.site.is_registered(model):
        admin.site.register(model, ReadOnlyAdmin)

# The task queue's rows carry the arguments and errors of background jobs (a round's situation
# report, a unit's reminders): case content the administrator's admin does not show. The queue is
# watched with `manage.py db_worker`'s log and the jobs' own pages (docs/deploy.md §16).
for registered in list(admin.site._registry):
    if registered._meta.app_label == "django_tasks_database":
        admin.site.unregister(registered)
