from django.urls import path

from xuncha.intake.views import staff

app_name = "intake"

urlpatterns = [
    path("", staff.report_list, name="report_list"),
    path("new/", staff.report_register, name="report_register"),
    path("<int:pk>/", staff.report_detail, name="report_detail"),
    path("<int:pk>/reply/", staff.report_reply, name="report_reply"),
    path("<int:pk>/act/<slug:action>/", staff.report_transition, name="report_transition"),
    path("<int:pk>/identity/", staff.identity_unlock, name="identity_unlock"),
    path("<int:pk>/files/<int:attachment_pk>/", staff.attachment_download, name="attachment_download"),
]
