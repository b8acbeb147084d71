"""Who acts. Services take an ``actor``: a user, or ``SYSTEM`` for seeds and migrations."""

from typing import Any

from django.core.exceptions import PermissionDenied


class _SystemActor:
    """Acts for management commands (demo seed, imports). Never reaches a view."""

    is_authenticated = False
    is_active = True
    pk = None

    def __str__(self) -> str:
        return "系统"


SYSTEM = _SystemActor()


def require(actor: Any, code: Any, obj: Any = None) -> None:
    """Raise PermissionDenied unless ``actor`` holds ``code`` (over ``obj``). SYSTEM passes."""
    if actor is SYSTEM:
        return
    from xuncha.accounts.permissions import has_perm

    if not has_perm(actor, code, obj):
        raise PermissionDenied
