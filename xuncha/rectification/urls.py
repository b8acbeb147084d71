from django.urls import path

from xuncha.rectification.views import plans

app_name = "rectification"

urlpatterns = [
    path("", plans.plan_list, name="plan_list"),
    path("feedback/<int:feedback_pk>/", plans.plan_for_feedback, name="plan_for_feedback"),
    path("feedback/<int:feedback_pk>/start/", plans.plan_start, name="plan_start"),
    path("plans/<int:pk>/", plans.plan_detail, name="plan_detail"),
    path("plans/<int:pk>/tasks/", plans.task_add, name="task_add"),
    path("plans/<int:pk>/template.xlsx", plans.plan_template, name="plan_template"),
    path("plans/<int:pk>/ledger.xlsx", plans.plan_ledger, name="plan_ledger"),
    path("plans/<int:pk>/import/", plans.plan_import, name="plan_import"),
    path("plans/<int:pk>/do/<slug:action>/", plans.plan_transition, name="plan_transition"),
    path("tasks/<int:pk>/", plans.task_detail, name="task_detail"),
    path("tasks/<int:pk>/progress/", plans.task_progress, name="task_progress"),
    path("tasks/<int:pk>/do/<slug:action>/", plans.task_transition, name="task_transition"),
]

# Sub-topics add their pages below, one block each (supervision, follow-up, letters and disclosure).
