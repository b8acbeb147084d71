"""The to-do list of "我的工作": what is the user's to do now, most urgent first.

Each item is one scoped count (a database filter, so the page costs the same whatever the data)
and a link to the list that holds the rows. Items with nothing to do are left out.

The kernel owns the list; each domain contributes its items from its own ``todo.py`` with
``@provider(order)`` (imported by the domain's AppConfig.ready), so this module never imports a
domain. ``order`` keeps the display order of items of equal urgency and count stable.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeAlias

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from xuncha.accounts.models import User

OVERDUE, ACT, FOLLOW = 0, 1, 2  # urgency, most urgent first


@dataclass(frozen=True)
class Item:
    urgency: int
    label: StrOrPromise
    count: int
    url: str

    @property
    def overdue(self) -> bool:
        return self.urgency == OVERDUE


# Asked about the signed-in user of 我的工作.
Provider: TypeAlias = "Callable[[User], list[Item]]"
_PROVIDERS: list[tuple[int, Provider]] = []


def provider(order: int) -> Callable[[Provider], Provider]:
    """Register a domain's to-do items: ``provider(user) -> [Item…]`` (empty when not theirs)."""

    def register(fn: Provider) -> Provider:
        if all(existing is not fn for _, existing in _PROVIDERS):
            _PROVIDERS.append((order, fn))
            _PROVIDERS.sort(key=lambda entry: entry[0])
        return fn

    return register


def providers() -> list[Provider]:
    return [fn for _, fn in _PROVIDERS]


def todo_items(user: User) -> list[Item]:
    items = [item for fn in providers() for item in fn(user) if item.count]
    return sorted(items, key=lambda item: (item.urgency, -item.count))
