"""Developer machine and `make run`: DEBUG on, demo data allowed."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DEBUG", default=True)

# Static files come from the finders (node_modules, static/); `collectstatic` is for production.
STATIC_ROOT = None
