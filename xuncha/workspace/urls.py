from django.urls import path

from xuncha.workspace import settings_views as views

app_name = "workspace"

urlpatterns = [
    path("calendar/", views.calendar_page, name="calendar"),
    path("calendar/day/", views.calendar_day_edit, name="calendar_day"),
    path("calendar/day/<str:day>/remove/", views.calendar_day_remove, name="calendar_day_remove"),
    path("deadlines/", views.deadline_list, name="deadlines"),
    path("deadlines/<slug:key>/", views.deadline_edit, name="deadline_edit"),
    path("deadlines/<slug:key>/reset/", views.deadline_reset, name="deadline_reset"),
]
