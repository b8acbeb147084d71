from django.urls import path

from xuncha.documents import views

app_name = "documents"

urlpatterns = [
    path("rounds/teams/<int:pk>/authorisation.docx", views.team_authorisation, name="team_authorisation"),
    path("targets/<int:pk>/entry-notice.docx", views.entry_notice, name="entry_notice"),
    path("targets/<int:pk>/announcement.docx", views.announcement, name="announcement"),
    path("templates/", views.template_list, name="template_list"),
    path("templates/<slug:kind>/<int:jurisdiction>/template.docx", views.template_download, name="template_download"),
    path("templates/<slug:kind>/<int:jurisdiction>/revert/", views.template_revert, name="template_revert"),
    path("trace/", views.trace_search, name="trace"),
]
