"""Who acts. Services take an ``actor``: a user, or ``SYSTEM`` for seeds and migrations."""

from __future__ import annotations

from enum import Enum
from typing import TYPE_CHECKING, Final, Literal, TypeAlias

if TYPE_CHECKING:
    # Types only: the kernel's lowest layer imports no app at run time.
    from django.contrib.auth.models import AnonymousUser

    from xuncha.accounts.models import User


class SystemActor(Enum):
    """Acts for management commands (demo seed, imports). Never reaches a view.

    A one-member enum, the typed sentinel (PEP 484): ``actor is SYSTEM`` narrows an ``Actor`` to a
    ``User`` on the other branch, and copies and pickles stay the same object."""

    SYSTEM = "system"

    # Literal, as on Django's user classes: ``if actor.is_authenticated`` narrows too.
    @property
    def is_authenticated(self) -> Literal[False]:
        return False

    @property
    def is_active(self) -> Literal[True]:
        return True

    @property
    def pk(self) -> None:
        return None

    def __str__(self) -> str:
        return "系统"


SYSTEM: Final = SystemActor.SYSTEM

# Whoever acts in a service: a signed-in user, or SYSTEM.
Actor: TypeAlias = "User | SystemActor"
# Whoever the access package is asked about: an actor, or ``request.user`` before login (an
# AnonymousUser, who holds nothing).
Principal: TypeAlias = "User | SystemActor | AnonymousUser"
