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


@pytest.fixture(scope="module")
def demo_loaded(django_db_setup, django_db_blocker):
    """The demo county for a module: loaded once (seeded by the process's first user, a copy
    after that: ``xuncha.common.testing.load_demo``), seen by each test in its own savepoint
    (``db``) and rolled back when the module is done."""
    from xuncha.common.testing import load_demo, rolled_back

    with rolled_back(django_db_blocker):
        load_demo()
        yield


# --- the migrations' data after a flush --------------------------------------------------------
# The rows of the freshly migrated test database (the data migrations' focus lists, questionnaire
# and evaluation sheet), copied once per process; put back after every test that ends with a
# flush (transactional tests), so no test depends on which tests ran before it in its worker.
_MIGRATED: dict[str, object] = {}


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    from xuncha.common.testing import snapshot_tables

    with django_db_blocker.unblock():
        _MIGRATED["rows"] = snapshot_tables()
    yield
    # A connection left open by a thread some test started (a live server's, a worker's) makes
    # PostgreSQL wait 5 s and then refuse to drop the test database: end them first.
    from django.db import connection

    if connection.vendor == "postgresql":
        with django_db_blocker.unblock(), connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )


def _flushes(item: pytest.Item) -> bool:
    names = getattr(item, "fixturenames", ())
    marker = item.get_closest_marker("django_db")
    return "transactional_db" in names or "live_server" in names or bool(marker and marker.kwargs.get("transaction"))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    yield  # the test's fixtures are torn down: a transactional test's flush is done
    # After the last test the test database is already gone (nothing needs the rows any more).
    if "rows" in _MIGRATED and nextitem is not None and _flushes(item):
        from pytest_django.plugin import blocking_manager_key

        from xuncha.common.testing import restore_tables

        with item.config.stash[blocking_manager_key].unblock():
            restore_tables(_MIGRATED["rows"])
