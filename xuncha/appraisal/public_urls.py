from django.urls import path

from xuncha.appraisal.views import public

app_name = "appraisal_public"

urlpatterns = [path("<str:token>/", public.answer, name="answer")]
