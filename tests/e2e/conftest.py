"""Fixtures for the browser tests: one Chromium per session, a fresh page per test, the demo county.

The browser is the system Chromium (/usr/bin/chromium, a Debian package that CI installs);
Playwright's own browser downloads are never used. The Django side is pytest-django's
``live_server`` on the test database (SQLite in memory, shared with the server thread).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

# Playwright's sync API runs an asyncio event loop in this thread; Django would then refuse
# every ORM call from the test (SynchronousOnlyOperation). The tests only use the ORM between
# browser calls, never from inside the loop, so the check can safely be switched off. It must
# be set before the first ORM call, hence at import time.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from playwright.sync_api import Browser, Page, expect, sync_playwright  # noqa: E402

from xuncha.common.testing import load_demo  # noqa: E402

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",  # CI runs as root in a container, where the sandbox cannot start
    "--disable-gpu",
    # No calls home: the tests must not depend on (or wait for) the network.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

TIMEOUT_MS = 10_000
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "e2e"

# One generous default for every expect(): a cold live server plus htmx can take a moment.
expect.set_options(timeout=TIMEOUT_MS)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    # Fail, do not skip: a missing browser must turn CI red, not silently drop the suite.
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} not found: the browser tests need the Debian 'chromium' package "
            "(apt-get install chromium, or `make system-deps`). Do not run `playwright install`.",
            pytrace=False,
        )
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    # A new context per test: its own cookies, so no session or language leaks between tests.
    context = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def demo_county(live_server, transactional_db) -> None:
    # The live server answers from its own thread, so the data must be committed, which is
    # why this needs transactional_db (flushed after each test) rather than db. Seeding goes
    # through every service and takes 6-8 s; the process's first user of the demo seeds it and
    # keeps a copy of the tables, the others get the copy back in a fraction of a second.
    load_demo()


@pytest.fixture
def base_url(live_server, demo_county) -> str:
    """The live server's root, with the demo county loaded."""
    return live_server.url


@pytest.fixture
def shot(request: pytest.FixtureRequest):
    """shot(page, "step"): a full-page screenshot in test-artifacts/e2e/<test>-<step>.png."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    prefix = re.sub(r"[^\w.-]+", "_", request.node.name)

    def take(page: Page, step: str) -> Path:
        path = ARTIFACTS / f"{prefix}-{step}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take
