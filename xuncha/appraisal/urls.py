from django.urls import path

from xuncha.appraisal.views import office, setup

app_name = "appraisal"

urlpatterns = [
    path("", office.index, name="index"),
    path("rounds/<int:pk>/", office.round_detail, name="round_detail"),
    path("targets/<int:pk>/open/", office.survey_open, name="survey_open"),
    path("surveys/<int:pk>/sheet/", office.survey_sheet, name="survey_sheet"),
    path("surveys/<int:pk>/close/", office.survey_close, name="survey_close"),
    path("teams/<int:pk>/", office.team_detail, name="team_detail"),
    path("teams/<int:pk>/compute/", office.team_compute, name="team_compute"),
    path("appraisals/<int:pk>/handle/", office.team_handle, name="team_handle"),
    path("members/<int:pk>/grade/", office.member_grade, name="member_grade"),
    path("questionnaire/", setup.questionnaire, name="questionnaire"),
    path("rule/", setup.rule, name="rule"),
]
