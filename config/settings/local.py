"""Developer machine and `make run`: DEBUG on, demo data allowed."""

from .base import *  # noqa: F403
from .base import INSTALLED_APPS, env

DEBUG = env.bool("DEBUG", default=True)

# The synthetic-data generator and the benchmark (`manage.py synth`, `manage.py bench`): development,
# test and bench settings only, never production.
INSTALLED_APPS = [*INSTALLED_APPS, "xuncha.synth"]

# Static files come from the finders (node_modules, static/); `collectstatic` is for production.
STATIC_ROOT = None
