"""The demo county for the security sweeps: loaded once per module and rolled back after it."""

import pytest


@pytest.fixture(scope="module")
def demo_seeded(demo_loaded):
    """The root conftest's ``demo_loaded`` under the name the sweeps use."""
