"""`make loadtest`: the bench settings (DEBUG off, the synthetic-data app) served by gunicorn the way
production serves: a real key of 40+ characters, static files collected into ``STATIC_ROOT`` with
hashed names and served by WhiteNoise, two-factor sign-in enforced. In front of the site's URLs sit
the benchmark's trivial pages and a bare view (xuncha/synth/load/urls.py). Plain HTTP on the
loopback, so the cookies are not marked Secure. Never deploy it: it is for synthetic databases."""

from django.core.exceptions import ImproperlyConfigured

from .bench import *  # noqa: F403
from .bench import DATABASES, SECRET_KEY, env

if SECRET_KEY.startswith("insecure-") or len(SECRET_KEY) < 40:
    raise ImproperlyConfigured("压力测试须设置 40 个字符以上的 SECRET_KEY（manage.py loadtest 每次生成一个）。")

ROOT_URLCONF = "xuncha.synth.load.urls"
STATIC_ROOT = env.path("STATIC_ROOT")
# Production's storage also compresses every file (gzip and brotli): minutes of collectstatic for
# ECharts alone, and it changes only how static files are served, which the load test never asks
# for (browsers cache them under their hashed names). Pages pay the same manifest lookups here.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
}
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False

# Persistent database connections (a new PostgreSQL connection per request costs a backend
# process start on the server: the signed-in layout page under load 130 → see the load table);
# checked before reuse, so a restarted database costs one failed request at most.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
