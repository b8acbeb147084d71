"""URLs of a public-only instance (XUNCHA_PUBLIC_ONLY=on): the reporting pages and nothing else.

Such an instance sits on an internet-facing server apart from the intranet; no login page, no
staff page, no admin exists here to attack. Reports move inward as described in docs/deploy.md.
"""

from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.generic import RedirectView
from django.views.i18n import set_language

from xuncha.common import views as common_views

urlpatterns = [
    path("", login_not_required(RedirectView.as_view(pattern_name="intake_public:window_list")), name="home"),
    path("healthz", common_views.healthz, name="healthz"),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("report/", include("xuncha.intake.public_urls")),
    path("captcha/", include("xuncha.intake.captcha_urls")),
    path("gongkai/", include("xuncha.rectification.public_urls")),  # 整改公开: no login
    path("pingjia/", include("xuncha.appraisal.public_urls")),  # 巡后评估测评: no login
]

handler400 = "xuncha.common.views.error_400"
handler403 = "xuncha.common.views.error_403"
handler404 = "xuncha.common.views.error_404"
handler500 = "xuncha.common.views.error_500"
