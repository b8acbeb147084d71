"""Running service calls at the same moment, for the concurrency tests (PostgreSQL, real parallel
connections): each call in its own thread and connection, released together by a barrier."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from django.db import connections

from xuncha.common.exceptions import ServiceError


def race(*calls: Callable[[], Any]) -> list[Any]:
    """Run the calls in parallel; return what each returned, or the ServiceError it raised."""
    barrier = threading.Barrier(len(calls))
    outcomes: list[Any] = [None] * len(calls)

    def run(index: int, call: Callable[[], Any]) -> None:
        try:
            barrier.wait()
            outcomes[index] = call()
        except ServiceError as exc:
            outcomes[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes
