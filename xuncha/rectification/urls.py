from django.urls import path

from xuncha.rectification import views

app_name = "rectification"

urlpatterns = [
    path("", views.plan_list, name="plan_list"),
    path("feedback/<int:feedback_pk>/", views.plan_for_feedback, name="plan_for_feedback"),
    path("feedback/<int:feedback_pk>/start/", views.plan_start, name="plan_start"),
    path("plans/<int:pk>/", views.plan_detail, name="plan_detail"),
    path("plans/<int:pk>/tasks/", views.task_add, name="task_add"),
    path("plans/<int:pk>/template.xlsx", views.plan_template, name="plan_template"),
    path("plans/<int:pk>/ledger.xlsx", views.plan_ledger, name="plan_ledger"),
    path("plans/<int:pk>/import/", views.plan_import, name="plan_import"),
    path("plans/<int:pk>/do/<slug:action>/", views.plan_transition, name="plan_transition"),
    path("tasks/<int:pk>/", views.task_detail, name="task_detail"),
    path("tasks/<int:pk>/progress/", views.task_progress, name="task_progress"),
    path("tasks/<int:pk>/do/<slug:action>/", views.task_transition, name="task_transition"),
]
