"""Site-wide pages: home ("我的工作"), health check and the error pages."""

from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from xuncha.common.home import home_context


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "common/home.html", home_context(request.user))


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


def error_400(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    # Most often a form too large for DATA_UPLOAD_MAX_MEMORY_SIZE (e.g. megabytes pasted into a field).
    public = request.path.startswith("/report/")
    back = reverse("intake_public:window_list") if public else reverse("home")
    return render(request, "errors/400.html", {"back": back, "public": public}, status=400)


def error_403(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "errors/403.html", status=403)


def error_404(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "errors/404.html", status=404)


def error_500(request: HttpRequest) -> HttpResponse:
    # No context processors that touch the database: the database may be why we are here.
    from django.template import loader

    return HttpResponse(loader.get_template("errors/500.html").render(), status=500)


def error_preview(request: HttpRequest, code: int) -> HttpResponse:
    """DEBUG only: look at the error pages."""
    pages = {400: error_400, 403: error_403, 404: error_404}
    if code == 500:
        return error_500(request)
    if code not in pages:
        raise Http404
    return pages[code](request)
