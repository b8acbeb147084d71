from django.urls import path

from xuncha.transfers import views

app_name = "transfers"

urlpatterns = [
    path("", views.transfer_list, name="transfer_list"),
    path("rounds/<int:round_pk>/", views.round_stats, name="round_stats"),
    path("rounds/<int:round_pk>/new/", views.transfer_create, name="transfer_create"),
    path("<int:pk>/", views.transfer_detail, name="transfer_detail"),
    path("<int:pk>/do/<slug:action>/", views.transfer_transition, name="transfer_transition"),
    path("<int:pk>/letter/", views.transfer_letter, name="transfer_letter"),
    path("<int:pk>/files/<int:attachment_pk>/", views.transfer_attachment, name="transfer_attachment"),
]
