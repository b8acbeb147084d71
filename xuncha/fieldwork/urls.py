from django.urls import path

from xuncha.fieldwork.views import fixes, papers, records

app_name = "fieldwork"

urlpatterns = [
    path("teams/<int:pk>/records/", records.record_list, name="record_list"),
    path("teams/<int:pk>/records/new/", records.record_create, name="record_create"),
    path("records/<int:pk>/", records.record_detail, name="record_detail"),
    path("records/<int:pk>/edit/", records.record_edit, name="record_edit"),
    path("teams/<int:pk>/papers/", papers.paper_list, name="paper_list"),
    path("teams/<int:pk>/papers/new/", papers.paper_create, name="paper_create"),
    path("papers/<int:pk>/", papers.paper_detail, name="paper_detail"),
    path("papers/<int:pk>/edit/", papers.paper_edit, name="paper_edit"),
    path("papers/<int:pk>/evidence/", papers.paper_evidence_add, name="paper_evidence_add"),
    path("papers/<int:pk>/evidence/<int:number>/", papers.paper_evidence_file, name="paper_evidence_file"),
    path("papers/<int:pk>/do/<slug:action>/", papers.paper_transition, name="paper_transition"),
    path("papers/<int:pk>/fix/", papers.fix_issue, name="fix_issue"),
    path("fixes/", fixes.fix_list, name="fix_list"),
    path("fixes/<int:pk>/", fixes.fix_detail, name="fix_detail"),
    path("fixes/<int:pk>/respond/", fixes.fix_respond, name="fix_respond"),
    path("fixes/<int:pk>/review/", fixes.fix_review, name="fix_review"),
]
