from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest


def paginate(request: HttpRequest, qs: QuerySet, per_page: int | None = None) -> Page:
    """The requested page of ``qs``; bad or out-of-range page numbers give the nearest page."""
    paginator = Paginator(qs, per_page or settings.XUNCHA_PAGE_SIZE)
    return paginator.get_page(request.GET.get("page"))
