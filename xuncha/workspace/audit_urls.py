from django.urls import path

from xuncha.workspace import audit_log

app_name = "audit"  # the log's URLs keep their names: audit:entry_list, audit:entry_detail

urlpatterns = [
    path("", audit_log.entry_list, name="entry_list"),
    path("<int:seq>/", audit_log.entry_detail, name="entry_detail"),
]
