"""Fixtures shared by every app's tests."""

import pytest

from xuncha.accounts.tests.factories import World


@pytest.fixture
def world(db):
    return World()


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate limits and throttles count in the cache: each test starts with none, so a test's
    outcome does not depend on which tests ran before it in the same worker (pytest -n)."""
    from django.core.cache import cache

    cache.clear()
    yield
