"""Timing: each page through Django's test client in this process, and its raw SQL by the driver.

For every page: ``warmup`` requests first (caches, connection, compiled templates), one request
under ``CaptureQueriesContext`` for the query count, then ``requests`` timed requests; the raw SQL
the same way. Medians and 95th percentiles in milliseconds.

Documents are also converted to PDF (``measure_pdf``): the .docx downloaded once, then converted
``runs`` times with ``docx_to_pdf``, each conversion a LibreOffice start of its own as in the worker.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any

from django.db import connections
from django.test import Client
from django.test.utils import CaptureQueriesContext

from xuncha.accounts.models import User
from xuncha.synth.bench.pages import Page
from xuncha.synth.bench.picks import Picks
from xuncha.synth.bench.raw import Raw


@dataclass
class Result:
    key: str
    kind: str
    role: str
    url: str
    status: int
    queries: int
    median_ms: float
    p95_ms: float
    raw_median_ms: float | None
    raw_p95_ms: float | None
    sql_mean_ms: float = 0.0  # time inside the database driver per request (the page's SQL)
    raw_error: str = ""
    # SQL every request costs whatever the page (session, user): the trivial view's. Taken off
    # before comparing with the raw SQL, which is the page's own queries only.
    floor_sql_ms: float = 0.0
    size: int = 0  # bytes of the response (of the PDF for a "pdf" row)

    @property
    def ratio(self) -> float | None:
        return self.median_ms / self.raw_median_ms if self.raw_median_ms else None

    @property
    def page_sql_ms(self) -> float:
        return max(self.sql_mean_ms - self.floor_sql_ms, 0.0)

    @property
    def sql_ratio(self) -> float | None:
        return self.page_sql_ms / self.raw_median_ms if self.raw_median_ms else None

    def as_dict(self) -> dict[str, Any]:
        ratios = {"ratio": self.ratio, "sql_ratio": self.sql_ratio, "page_sql_ms": self.page_sql_ms}
        return asdict(self) | {k: round(v, 2) if v else None for k, v in ratios.items()}


def _ms(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return round(statistics.median(ordered) * 1000, 2), round(p95 * 1000, 2)


def _timed(call: Callable[[], Any], n: int) -> list[float]:
    samples = []
    for _ in range(n):
        started = time.perf_counter()
        call()
        samples.append(time.perf_counter() - started)
    return samples


class SqlTimer:
    """An execute wrapper adding up the time spent in the driver (the ORM's SQL of a page)."""

    def __init__(self) -> None:
        self.seconds = 0.0

    def __call__(self, execute: Callable, sql: str, params: Any, many: bool, context: Any) -> Any:
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - started


def clients(picks: Picks) -> dict[str, Client]:
    out = {}
    for role, pk in picks.users.items():
        client = Client()
        user = User.objects.get(pk=pk)
        client.force_login(user)
        _second_factor(client, user)
        out[role] = client
    return out


def _second_factor(client: Client, user: User) -> None:
    """Staff roles must sign in with a code: give the benchmark's users an authenticator and a
    session that passed it, so pages are measured as a signed-in official meets them (the
    two-factor middleware included), not as a redirect to enrolment."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from xuncha.accounts.twofactor import policy

    if not policy.is_required(user):
        return
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    device = device or TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


def fetch(client: Client, url: str) -> tuple[int, bytes]:
    response = client.get(url)
    body = b"".join(response.streaming_content) if getattr(response, "streaming", False) else response.content
    return response.status_code, body


def measure(page: Page, client: Client, picks: Picks, *, requests: int, warmup: int, alias: str) -> Result:
    size = 0

    def get() -> int:
        nonlocal size
        status, body = fetch(client, page.url)
        size = len(body)
        return status

    for _ in range(warmup):
        status = get()
    connection = connections[alias]
    # With DEBUG on, the log is a deque capped at 9000 entries: once full its length stops
    # changing and CaptureQueriesContext would count nothing.
    connection.queries_log.clear()
    with CaptureQueriesContext(connection) as captured:
        status = get()
    queries = len(captured)  # now: the next request's start empties the connection's log
    timer = SqlTimer()
    with connection.execute_wrapper(timer):
        median, p95 = _ms(_timed(get, requests))
    sql_ms = round(timer.seconds / requests * 1000, 2)  # a mean: per-request sums are not kept
    raw_median = raw_p95 = None
    error = ""
    if page.raw is not None:
        connection.ensure_connection()
        db = Raw(connection.connection, connection.vendor)
        try:
            for _ in range(warmup):
                page.raw(db, picks, page.role)
            raw_median, raw_p95 = _ms(_timed(lambda: page.raw(db, picks, page.role), requests))
        except Exception as exc:  # a wrong hand-written query is reported, not fatal to the run
            error = f"{type(exc).__name__}: {exc}"[:200]
            if connection.vendor == "postgresql":
                connection.connection.rollback()
    return Result(
        page.key,
        page.kind,
        page.role,
        page.url,
        status,
        queries,
        median,
        p95,
        raw_median,
        raw_p95,
        sql_ms,
        error,
        size=size,
    )


def pdf_key(key: str) -> str:
    return f"{key} → PDF"


def measure_pdf(page: Page, client: Client, *, runs: int, convert: Callable[[bytes], bytes] | None = None) -> Result:
    """The median and p95 of ``runs`` conversions of the document ``page`` downloads. A download
    that is not 200, or a conversion that fails, gives a row with that status (500 for the latter)."""
    if convert is None:
        from xuncha.documents.pdf import docx_to_pdf as convert
    status, data = fetch(client, page.url)
    row = Result(pdf_key(page.key), "pdf", page.role, page.url, status, 0, 0.0, 0.0, None, None)
    if status != 200:
        return row
    pdfs: list[bytes] = []
    try:
        samples = _timed(lambda: pdfs.append(convert(data)), runs)
    except Exception as exc:  # reported as the row's status, the run goes on
        row.status, row.raw_error = 500, f"{type(exc).__name__}: {exc}"[:200]
        return row
    row.median_ms, row.p95_ms = _ms(samples)
    row.size = len(pdfs[-1])
    return row
