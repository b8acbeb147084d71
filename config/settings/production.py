"""Shared deployments (gunicorn behind nginx). Refuses to start when unsafe."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import DATABASES, DEBUG, SECRET_KEY, env

if DEBUG:
    raise ImproperlyConfigured("生产环境不得开启 DEBUG（DEBUG=on is refused in production）。")
if SECRET_KEY.startswith("insecure-") or len(SECRET_KEY) < 40:
    raise ImproperlyConfigured(
        "生产环境必须设置足够长的 SECRET_KEY（a unique SECRET_KEY of 40+ characters is required）。"
    )

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=True)
CSRF_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=True)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0)
# Demo accounts and their passwords are for demo data only: never in production.
XUNCHA_DEMO_ALLOWED = False

# Persistent database connections (a new PostgreSQL connection per request costs a backend
# process start on the server: the signed-in layout page under load 130 → see the load table);
# checked before reuse, so a restarted database costs one failed request at most.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
