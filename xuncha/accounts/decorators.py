from collections.abc import Callable
from functools import wraps
from typing import Concatenate, ParamSpec, TypeVar

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from xuncha.accounts.permissions import Perm, has_perm

P = ParamSpec("P")
R = TypeVar("R")
View = Callable[Concatenate[HttpRequest, P], R]


def perm_required(code: Perm) -> Callable[[View[P, R]], View[P, R]]:
    """The page needs ``code`` somewhere in the user's scope (objects are checked by access_*)."""

    def decorator(view: View[P, R]) -> View[P, R]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: P.args, **kwargs: P.kwargs) -> R:
            if not has_perm(request.user, code):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
