from django.urls import path

from xuncha.plans.views import briefings, documents, pool, rounds, teams, terms

app_name = "plans"

urlpatterns = [
    path("rounds/", rounds.round_list, name="round_list"),
    path("rounds/new/", rounds.round_create, name="round_create"),
    path("rounds/<int:pk>/", rounds.round_detail, name="round_detail"),
    path("rounds/<int:pk>/edit/", rounds.round_edit, name="round_edit"),
    path("rounds/<int:pk>/do/<slug:action>/", rounds.round_transition, name="round_transition"),
    path("rounds/<int:pk>/targets/new/", rounds.target_add, name="target_add"),
    path("rounds/<int:pk>/teams/new/", teams.team_create, name="team_create"),
    path("targets/<int:pk>/edit/", rounds.target_edit, name="target_edit"),
    path("targets/<int:pk>/remove/", rounds.target_remove, name="target_remove"),
    path("targets/<int:pk>/announcement/", rounds.announcement_edit, name="announcement_edit"),
    path("teams/<int:pk>/", teams.team_detail, name="team_detail"),
    path("teams/<int:pk>/members/new/", teams.member_add, name="member_add"),
    path("teams/<int:pk>/access/", teams.team_access, name="team_access"),
    path("teams/<int:pk>/authorisation.docx", documents.team_authorisation, name="team_authorisation"),
    path("targets/<int:pk>/entry-notice.docx", documents.entry_notice, name="entry_notice"),
    path("targets/<int:pk>/announcement.docx", documents.announcement, name="announcement"),
    path("members/<int:pk>/remove/", teams.member_remove, name="member_remove"),
    path("terms/", terms.term_list, name="term_list"),
    path("terms/new/", terms.term_create, name="term_create"),
    path("terms/<int:pk>/", terms.term_detail, name="term_detail"),
    path("rounds/<int:pk>/briefings/new/", briefings.briefing_add, name="briefing_add"),
    path("briefings/<int:pk>/files/<uuid:file_pk>/", briefings.briefing_file, name="briefing_file"),
    path("terms/<int:pk>/minutes/", briefings.term_minutes, name="term_minutes"),
    path("teams/<int:pk>/edit/", briefings.team_edit, name="team_edit"),
    path("recusal/", briefings.declaration_list, name="declaration_list"),
    path("recusal/new/", briefings.declaration_add, name="declaration_add"),
    path("recusal/<int:pk>/withdraw/", briefings.declaration_withdraw, name="declaration_withdraw"),
    path("pool/", pool.pool_list, name="pool_list"),
    path("pool/new/", pool.pool_create, name="pool_create"),
    path("pool/<int:pk>/", pool.pool_edit, name="pool_edit"),
    path("pool/<int:pk>/trainings/", pool.training_add, name="training_add"),
    path("members/<int:pk>/appraise/", teams.member_appraise, name="member_appraise"),
]
