"""Developer machine and `make run`: DEBUG on, demo data allowed."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DEBUG", default=True)
