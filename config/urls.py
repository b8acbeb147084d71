from django.conf import settings
from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from xuncha.common import views as common_views
from xuncha.workspace import views as workspace_views

urlpatterns = [
    path("", workspace_views.home, name="home"),
    path("healthz", common_views.healthz, name="healthz"),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("", include("xuncha.accounts.urls")),
    path("audit/", include("xuncha.workspace.audit_urls")),
    path("plans/", include("xuncha.plans.urls")),
    path("documents/", include("xuncha.documents.urls")),
    path("fieldwork/", include("xuncha.fieldwork.urls")),
    path("intake/", include("xuncha.intake.urls")),
    path("findings/", include("xuncha.findings.urls")),
    path("transfers/", include("xuncha.transfers.urls")),
    path("rectification/", include("xuncha.rectification.urls")),
    path("inbox/", include("xuncha.notify.urls")),
    path("analytics/", include("xuncha.analytics.urls")),
    path("appraisal/", include("xuncha.appraisal.urls")),
    # The public side: no login, no identifying logs (see xuncha/intake/views/public.py).
    path("report/", include("xuncha.intake.public_urls")),
    path("captcha/", include("xuncha.intake.captcha_urls")),
    path("gongkai/", include("xuncha.rectification.public_urls")),  # 整改公开: no login
    path("pingjia/", include("xuncha.appraisal.public_urls")),  # 巡后评估测评: no login
    path("settings/", include("xuncha.workspace.urls")),
    path("admin/", admin.site.urls),
]

handler400 = "xuncha.common.views.error_400"
handler403 = "xuncha.common.views.error_403"
handler404 = "xuncha.common.views.error_404"
handler500 = "xuncha.common.views.error_500"

if settings.DEBUG:
    urlpatterns += [path("__errors__/<int:code>/", common_views.error_preview)]
