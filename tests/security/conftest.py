"""The demo county for the security sweeps: built once per module and rolled back after it."""

from io import StringIO

import pytest
from django.core.management import call_command

from xuncha.common.testing import rolled_back


@pytest.fixture(scope="module")
def demo_seeded(django_db_setup, django_db_blocker):
    """Load the demo inside a transaction that is rolled back when the module is done."""
    with rolled_back(django_db_blocker):
        call_command("demo_seed", stdout=StringIO())
        yield
