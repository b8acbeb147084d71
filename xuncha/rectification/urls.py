from django.urls import path

from xuncha.rectification.views import accountability, evaluation, followup, letters, plans, reports, supervision

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
    path("plans/<int:pk>/import/status/", plans.plan_import_status, name="plan_import_status"),
    path("plans/<int:pk>/do/<slug:action>/", plans.plan_transition, name="plan_transition"),
    path("tasks/<int:pk>/", plans.task_detail, name="task_detail"),
    path("tasks/<int:pk>/progress/", plans.task_progress, name="task_progress"),
    path("tasks/<int:pk>/files/<uuid:file_pk>/", plans.task_file, name="task_file"),
    path("tasks/<int:pk>/do/<slug:action>/", plans.task_transition, name="task_transition"),
]

# Sub-topics add their pages below, one block each (supervision, follow-up, letters and disclosure).

# Supervision: key items of county leaders, sector clean-ups.
urlpatterns += [
    path("supervision/", supervision.assignment_list, name="assignment_list"),
    path("supervision/<int:pk>/", supervision.assignment_detail, name="assignment_detail"),
    path("supervision/<int:pk>/comment/", supervision.assignment_comment, name="assignment_comment"),
    path("supervision/<int:pk>/revoke/", supervision.assignment_revoke, name="assignment_revoke"),
    path("problems/<int:problem_pk>/assign/", supervision.assignment_add, name="assignment_add"),
    path("campaigns/", supervision.campaign_list, name="campaign_list"),
    path("campaigns/<int:pk>/", supervision.campaign_detail, name="campaign_detail"),
    path("campaigns/<int:pk>/report/", supervision.campaign_report, name="campaign_report"),
    path("campaigns/<int:pk>/close/", supervision.campaign_close, name="campaign_close"),
    path("problems/<int:problem_pk>/campaign/", supervision.campaign_add, name="campaign_add"),
]

# Follow-up: results, return visits, evaluation, accountability.
urlpatterns += [
    path("plans/<int:pk>/followup/", followup.plan_followup, name="plan_followup"),
    path("plans/<int:pk>/visits/add/", followup.visit_add, name="visit_add"),
    path("visits/<int:pk>/", followup.visit_detail, name="visit_detail"),
    path("plans/<int:pk>/life-meeting/", followup.life_meeting_edit, name="life_meeting_edit"),
    path("plans/<int:pk>/mechanisms/add/", followup.mechanism_add, name="mechanism_add"),
    path("plans/<int:pk>/recoveries/add/", followup.recovery_add, name="recovery_add"),
    path("plans/<int:pk>/evaluation/", evaluation.evaluation_edit, name="evaluation_edit"),
    path("plans/<int:pk>/evaluation/preview/", evaluation.evaluation_preview, name="evaluation_preview"),
    path("plans/<int:pk>/evaluation/lookback/", evaluation.evaluation_lookback, name="evaluation_lookback"),
    path("plans/<int:pk>/evaluation.xlsx", evaluation.evaluation_xlsx, name="evaluation_xlsx"),
    path("evaluations/", evaluation.evaluation_list, name="evaluation_list"),
    path("evaluation-sheets/", evaluation.evaluation_sheets, name="evaluation_sheets"),
    path("evaluation-sheets/new/", evaluation.sheet_create, name="sheet_create"),
    path("plans/<int:pk>/accountability/add/", accountability.accountability_add, name="accountability_add"),
    path("accountability/<int:pk>/edit/", accountability.accountability_edit, name="accountability_edit"),
    path("accountability/", accountability.accountability_list, name="accountability_list"),
]

# Escalation letters (五书制), the two reports and disclosure.
urlpatterns += [
    path("letters/", letters.letter_list, name="letter_list"),
    path("letters/<int:pk>/", letters.letter_detail, name="letter_detail"),
    path("letters/<int:pk>/docx/", letters.letter_docx, name="letter_docx"),
    path("letters/<int:pk>/talk/", letters.letter_talk, name="letter_talk"),
    path("plans/<int:pk>/letters/", letters.plan_letters, name="plan_letters"),
    path("plans/<int:pk>/letters/add/", letters.letter_add, name="letter_add"),
    path("plans/<int:pk>/reports/", reports.plan_reports, name="plan_reports"),
    path("plans/<int:pk>/reports/<slug:kind>/docx/", reports.report_docx, name="report_docx"),
    path("plans/<int:pk>/plan.docx", reports.plan_docx, name="plan_docx"),
    path("plans/<int:pk>/reports/<slug:kind>/submit/", reports.report_submit, name="report_submit"),
    path("reports/<int:pk>/file/", reports.report_file, name="report_file"),
    path("plans/<int:pk>/disclosures/add/", reports.disclosure_add, name="disclosure_add"),
    path("disclosures/<int:pk>/edit/", reports.disclosure_edit, name="disclosure_edit"),
    path("disclosures/<int:pk>/approve/", reports.disclosure_approve, name="disclosure_approve"),
    path("disclosures/<int:pk>/return/", reports.disclosure_return, name="disclosure_return"),
    path("disclosures/<int:pk>/withdraw/", reports.disclosure_withdraw, name="disclosure_withdraw"),
]
