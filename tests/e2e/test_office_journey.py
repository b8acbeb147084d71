"""Browser journeys through the organisation tree, in Chromium against the live server.

Each test starts from the demo county (示例县, see xuncha/accounts/demo.py) and a browser that
asks for Chinese (locale zh-CN), as the platform's users do.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Locator, Page, expect

from xuncha.accounts.demo import DEMO_PASSWORD
from xuncha.accounts.models import OrgUnit

pytestmark = pytest.mark.e2e

LOGIN_PATH = re.compile(r"/login/")


# --- helpers ---------------------------------------------------------------------------------


def open_login(page: Page, base_url: str) -> None:
    """Open the site signed out: the root redirects to the login page."""
    page.goto(base_url + "/")
    expect(page).to_have_url(LOGIN_PATH)


def submit_login(page: Page, username: str, password: str = DEMO_PASSWORD) -> None:
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(password)
    page.get_by_role("button", name="登录", exact=True).click()


def login(page: Page, base_url: str, username: str, password: str = DEMO_PASSWORD) -> None:
    open_login(page, base_url)
    submit_login(page, username, password)


def navbar(page: Page) -> Locator:
    # The signed-in navigation (links, language switch, user menu) lives in #xc-nav; scoping to
    # it keeps "组织机构" from also matching page titles, breadcrumbs or home-page shortcuts.
    return page.locator("#xc-nav")


MANAGE_MENU = {"组织机构": "管理", "Organisation": "Manage"}


def nav_link(page: Page, label: str) -> Locator:
    """A navbar link; the set-up pages sit in the "管理" menu, which is opened first."""
    menu = MANAGE_MENU.get(label)
    toggle = navbar(page).get_by_role("button", name=menu, exact=True) if menu else None
    if toggle is not None and toggle.count() and toggle.get_attribute("aria-expanded") != "true":
        toggle.click()
    return navbar(page).get_by_role("link", name=label, exact=True)


def tree(page: Page) -> Locator:
    return page.locator("[data-xc-tree]")


def tree_node(page: Page, unit: OrgUnit) -> Locator:
    return page.locator(f'li[data-unit="{unit.pk}"]')


def card(page: Page, heading: str) -> Locator:
    """A section of the unit page, found by its heading (the page has several tables)."""
    return page.locator("section.xc-card").filter(has=page.get_by_role("heading", name=heading, exact=True))


# --- tests -----------------------------------------------------------------------------------


def test_office_staff_browses_org_tree_and_switches_language(page: Page, base_url: str, shot) -> None:
    county = OrgUnit.objects.get(name="示例县")

    # Signed out, the root sends us to the login page, in Chinese.
    open_login(page, base_url)
    expect(page.get_by_role("heading", name="巡察工作平台")).to_be_visible()
    expect(page.get_by_role("button", name="登录", exact=True)).to_be_visible()
    shot(page, "01-login")

    submit_login(page, "xcb_ganbu")
    expect(page.get_by_role("heading", level=1)).to_have_text("我的工作")
    shot(page, "02-home")

    nav_link(page, "组织机构").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("组织机构")
    expect(tree(page).get_by_role("link", name="示例县", exact=True)).to_be_visible()

    # Expanding a node fetches its children with htmx into ul#children-<pk>.
    tree_node(page, county).locator(":scope > button.xc-toggle").click()
    township = page.locator(f"#children-{county.pk}").get_by_role("link", name="青山镇", exact=True)
    expect(township).to_be_visible()
    expect(tree_node(page, county).locator(":scope > button.xc-toggle")).to_have_attribute("aria-expanded", "true")
    shot(page, "03-tree-expanded")

    township.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("青山镇")
    expect(card(page, "基本信息")).to_contain_text("乡镇(街道)")
    expect(card(page, "下级单位").get_by_role("link", name="青山村", exact=True)).to_be_visible()
    staff = card(page, "现任人员")
    expect(staff.locator(".badge", has_text="主要负责人")).to_have_count(1)
    shot(page, "04-unit-detail")

    # The navbar button posts to Django's set_language and comes back to the same page.
    navbar(page).get_by_role("button", name="English", exact=True).click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("青山镇")  # still the same unit
    expect(navbar(page).get_by_role("button", name="中文", exact=True)).to_be_visible()
    # These two need the English catalogue (locale/en/LC_MESSAGES/django.mo) to be compiled.
    expect(nav_link(page, "Organisation")).to_be_visible()
    expect(nav_link(page, "My work")).to_be_visible()
    shot(page, "05-unit-detail-en")

    navbar(page).get_by_role("button", name="中文", exact=True).click()
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
    expect(nav_link(page, "组织机构")).to_be_visible()
    expect(navbar(page).get_by_role("button", name="English", exact=True)).to_be_visible()


def test_unit_leader_sees_only_own_unit(page: Page, base_url: str, shot) -> None:
    township = OrgUnit.objects.get(name="青山镇")
    other_township = OrgUnit.objects.get(name="城关镇")

    login(page, base_url, "dw_fuzeren")
    expect(page.get_by_role("heading", level=1)).to_have_text("我的工作")

    nav_link(page, "组织机构").click()
    # The leader's scope is 青山镇 alone: it is the root of their tree, with nothing above or beside it.
    roots = tree(page).locator(":scope > ul > li[data-unit]")
    expect(roots).to_have_count(1)
    expect(roots.first).to_have_attribute("data-unit", str(township.pk))
    expect(tree(page).get_by_role("link", name="青山镇", exact=True)).to_be_visible()
    expect(tree(page).get_by_text("示例县")).to_have_count(0)
    expect(tree(page).get_by_text("城关镇")).to_have_count(0)
    shot(page, "01-tree")

    # A unit outside the scope answers 404, not 403: it must not even reveal that the unit exists.
    response = page.goto(f"{base_url}/org/{other_township.pk}/")
    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", name="页面不存在或您无权查看")).to_be_visible()
    expect(page.get_by_text("城关镇")).to_have_count(0)
    shot(page, "02-out-of-scope-404")


def test_wrong_password_is_refused_with_generic_message(page: Page, base_url: str, shot) -> None:
    login(page, base_url, "xcb_ganbu", password="not-the-password")

    # The same message whether the user name exists or not, and the form is shown again.
    expect(page.get_by_role("alert")).to_contain_text("用户名或密码不正确")
    expect(page).to_have_url(LOGIN_PATH)
    expect(page.get_by_role("button", name="登录", exact=True)).to_be_visible()
    expect(nav_link(page, "组织机构")).to_have_count(0)  # not signed in: no navigation
    shot(page, "01-refused")
