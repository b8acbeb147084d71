"""Site-wide pages: the health check and the error pages (home, 我的工作, is the workspace's)."""

from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from xuncha.common.error_pages import error_response, server_error_response


@login_not_required
@require_GET
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # any database failure means "not healthy", whatever its class
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


# The error pages depend on nothing that can fail: no static files, no context processors, no
# database, no URL reversing (xuncha/common/error_pages.py).


def error_400(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    # Most often a form too large for DATA_UPLOAD_MAX_MEMORY_SIZE (e.g. megabytes pasted into a field).
    return error_response(request, "errors/400.html", 400)


def error_403(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return error_response(request, "errors/403.html", 403)


def error_404(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return error_response(request, "errors/404.html", 404)


def error_500(request: HttpRequest | None) -> HttpResponse:
    return server_error_response(request)


@login_not_required
def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """CSRF_FAILURE_VIEW: the Chinese page in the error pages' layout, its inline style allowed."""
    return error_response(request, "403_csrf.html", 403)


def error_preview(request: HttpRequest, code: int) -> HttpResponse:
    """DEBUG only: look at the error pages."""
    pages = {400: error_400, 403: error_403, 404: error_404}
    if code == 500:
        return error_500(request)
    if code not in pages:
        raise Http404
    return pages[code](request)
