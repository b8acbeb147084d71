"""Settings shared by every environment. Values come from ``config.env`` only."""

from datetime import timedelta

from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

from config.env import BASE_DIR, env

SECRET_KEY = env("SECRET_KEY", default="insecure-dev-key-change-me")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "template_partials",
    "treebeard",
    "django_filters",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",  # one-time recovery codes
    "csp",
    "django_tasks",
    "django_tasks_db",  # the task queue's table and `manage.py db_worker`
    "xuncha.common",
    "xuncha.audit",
    "xuncha.files",
    "xuncha.accounts",
    "xuncha.plans",
    "xuncha.documents",
    "xuncha.workspace",
    "xuncha.fieldwork",
    "xuncha.intake",
    "xuncha.findings",
    "xuncha.transfers",
    "xuncha.rectification",
    "xuncha.notify",
    "xuncha.analytics",
    "xuncha.appraisal",
    "captcha",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Cache-Control: no-store, private on every response but anonymous public pages (see its doc).
    "xuncha.common.middleware.NoStoreMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "xuncha.common.middleware.ChineseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Every page needs a login unless its view is marked @login_not_required.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # A password someone else chose (new account, office reset) is changed before anything else.
    "xuncha.accounts.middleware.PasswordChangeRequiredMiddleware",
    # Signed-in users whose roles require a second factor enrol first; sessions of users who have
    # one but never typed a code are asked for it (xuncha/accounts/twofactor/middleware.py).
    "xuncha.accounts.twofactor.middleware.TwoFactorRequiredMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Axes must come last: it turns a locked-out login into the lockout response.
    "axes.middleware.AxesMiddleware",
]

# A public-only instance serves the reporting pages and nothing else (docs/deploy.md).
XUNCHA_PUBLIC_ONLY = env.bool("XUNCHA_PUBLIC_ONLY", default=False)
ROOT_URLCONF = "config.urls_public" if XUNCHA_PUBLIC_ONLY else "config.urls"
# The paths (prefix if ending in "/", else exact) whose pages are public: the only ones that keep
# their own caching when nobody is signed in; every other response is no-store (NoStoreMiddleware).
# Add a public URL module here when it is added to config/urls.py and config/urls_public.py.
XUNCHA_PUBLIC_PATHS = ["/report/", "/captcha/", "/gongkai/", "/pingjia/", "/healthz", "/static/"]
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "xuncha.workspace.context_processors.navigation",
            ],
        },
    },
]

# --- database -------------------------------------------------------------------------------
# SQLite file by default (zero set-up, also the on-site standalone kit); any Django database URL
# in DATABASE_URL overrides it (postgres://… for shared deployments, psycopg 3).
_default_db = f"sqlite:///{BASE_DIR / 'var' / 'xuncha.sqlite3'}"
DATABASES = {"default": env.db_url("DATABASE_URL", default=_default_db)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            # IMMEDIATE takes the write lock at BEGIN, so two writers never read the same
            # audit-chain head and then race (see audit/services.py).
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://xuncha")}

# --- background jobs (Django's task framework; docs/deploy.md "后台任务") -----------------------
# Tasks are rows in the database; `manage.py db_worker` (deploy/xuncha-worker.service) runs them.
# No broker to operate on an intranet; the RQ backend (Redis) replaces this when one machine is
# not enough, with the same task code.
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}
# PDF (版式文件) of the documents, made by the worker with LibreOffice (docs/deploy.md §17): the
# program (empty: `soffice` on PATH) and how long one conversion may take, in seconds.
XUNCHA_SOFFICE = env("XUNCHA_SOFFICE", default="")
XUNCHA_PDF_TIMEOUT = env.int("XUNCHA_PDF_TIMEOUT", default=120)

# --- authentication -------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
# 等保 level 3: 12+ characters from 3 of 4 classes; our subclasses of Django's validators give
# Chinese messages (xuncha/accounts/passwords.py says why).
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "xuncha.accounts.passwords.UserAttributeSimilarityValidator"},
    {"NAME": "xuncha.accounts.passwords.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "xuncha.accounts.passwords.CharacterClassesValidator", "OPTIONS": {"min_classes": 3}},
    {"NAME": "xuncha.accounts.passwords.CommonPasswordValidator"},
    {"NAME": "xuncha.accounts.passwords.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Idle timeout: the cookie age is renewed on every request, so it expires after N idle minutes.
SESSION_IDLE_MINUTES = env.int("SESSION_IDLE_MINUTES", default=30)
SESSION_COOKIE_AGE = SESSION_IDLE_MINUTES * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# django-axes: N failures lock the pair (user name, client address) for the cool-off period.
# Not the user name alone: then anyone could lock an official out from anywhere with five wrong
# passwords. Not the address alone: that would lock a whole office behind one NAT.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# A slower ceiling per client address across all user names (password spraying): this many
# failures within the cool-off refuse the address for the cool-off; 0 switches it off. Counted by
# xuncha.accounts.lockout from axes's own attempt rows (axes has only one failure limit).
XUNCHA_LOGIN_FAILURES_PER_ADDRESS = env.int("AXES_ADDRESS_FAILURE_LIMIT", default=30)
AXES_HANDLER = "xuncha.accounts.lockout.AddressLimitedAxesHandler"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False
# Behind nginx the client address is in X-Forwarded-For; set AXES_PROXY_COUNT=1 there. Locks key
# on the address: without it every client would be 127.0.0.1 and share one address limit.
AXES_IPWARE_PROXY_COUNT = env.int("AXES_PROXY_COUNT", default=0)
if AXES_IPWARE_PROXY_COUNT:
    AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]

# --- internationalisation -------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env("TIME_ZONE", default="Asia/Shanghai")
USE_I18N = True
USE_TZ = True

# --- static files (Bootstrap, icons and ECharts come from npm, never from a CDN) -------------
STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
_NODE = BASE_DIR / "node_modules"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/bootstrap", _NODE / "bootstrap" / "dist"),
    ("vendor/bootstrap-icons", _NODE / "bootstrap-icons" / "font"),
    ("vendor/echarts", _NODE / "echarts" / "dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "var" / "media")
# Uploaded evidence lives under MEDIA_ROOT/files, which nginx never serves (there is no MEDIA_URL
# route): files leave only through views that check permission. Larger uploads are refused by
# xuncha.files before they are read; nginx's client_max_body_size should match. Django's
# FILE_UPLOAD_MAX_MEMORY_SIZE stays at its default (2.5 MB), so big uploads spool to a temporary
# file instead of memory.
FILES_MAX_UPLOAD_MB = env.int("FILES_MAX_UPLOAD_MB", default=50)
# What an upload may unpack to before any parser opens it (xuncha.files.guard; issue 14): a 2 MB
# .xlsx can hold 2 GB of XML. Office parts deflate 3-20:1, bombs ~1000:1; 200 MB unpacked is four
# times what a 50 MB upload of real XML gives. 50 megapixels is an A4 scan at 600 dpi with room to
# spare; decoding one takes ~150 MB.
XUNCHA_UPLOAD_ZIP_MAX_UNCOMPRESSED = env.int("XUNCHA_UPLOAD_ZIP_MAX_UNCOMPRESSED", default=200 * 1024 * 1024)
XUNCHA_UPLOAD_ZIP_MAX_RATIO = env.int("XUNCHA_UPLOAD_ZIP_MAX_RATIO", default=100)
XUNCHA_UPLOAD_ZIP_MAX_ENTRIES = env.int("XUNCHA_UPLOAD_ZIP_MAX_ENTRIES", default=10_000)
XUNCHA_UPLOAD_IMAGE_MAX_PIXELS = env.int("XUNCHA_UPLOAD_IMAGE_MAX_PIXELS", default=50_000_000)

# --- security headers -----------------------------------------------------------------------
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}
X_FRAME_OPTIONS = "DENY"
# The Chinese CSRF failure page, self-contained like the other error pages (its inline style is
# allowed by hash in its own CSP).
CSRF_FAILURE_VIEW = "xuncha.common.views.csrf_failure"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

# --- product defaults -----------------------------------------------------------------------
XUNCHA_PAGE_SIZE = env.int("XUNCHA_PAGE_SIZE", default=25)
# Public reports (intake): receipt codes are hashed with Argon2id and this installation's salt
# (derived from SECRET_KEY when not set); guesses are throttled (xuncha/intake/throttle.py).
XUNCHA_RECEIPT_SALT = env("XUNCHA_RECEIPT_SALT", default="")
XUNCHA_RECEIPT_ARGON2 = {"time_cost": 3, "memory_cost": 64 * 1024, "parallelism": 2}
# Wrong receipt codes on the follow-up page, counted per 15 minutes in the cache under hashed keys
# (use a shared cache such as Redis when more than one process serves the site). No limit here
# blocks everyone: only a client's own ceiling refuses anybody; the rest switch a captcha on.
XUNCHA_RECEIPT_THROTTLE = {
    # wrong codes from one client (address; IPv6 by its /64) before it must solve a captcha
    "captcha_after": env.int("XUNCHA_RECEIPT_CAPTCHA_AFTER", default=3),
    # hard ceiling for one client, captcha or not: refused until the 15 minutes are over
    "per_client": env.int("XUNCHA_RECEIPT_GUESSES_PER_CLIENT", default=30),
    # wrong codes starting with the same digits before codes with that start need the captcha
    "per_prefix": env.int("XUNCHA_RECEIPT_GUESSES_PER_PREFIX", default=10),
    "prefix_digits": 4,
    # wrong codes installation-wide above which everyone must solve the captcha (a signal only)
    "global": env.int("XUNCHA_RECEIPT_GUESSES_GLOBAL", default=300),
}
CAPTCHA_IMAGE_SIZE = (120, 40)
CAPTCHA_LENGTH = 4
CAPTCHA_TIMEOUT = 10  # minutes
# Submissions of the public report form per client (address; IPv6 by its /64) and hour, counted in
# the cache (xuncha/intake/throttle.py); past it the client gets the 429 page "提交过于频繁".
XUNCHA_REPORT_POSTS_PER_HOUR = env.int("XUNCHA_REPORT_POSTS_PER_HOUR", default=20)

# demo_seed refuses to run where this is False. production.py forces False; a server's env file
# sets XUNCHA_DEMO_ALLOWED=off too, so a command run with the wrong settings module is still safe.
XUNCHA_DEMO_ALLOWED = env.bool("XUNCHA_DEMO_ALLOWED", default=True)
# The address citizens reach the public reporting page at (printed as a QR code on announcements);
# on an intranet deployment it differs from the host the office uses.
XUNCHA_PUBLIC_BASE_URL = env("XUNCHA_PUBLIC_BASE_URL", default="http://127.0.0.1:8000")
# Possible duplicate reports are flagged from this jieba-word cosine similarity up (0–1).
XUNCHA_REPORT_SIMILARITY = env.float("XUNCHA_REPORT_SIMILARITY", default=0.3)
# Report content is removed this many days after its round is archived (intake_purge); counts stay.
XUNCHA_REPORT_RETENTION_DAYS = env.int("XUNCHA_REPORT_RETENTION_DAYS", default=5 * 365)
# Master keys (KEKs) for encryption at rest of public reports (xuncha/common/crypto): lines
# "id:base64key", the first is active. Set ONE of the two: a file outside the code tree (preferred,
# root:xuncha 0640), or the lines comma-separated. Never in the database. With neither, DEBUG uses a
# development key and `check --deploy` fails (docs/deploy.md, "Encryption keys").
XUNCHA_MASTER_KEY_FILE = env("XUNCHA_MASTER_KEY_FILE", default="")
XUNCHA_MASTER_KEYS = env("XUNCHA_MASTER_KEYS", default="")

# --- message channels: e-mail and webhooks (xuncha/notify; docs/deploy.md "消息推送渠道") -----------
# Links in e-mails and robot messages must be absolute: the address the office opens Xuncha at.
XUNCHA_SITE_URL = env("XUNCHA_SITE_URL", default="http://127.0.0.1:8000")
# E-mail copies of messages go out only when an SMTP server is set (or XUNCHA_EMAIL_ENABLED=on).
EMAIL_HOST = env("EMAIL_HOST", default="")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
EMAIL_USE_SSL = env.bool("EMAIL_USE_SSL", default=False)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="xuncha@localhost")
XUNCHA_EMAIL_ENABLED = env.bool("XUNCHA_EMAIL_ENABLED", default=bool(EMAIL_HOST))
# Seconds one attempt (SMTP or HTTP) may take: a dead endpoint must not hold up the others.
XUNCHA_NOTIFY_TIMEOUT = env.int("XUNCHA_NOTIFY_TIMEOUT", default=5)
EMAIL_TIMEOUT = XUNCHA_NOTIFY_TIMEOUT

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# Two-factor sign-in (TOTP, django-otp). Roles that must enrol unless the office sets otherwise
# (accounts.TwoFactorRule): those who hold reporters' identities, keys, accounts or a team.
XUNCHA_2FA_REQUIRED_ROLES = env.list(
    "XUNCHA_2FA_REQUIRED_ROLES",
    default=["office_head", "office_staff", "sysadmin", "team_member"],
)
# A "fresh" second factor: sensitive actions (unlocking an identity, granting roles, keys,
# templates) ask for a new code when the last one is older than this.
XUNCHA_2FA_FRESH_SECONDS = env.int("XUNCHA_2FA_FRESH_SECONDS", default=300)
# Off only in the test settings: with it off nobody is sent to enrolment and no fresh code is asked
# (a user who has an authenticator is still asked for a code at the login page).
XUNCHA_2FA_ENFORCED = env.bool("XUNCHA_2FA_ENFORCED", default=True)
# The name the authenticator app shows above the code (in the otpauth:// address of the QR code).
OTP_TOTP_ISSUER = "Xuncha 巡察"

# The audit log's keys live outside the database (xuncha/audit/keys.py; docs/deploy.md, "Audit keys
# and checkpoints"): HMAC-SM3 keys for every entry and Ed25519 keys that sign checkpoints of the
# chain's head. Lines "id:base64" (first = active); unset under DEBUG = development keys.
XUNCHA_AUDIT_MAC_KEY_FILE = env("XUNCHA_AUDIT_MAC_KEY_FILE", default="")
XUNCHA_AUDIT_MAC_KEYS = env("XUNCHA_AUDIT_MAC_KEYS", default="")
XUNCHA_AUDIT_SIGNING_KEY_FILE = env("XUNCHA_AUDIT_SIGNING_KEY_FILE", default="")
XUNCHA_AUDIT_SIGNING_KEYS = env("XUNCHA_AUDIT_SIGNING_KEYS", default="")
# A signed checkpoint every N entries (in the writer's transaction) and hourly by the timer
# (deploy/xuncha-audit-checkpoint.timer); appended after commit to this file (another volume) and
# to the "xuncha.audit.anchor" logger (syslog when XUNCHA_AUDIT_SYSLOG names a socket or host:port).
XUNCHA_AUDIT_CHECKPOINT_EVERY = env.int("XUNCHA_AUDIT_CHECKPOINT_EVERY", default=100)
XUNCHA_AUDIT_ANCHOR_FILE = env("XUNCHA_AUDIT_ANCHOR_FILE", default="")
XUNCHA_AUDIT_SYSLOG = env("XUNCHA_AUDIT_SYSLOG", default="")
if XUNCHA_AUDIT_SYSLOG:
    _host, _, _port = XUNCHA_AUDIT_SYSLOG.rpartition(":")
    LOGGING["handlers"]["audit_syslog"] = {
        "class": "logging.handlers.SysLogHandler",
        "address": (_host, int(_port)) if _host and _port.isdigit() else XUNCHA_AUDIT_SYSLOG,
        "facility": "authpriv",
        "formatter": "plain",
    }
    LOGGING["loggers"]["xuncha.audit.anchor"] = {"handlers": ["audit_syslog", "console"], "level": "INFO"}
