"""No staff page or download stays in a browser's cache (issue 13, finding 6); public pages keep theirs.

Office computers are shared, so everything but the public pages seen anonymously carries
``Cache-Control: no-store, private`` (xuncha.common.middleware.NoStoreMiddleware).
"""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.views.decorators.cache import never_cache

from xuncha.accounts.permissions import Role
from xuncha.accounts.tests.factories import make_user
from xuncha.common.middleware import NoStoreMiddleware
from xuncha.files.tests.samples import pdf

# What django.views.decorators.cache.never_cache sends (public reporting pages, the login page).
NEVER_CACHE = {"max-age=0", "no-cache", "no-store", "must-revalidate", "private"}


def directives(response) -> set[str]:
    return {d.strip() for d in response.get("Cache-Control", "").split(",") if d.strip()}


def assert_not_stored(response) -> None:
    assert {"no-store", "private"} <= directives(response), response.get("Cache-Control")
    assert "public" not in directives(response)


@pytest.fixture
def office(world):
    return make_user(world.a["dept"], Role.OFFICE_STAFF, scope=world.a["county"])


def test_staff_pages_are_not_stored(client, world, office):
    client.force_login(office)
    for url in ("/", reverse("accounts:unit_detail", args=[world.a["town"].pk])):
        response = client.get(url)
        assert response.status_code == 200, url
        assert_not_stored(response)


def test_a_download_is_not_stored(client, world, office, settings, tmp_path):
    from xuncha.plans import services as plans

    settings.MEDIA_ROOT = tmp_path
    plan = plans.term_plan_create(
        actor=office, jurisdiction=world.a["county"], name="规划", start_year=2022, end_year=2026
    )
    minutes = SimpleUploadedFile("纪要.pdf", pdf(), content_type="application/pdf")
    plans.term_plan_approve(
        actor=office, plan=plan, approved_on=date(2022, 3, 1), meeting="领导小组会", minutes_upload=minutes
    )
    client.force_login(office)
    response = client.get(reverse("plans:term_minutes", args=[plan.pk]))
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
    assert_not_stored(response)


def test_not_found_for_a_signed_in_user_is_not_stored(client, world, office):
    client.force_login(office)
    outside = client.get(reverse("accounts:unit_detail", args=[world.b["town"].pk]))  # forbidden reads as 404
    unknown = client.get("/no-such-page/")
    for response in (outside, unknown):
        assert response.status_code == 404
        assert_not_stored(response)


def test_login_page_and_its_redirect_are_not_stored(client, db):
    assert_not_stored(client.get("/"))  # the redirect to the login page
    login = client.get(reverse("accounts:login"))
    assert login.status_code == 200
    assert directives(login) == NEVER_CACHE  # LoginView's own never_cache, kept whole


def test_public_pages_keep_their_caching(client, db):
    # /gongkai/ has no Cache-Control of its own; the reporting pages and the health check use never_cache.
    assert "Cache-Control" not in client.get("/gongkai/")
    assert directives(client.get(reverse("intake_public:window_list"))) == NEVER_CACHE
    assert directives(client.get("/healthz")) == NEVER_CACHE


def test_static_files_keep_their_caching(client, db):
    response = client.get("/static/css/xuncha.css")
    assert response.status_code == 200
    assert directives(response) == {"max-age=60", "public"}  # WhiteNoise's, for files without a hash


def test_a_public_page_seen_by_a_signed_in_user_is_not_stored(client, office):
    client.force_login(office)
    assert_not_stored(client.get("/gongkai/"))


def _through_middleware(response: HttpResponse, path: str) -> HttpResponse:
    request = RequestFactory().get(path)
    return NoStoreMiddleware(lambda _request: response)(request)


def test_a_stricter_header_of_the_view_is_kept():
    strict = never_cache(lambda request: HttpResponse())(RequestFactory().get("/x/"))
    assert directives(_through_middleware(strict, "/x/")) == NEVER_CACHE


def test_a_looser_header_of_a_staff_view_is_tightened():
    loose = HttpResponse()
    patch_cache_control(loose, public=True, max_age=3600)
    assert_not_stored(_through_middleware(loose, "/plans/"))
