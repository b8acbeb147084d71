"""`make bench` / `make bench-pg`: the development settings (which install the synthetic-data
generator and the `bench` command) with DEBUG off, as in production, so times carry no debug
overhead. Never deploy it: it is for throwaway synthetic databases."""

from .local import *  # noqa: F403

DEBUG = False
