"""Browser journeys through a round of inspection: the office forms one, a team member sees hers.

Each test starts from the demo county (示例县, see xuncha/accounts/demo.py and xuncha/plans/demo.py):
its round on site now (县委第十四届第八轮巡察, two teams) and an archived one (第五轮).
"""

from __future__ import annotations

import re

import pytest
from django.db.models import Exists, Max, OuterRef, Q
from django.utils import timezone
from playwright.sync_api import Locator, Page, expect

from xuncha.accounts.demo import DEMO_PASSWORD
from xuncha.accounts.models import OrgUnit, Person, RelationKind, Relationship
from xuncha.accounts.services import relationship_add
from xuncha.common.actors import SYSTEM
from xuncha.plans.models import Round, TeamMember
from xuncha.plans.recusal import find_conflicts

pytestmark = pytest.mark.e2e

NEW_ROUND = "县委第十五届第一轮巡察"


# --- helpers ---------------------------------------------------------------------------------


def login(page: Page, base_url: str, username: str) -> None:
    # The same steps as in test_office_journey.py (kept local so that file stays untouched).
    page.goto(base_url + "/")
    expect(page).to_have_url(re.compile(r"/login/"))
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="登录", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("我的工作")


def nav_link(page: Page, label: str) -> Locator:
    # Scoped to the navbar so that page titles and breadcrumbs with the same words do not match.
    return page.locator("#xc-nav").get_by_role("link", name=label, exact=True)


def heading(page: Page) -> Locator:
    return page.get_by_role("heading", level=1)


def card(page: Page, title: str) -> Locator:
    """A section of a page, found by its heading (the round page has both a 巡察对象 table and teams)."""
    return page.locator("section.xc-card").filter(has=page.get_by_role("heading", name=title, exact=True))


def field(page: Page, label: str) -> Locator:
    # Required fields end their label with " *" (aria-hidden, yet part of the text Playwright matches, so
    # exact=True finds nothing); anchoring the pattern keeps a short label from matching a longer one.
    return page.get_by_label(re.compile(rf"^{re.escape(label)}( \*)?$"))


def save(page: Page) -> None:
    page.get_by_role("button", name="保存", exact=True).click()


def success(page: Page) -> Locator:
    return page.locator(".xc-messages .alert-success")


def form_error(page: Page) -> Locator:
    # A service refusal is shown as the form's non-field error, above the fields.
    return page.locator("form .alert-danger[role=alert]")


def unit(name: str) -> OrgUnit:
    return OrgUnit.objects.get(name=name)


def must_recuse_from(target: OrgUnit) -> tuple[Person, Person]:
    """An auditor on no team, made the spouse of someone who holds a post at ``target`` now.

    Set up through the service (not the UI), as the relation would be registered in real life;
    the live server shares the committed test database, so it sees the row at once.
    """
    on_a_team = TeamMember.objects.filter(person=OuterRef("pk"))
    auditors = Person.objects.filter(unit=unit("县审计局"), is_active=True).exclude(Exists(on_a_team)).order_by("id")
    # One with no conflict of their own, so the spouse is the only reason for the refusal.
    auditor = next(p for p in auditors if not find_conflicts(p, [target]))
    spouse = (
        Person.objects.filter(posts__unit=target, posts__end_date__isnull=True).exclude(pk=auditor.pk).order_by("id")
    ).first()
    relationship_add(actor=SYSTEM, person=auditor, relative=spouse, kind=RelationKind.SPOUSE)
    return auditor, spouse


def a_free_year(county: OrgUnit) -> int:
    """A year in which the county has no round yet, so that its round number 1 is free.

    Not a fixed year: the demo dates its rounds from today (its look-back round starts a month
    ahead, so from December on it takes number 1 of the next year).
    """
    latest = Round.objects.filter(jurisdiction=county).aggregate(year=Max("year"))["year"]
    return max(latest or 0, timezone.localdate().year) + 1


def free_office_cadre(target: OrgUnit) -> Person:
    """Someone from the inspection office on no team, with no relations and no conflict with ``target``."""
    on_a_team = TeamMember.objects.filter(person=OuterRef("pk"))
    related = Relationship.objects.filter(Q(person=OuterRef("pk")) | Q(relative=OuterRef("pk")))
    people = (
        Person.objects.filter(unit=unit("县委巡察办"), is_active=True)
        .exclude(posts__is_main_leader=True)  # an ordinary cadre as 组员, not the office's director
        .exclude(Exists(on_a_team))
        .exclude(Exists(related))
        .order_by("id")
    )
    return next(p for p in people if not find_conflicts(p, [target]))


# --- tests -----------------------------------------------------------------------------------


def test_office_forms_a_round_and_recusal_refuses_a_spouse(page: Page, base_url: str, shot) -> None:
    county, hekou = unit("示例县"), unit("河口乡")
    auditor, spouse = must_recuse_from(hekou)
    cadre = free_office_cadre(hekou)
    spouse_post = spouse.posts.get(unit=hekou, end_date__isnull=True)
    year = a_free_year(county)

    login(page, base_url, "xcb_ganbu")

    # 1. A new round, in draft.
    nav_link(page, "巡察轮次").click()
    expect(heading(page)).to_have_text("巡察轮次")
    page.get_by_role("link", name="新建轮次").click()
    expect(heading(page)).to_have_text("新建巡察轮次")
    # Unit options are indented with full-width spaces to show the tree, so pick by value (the pk).
    field(page, "行政区域").select_option(value=str(county.pk))
    field(page, "年度").fill(str(year))
    field(page, "轮次").fill("1")
    field(page, "名称").fill(NEW_ROUND)
    field(page, "进驻日期").fill(f"{year}-03-01")
    field(page, "撤离日期").fill(f"{year}-04-30")
    shot(page, "01-round-form")
    save(page)
    expect(heading(page)).to_contain_text(NEW_ROUND)
    expect(heading(page).locator(".badge")).to_have_text("草拟")
    expect(success(page)).to_contain_text(f"已创建“{NEW_ROUND}”")

    # 2. 河口乡 becomes a target, with no team yet.
    page.get_by_role("link", name="添加巡察对象").click()
    expect(heading(page)).to_contain_text("确定巡察对象")
    field(page, "被巡察单位").select_option(value=str(hekou.pk))
    field(page, "巡察方式").select_option(label="常规巡察")
    save(page)
    expect(success(page)).to_contain_text("已将河口乡列为巡察对象")
    target_row = card(page, "巡察对象").locator("tbody tr").filter(has_text="河口乡")
    expect(target_row).to_have_count(1)
    expect(target_row).to_contain_text("常规巡察")
    expect(target_row).to_contain_text("未分配")

    # 3. A first team, then assigned to 河口乡 (while it is empty, no recusal can stop this).
    page.get_by_role("button", name="新建巡察组").click()
    expect(success(page)).to_contain_text("已新建巡察组")
    teams = card(page, "巡察组")
    expect(teams.get_by_role("link", name="第一巡察组", exact=True)).to_be_visible()
    target_row.get_by_role("link", name="分配", exact=True).click()
    expect(heading(page)).to_have_text("分配巡察组：河口乡")
    field(page, "巡察组").select_option(label="第一巡察组")
    save(page)
    expect(success(page)).to_contain_text("已保存河口乡的安排")
    expect(target_row.get_by_role("link", name="第一巡察组", exact=True)).to_be_visible()
    expect(target_row).not_to_contain_text("未分配")
    shot(page, "02-round-with-target-and-team")

    # 4. The auditor whose wife/husband holds a post at 河口乡 is refused, with the reason in words.
    teams.get_by_role("link", name="第一巡察组", exact=True).click()
    expect(heading(page)).to_have_text("第一巡察组")
    team_url = page.url
    page.get_by_role("link", name="编入成员").click()
    expect(heading(page)).to_have_text("编入成员：第一巡察组")
    field(page, "人员").select_option(value=str(auditor.pk))
    field(page, "组内职务").select_option(label="组员")
    save(page)
    error = form_error(page)
    expect(error).to_contain_text(f"{auditor.name}须回避：")
    expect(error).to_contain_text("的配偶")
    expect(error).to_contain_text("现任河口乡")
    expect(error).to_contain_text(f"{auditor.name}的配偶{spouse.name}现任河口乡{spouse_post.title}")
    # Office staff may not override: the hint sends them to the office head.
    expect(error).to_contain_text("须由巡察办主任填写不予回避的理由")
    shot(page, "03-recusal-refused")

    # ...and the refusal really kept him/her off the team.
    page.goto(team_url)
    members = card(page, "组成人员")
    expect(members).to_contain_text("尚无成员")
    expect(members.get_by_text(auditor.name)).to_have_count(0)

    # 5. A cadre with nothing to recuse from goes in.
    page.get_by_role("link", name="编入成员").click()
    field(page, "人员").select_option(value=str(cadre.pk))
    field(page, "组内职务").select_option(label="组员")
    save(page)
    expect(success(page)).to_contain_text(f"{cadre.name}已编入第一巡察组")
    expect(heading(page)).to_have_text("第一巡察组")
    row = members.locator("tbody tr").filter(has_text=cadre.name)
    expect(row).to_have_count(1)
    expect(row).to_contain_text("组员")
    expect(members.get_by_text(auditor.name)).to_have_count(0)
    shot(page, "04-team-with-member")


def test_team_member_sees_only_her_round_and_units(page: Page, base_url: str, shot) -> None:
    # 陈静 (xcz_chengyuan) serves on the first team of the round on site; the second team
    # inspects 县财政局 and 县人民医院, and she was on no team of the archived 第五轮.
    login(page, base_url, "xcz_chengyuan")

    nav_link(page, "巡察轮次").click()
    expect(heading(page)).to_have_text("巡察轮次")
    rounds = page.locator("table tbody")
    expect(rounds.get_by_role("link", name="县委第十四届第八轮巡察", exact=True)).to_be_visible()
    expect(rounds.get_by_text("县委第十四届第五轮巡察")).to_have_count(0)
    expect(page.get_by_role("link", name="新建轮次")).to_have_count(0)
    shot(page, "01-round-list")

    rounds.get_by_role("link", name="县委第十四届第八轮巡察", exact=True).click()
    expect(heading(page)).to_contain_text("县委第十四届第八轮巡察")
    targets = card(page, "巡察对象")
    expect(targets.locator("tbody tr").filter(has_text="青山镇")).to_have_count(1)
    expect(targets.locator("tbody tr").filter(has_text="青山村")).to_have_count(1)
    expect(targets).not_to_contain_text("县财政局")
    expect(targets).not_to_contain_text("县人民医院")
    # Read-only for her: none of the office's buttons.
    expect(page.get_by_role("button", name="新建巡察组")).to_have_count(0)
    expect(page.get_by_role("link", name="添加巡察对象")).to_have_count(0)
    shot(page, "02-round-detail")
