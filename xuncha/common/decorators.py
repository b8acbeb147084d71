from functools import wraps

from django.core.exceptions import PermissionDenied

from xuncha.accounts.permissions import Perm, has_perm


def perm_required(code: Perm):
    """The page needs ``code`` somewhere in the user's scope (objects are checked by access_*)."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not has_perm(request.user, code):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
