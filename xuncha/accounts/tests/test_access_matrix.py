"""Every page × every role × inside/outside the role's subtree.

One parametrised fixture (``actor``) gives a user holding one role over county A. Each page is
requested for an object in county A ("inside") and in county B ("outside"). A page answers 200
only when the role carries the page's permission and the object is inside; object pages answer
404 otherwise (missing and forbidden look the same); pages without an object answer 403 when the
role lacks the permission anywhere. List pages never show county B's rows.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.urls import reverse

from xuncha.accounts.permissions import ROLE_PERMS, Perm, Role, forget_grants
from xuncha.accounts.tests.factories import World, make_user
from xuncha.audit.models import AuditEntry
from xuncha.common.testing import rolled_back


@dataclass(frozen=True)
class Page:
    name: str
    url: Callable[[dict], str]
    perm: Perm | None
    has_object: bool = True
    method: str = "get"
    # Text of county B's object that must never show on a list page.
    leak: Callable[[dict], str] | None = None


def _audit_seq(side: dict) -> int:
    return AuditEntry.objects.filter(scope_unit=side["county"], action="org.unit.create").values_list("seq", flat=True)[
        0
    ]


PAGES = [
    Page("home", lambda s: reverse("home"), None, has_object=False),
    Page("unit_tree", lambda s: reverse("accounts:unit_tree"), Perm.ORG_VIEW, has_object=False),
    Page(
        "unit_search",
        lambda s: reverse("accounts:unit_tree") + "?q=青山",
        Perm.ORG_VIEW,
        has_object=False,
        leak=lambda s: s["town"].name,
    ),
    Page("unit_detail", lambda s: reverse("accounts:unit_detail", args=[s["town"].pk]), Perm.ORG_VIEW),
    Page("unit_children", lambda s: reverse("accounts:unit_children", args=[s["town"].pk]), Perm.ORG_VIEW),
    Page("unit_create", lambda s: reverse("accounts:unit_create", args=[s["town"].pk]), Perm.ORG_MANAGE),
    Page("unit_edit", lambda s: reverse("accounts:unit_edit", args=[s["town"].pk]), Perm.ORG_MANAGE),
    Page("unit_move", lambda s: reverse("accounts:unit_move", args=[s["village"].pk]), Perm.ORG_MANAGE),
    Page(
        "unit_set_active",
        lambda s: reverse("accounts:unit_set_active", args=[s["village"].pk]),
        Perm.ORG_MANAGE,
        method="post",
    ),
    Page(
        "person_list",
        lambda s: reverse("accounts:person_list"),
        Perm.PERSON_VIEW,
        has_object=False,
        leak=lambda s: s["person"].name,
    ),
    Page("person_detail", lambda s: reverse("accounts:person_detail", args=[s["person"].pk]), Perm.PERSON_VIEW),
    Page("person_create", lambda s: reverse("accounts:person_create"), Perm.PERSON_MANAGE, has_object=False),
    Page("person_edit", lambda s: reverse("accounts:person_edit", args=[s["person"].pk]), Perm.PERSON_MANAGE),
    Page("post_add", lambda s: reverse("accounts:post_add", args=[s["person"].pk]), Perm.PERSON_MANAGE),
    Page("relation_add", lambda s: reverse("accounts:relation_add", args=[s["person"].pk]), Perm.PERSON_MANAGE),
    Page(
        "user_list",
        lambda s: reverse("accounts:user_list"),
        Perm.USER_VIEW,
        has_object=False,
        leak=lambda s: s["user"].username,
    ),
    Page("user_detail", lambda s: reverse("accounts:user_detail", args=[s["user"].pk]), Perm.USER_VIEW),
    Page("user_create", lambda s: reverse("accounts:user_create"), Perm.USER_MANAGE, has_object=False),
    Page("user_edit", lambda s: reverse("accounts:user_edit", args=[s["user"].pk]), Perm.USER_MANAGE),
    Page("user_password", lambda s: reverse("accounts:user_password", args=[s["user"].pk]), Perm.USER_MANAGE),
    Page("role_grant", lambda s: reverse("accounts:role_grant", args=[s["user"].pk]), Perm.USER_MANAGE),
    Page(
        "user_set_active",
        lambda s: reverse("accounts:user_set_active", args=[s["user"].pk]),
        Perm.USER_MANAGE,
        method="post",
    ),
    Page("twofactor_rules", lambda s: reverse("accounts:twofactor_rules"), Perm.USER_VIEW, has_object=False),
    Page(
        "twofactor_reset",
        lambda s: reverse("accounts:twofactor_reset", args=[s["user"].pk]),
        Perm.USER_MANAGE,
        method="post",
    ),
    Page(
        "audit_list",
        lambda s: reverse("audit:entry_list"),
        Perm.AUDIT_VIEW,
        has_object=False,
        leak=lambda s: s["dept"].name,
    ),
    Page("audit_detail", lambda s: reverse("audit:entry_detail", args=[_audit_seq(s)]), Perm.AUDIT_VIEW),
]

ROLES = list(Role)


@pytest.fixture(scope="module")
def world_and_users(django_db_setup, django_db_blocker):
    """The two counties and one user per role over county A, built once for the module inside a
    transaction rolled back at its end; each test runs in a savepoint inside it (``db``), so what a
    POST page changes is undone before the next test."""
    with rolled_back(django_db_blocker):
        world = World()
        yield world, {role: make_user(world.a["dept"], role, scope=world.a["county"]) for role in ROLES}


@pytest.fixture(params=[(r, side) for r in ROLES for side in ("inside", "outside")], ids=lambda p: f"{p[0]}-{p[1]}")
def actor(request, world_and_users, db):
    """A logged-in user holding one role over county A, and the side of the world to probe."""
    role, side = request.param
    world, users = world_and_users
    user = users[role]
    forget_grants(user)
    return {
        "role": role,
        "user": user,
        "world": world,
        "side": world.a if side == "inside" else world.b,
        "inside": side == "inside",
    }


def _expected(page: Page, role: Role, inside: bool) -> int:
    if page.perm is None:
        return 200
    granted = page.perm in ROLE_PERMS[role]
    if page.has_object:
        return (302 if page.method == "post" else 200) if granted and inside else 404
    return 200 if granted else 403


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_page_access(client, actor, page):
    client.force_login(actor["user"])
    url = page.url(actor["side"])
    response = client.post(url, {"active": "0", "reason": "测试"}) if page.method == "post" else client.get(url)
    expected = _expected(page, actor["role"], actor["inside"])
    assert response.status_code == expected, (
        f"{page.name} as {actor['role']} ({'inside' if actor['inside'] else 'outside'})"
    )
    if page.leak and response.status_code == 200:
        text = page.leak(actor["world"].b)
        assert text not in response.content.decode(), f"{page.name} leaks county B's {text!r}"


def test_admin_site_only_for_system_admin(client, actor):
    client.force_login(actor["user"])
    response = client.get(reverse("admin:index"))
    if Perm.ADMIN_SITE in ROLE_PERMS[actor["role"]]:
        assert response.status_code == 200
    else:
        assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_every_url_is_in_the_matrix():
    """A new page must be added to PAGES (or listed here with a reason)."""
    from xuncha.accounts.urls import urlpatterns as account_urls
    from xuncha.workspace.audit_urls import urlpatterns as audit_urls

    # Auth pages are for everyone; POST-only actions on sub-objects are covered in test_views.py.
    not_in_matrix = {"login", "logout", "password_change", "post_end", "relation_remove", "role_revoke"}
    # One's own second factor (every signed-in user; the code step of the login): test_twofactor.py.
    not_in_matrix |= {"twofactor_verify", "twofactor_setup", "twofactor_confirm", "twofactor_recovery"}
    not_in_matrix |= {"twofactor_disable"}
    covered = {p.name.replace("audit_list", "entry_list").replace("audit_detail", "entry_detail") for p in PAGES}
    names = {u.name for u in [*account_urls, *audit_urls]} - not_in_matrix
    assert names <= covered, f"pages missing from the access matrix: {sorted(names - covered)}"


@pytest.mark.parametrize("role", ROLES)
def test_world_fixture_sane(role):
    """Guard against a vacuous matrix: each role's expectations are not all the same."""
    results = {_expected(p, role, inside) for p in PAGES for inside in (True, False)}
    assert 404 in results and 200 in results
