from django.urls import path

from xuncha.findings.views import feedback, focus, problems, reports

app_name = "findings"

urlpatterns = [
    path("teams/<int:pk>/", problems.team_findings, name="team_findings"),
    path("targets/<int:pk>/problems/", problems.problem_list, name="problem_list"),
    path("targets/<int:pk>/problems/new/", problems.problem_create, name="problem_create"),
    path("problems/<int:pk>/", problems.problem_detail, name="problem_detail"),
    path("problems/<int:pk>/edit/", problems.problem_edit, name="problem_edit"),
    path("problems/<int:pk>/delete/", problems.problem_delete, name="problem_delete"),
    path("teams/<int:pk>/reports/new/", reports.draft_create, name="draft_create"),
    path("reports/review/", reports.office_queue, name="office_queue"),
    path("reports/<int:pk>/", reports.draft_detail, name="draft_detail"),
    path("reports/<int:pk>/sections/", reports.draft_sections, name="draft_sections"),
    path("reports/<int:pk>/generate/", reports.version_generate, name="version_generate"),
    path("reports/<int:pk>/upload/", reports.version_upload, name="version_upload"),
    path("reports/<int:pk>/versions/<int:number>/", reports.version_download, name="version_download"),
    path("reports/<int:pk>/compare/<int:old>/<int:new>/", reports.version_compare, name="version_compare"),
    path("reports/<int:pk>/do/<slug:action>/", reports.draft_transition, name="draft_transition"),
    path("targets/<int:pk>/feedback/", feedback.feedback_prepare, name="feedback_prepare"),
    path("feedback/<int:pk>/", feedback.feedback_detail, name="feedback_detail"),
    path("feedback/<int:pk>/edit/", feedback.feedback_update, name="feedback_update"),
    path("feedback/<int:pk>/sections/", feedback.feedback_sections, name="feedback_sections"),
    path("feedback/<int:pk>/send/", feedback.feedback_send, name="feedback_send"),
    path("feedback/<int:pk>/document/", feedback.feedback_document, name="feedback_document"),
    path("focus/", focus.focus_list_index, name="focus_list_index"),
    path("focus/new/", focus.focus_list_create, name="focus_list_create"),
    path("focus/<int:pk>/", focus.focus_list_detail, name="focus_list_detail"),
    path("focus/<int:pk>/toggle/", focus.focus_list_toggle, name="focus_list_toggle"),
    path("unit/", feedback.unit_feedback_list, name="unit_feedback_list"),
    path("unit/<int:pk>/", feedback.unit_feedback_detail, name="unit_feedback_detail"),
]
