"""The demo county is built part by part; each app registers its part here from its ``demo.py``.

``manage.py demo_seed`` discovers the ``demo`` module of every installed app (Django's
``autodiscover_modules``, as the admin does), so the kernel names no domain. Parts run in ``order``
(the order the inspection loop runs); a part is built once, when ``seeded(county)`` says it is not
there yet. A prerequisite runs every time before the parts (reference data a flushed test database
or an operator may have removed, e.g. the focus lists).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.module_loading import autodiscover_modules

if TYPE_CHECKING:
    from xuncha.accounts.models import OrgUnit


@dataclass(frozen=True)
class DemoPart:
    order: int
    seeded: Callable[[OrgUnit], bool]  # both are given the demo county
    seed: Callable[[OrgUnit], dict[str, int]]
    message: str  # what demo_seed prints, formatted with the counts ``seed`` returns


_PARTS: dict[str, DemoPart] = {}
_PREREQUISITES: dict[str, Callable[[], None]] = {}


def _key(fn: Callable[..., object]) -> str:
    return f"{fn.__module__}.{fn.__qualname__}"


def demo_part(
    *, order: int, seeded: Callable[[OrgUnit], bool], seed: Callable[[OrgUnit], dict[str, int]], message: str
) -> None:
    _PARTS[_key(seed)] = DemoPart(order, seeded, seed, message)


def demo_prerequisite(fn: Callable[[], None]) -> Callable[[], None]:
    _PREREQUISITES[_key(fn)] = fn
    return fn


def discover() -> tuple[list[Callable[[], None]], list[DemoPart]]:
    autodiscover_modules("demo")
    return list(_PREREQUISITES.values()), sorted(_PARTS.values(), key=lambda part: part.order)
