from django.urls import path

from xuncha.documents import views

app_name = "documents"

urlpatterns = [
    path("templates/", views.template_list, name="template_list"),
    path("templates/<slug:kind>/<int:jurisdiction>/template.docx", views.template_download, name="template_download"),
    path("templates/<slug:kind>/<int:jurisdiction>/revert/", views.template_revert, name="template_revert"),
    path("trace/", views.trace_search, name="trace"),
]
