from django.urls import path  # noqa: F401  (each sub-topic appends its block)

app_name = "analytics"

urlpatterns: list = []

# Sub-topics add their pages below, one block each (dashboards, common problems, situation report).

# Dashboards (统计分析): the jurisdiction overview, a round's dashboard and the lists behind the charts.
from xuncha.analytics.views import dashboard as dashboard_views  # noqa: E402

urlpatterns += [
    path("", dashboard_views.dashboard, name="dashboard"),
    path("rounds/<int:pk>/", dashboard_views.round_dashboard, name="round_dashboard"),
    path("problems/", dashboard_views.problem_list, name="dashboard_problems"),
    path("tasks/", dashboard_views.task_list, name="dashboard_tasks"),
]

# Situation report (情况汇报): the round's figures, the Word report and the statistics workbook.
from xuncha.analytics.views import situation as situation_views  # noqa: E402

urlpatterns += [
    path("rounds/<int:pk>/situation/", situation_views.round_situation, name="round_situation"),
    path("rounds/<int:pk>/situation/report.docx", situation_views.situation_docx, name="situation_docx"),
    path("rounds/<int:pk>/situation/statistics.xlsx", situation_views.situation_xlsx, name="situation_xlsx"),
    path(
        "rounds/<int:pk>/situation/comprehensive.docx",
        situation_views.comprehensive_docx,
        name="situation_comprehensive_docx",
    ),
    path("rounds/<int:pk>/situation/jobs/", situation_views.situation_job_start, name="situation_job_start"),
    path("situation/jobs/<uuid:job>/", situation_views.situation_job, name="situation_job"),
    path("situation/jobs/<uuid:job>/status/", situation_views.situation_job_status, name="situation_job_status"),
    path("situation/jobs/<uuid:job>/download/", situation_views.situation_job_download, name="situation_job_download"),
]

# Common problems (共性问题): groups of similar problems across units and rounds; a group → clean-up.
from xuncha.analytics.views import common_problems as common_views  # noqa: E402

urlpatterns += [
    path("common-problems/", common_views.common_problems, name="common_problems"),
    path("common-problems/campaign/", common_views.common_campaign, name="common_campaign"),
]
