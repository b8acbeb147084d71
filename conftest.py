"""Fixtures shared by every app's tests."""

import pytest

from xuncha.accounts.tests.factories import World


@pytest.fixture
def world(db):
    return World()
