from django.urls import path

from xuncha.documents import views

app_name = "documents"

urlpatterns = [
    path("templates/", views.template_list, name="template_list"),
    path("templates/<slug:kind>/<int:jurisdiction>/template.docx", views.template_download, name="template_download"),
    path("templates/<slug:kind>/<int:jurisdiction>/revert/", views.template_revert, name="template_revert"),
    path("trace/", views.trace_search, name="trace"),
    path("pdf/", views.pdf_job_list, name="pdf_jobs"),
    path("pdf/start/", views.pdf_start, name="pdf_start"),
    path("pdf/<uuid:job>/", views.pdf_job, name="pdf_job"),
    path("pdf/<uuid:job>/status/", views.pdf_job_status, name="pdf_job_status"),
    path("pdf/<uuid:job>/download/", views.pdf_job_download, name="pdf_job_download"),
]
