from django.urls import path

from xuncha.intake.views import public

app_name = "intake_public"

urlpatterns = [
    path("", public.window_list, name="window_list"),
    path("<int:pk>/", public.report_form, name="report_form"),
    path("follow-up/", public.follow_up, name="follow_up"),
    path("follow-up/view/", public.follow_up_view, name="follow_up_view"),
    path("follow-up/end/", public.follow_up_end, name="follow_up_end"),
]
