"""Test runs (pytest). Same as base, with a fast hasher so thousands of logins stay quick."""

import tempfile
from pathlib import Path

from .base import *  # noqa: F403
from .base import INSTALLED_APPS

DEBUG = False
# The synthetic-data generator and the benchmark are tested; production does not install them.
INSTALLED_APPS = [*INSTALLED_APPS, "xuncha.synth"]
# Argon2 is what production uses (tested in accounts/tests/test_settings.py); the suite uses a
# fast hasher so that fixtures creating many users do not spend minutes hashing.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Static files come from the finders (node_modules, static/); nothing is collected for tests.
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# Background tasks (TASKS): the database backend of base.py, as in production. A test that needs a
# task run calls the task function, or runs the real worker in-process (xuncha/common/tests/worker.py).

# Uploaded evidence written by tests (demo seed, browser journeys) stays out of the project tree.
MEDIA_ROOT = Path(tempfile.gettempdir()) / "xuncha-test-media"

# Cheap receipt hashing in tests (production cost is set in base.py and tested separately).
XUNCHA_RECEIPT_ARGON2 = {"time_cost": 1, "memory_cost": 1024, "parallelism": 1}

# A fixed master key for tests only (base64 of b"xuncha-test-only"); never deploy it. Tests of key
# loading override these two settings.
XUNCHA_MASTER_KEYS = "test:eHVuY2hhLXRlc3Qtb25seQ=="
XUNCHA_MASTER_KEY_FILE = ""

# Fixed audit keys for tests only (32 bytes each, base64); tests of key loading override them.
XUNCHA_AUDIT_MAC_KEYS = "test:eHVuY2hhLXRlc3Qtb25seS1hdWRpdC1tYWMta2V5ISE="
XUNCHA_AUDIT_SIGNING_KEYS = "test:eHVuY2hhLXRlc3Qtb25seS1hdWRpdC1zaWduaW5nISE="
XUNCHA_AUDIT_ANCHOR_FILE = ""

# Two-factor enforcement off: the thousands of tests that sign in with force_login would otherwise
# all need an authenticator and a verified session. The two-factor tests turn it on with the
# `settings` fixture (xuncha/accounts/tests/test_twofactor.py, tests/e2e/test_two_factor_journey.py).
XUNCHA_2FA_ENFORCED = False
