"""The office pages for the working-day calendar and the deadline rules."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from xuncha.accounts.permissions import ROLE_PERMS, Perm, Role
from xuncha.accounts.tests.factories import make_user
from xuncha.audit.models import AuditEntry
from xuncha.common.actors import SYSTEM
from xuncha.common.calendar import is_workday
from xuncha.common.models import CalendarDay, DeadlineKey, DeadlineRule, DeadlineUnit
from xuncha.workspace import services

SATURDAY = date(2026, 11, 14)  # an ordinary weekend day in a year chinese_calendar knows
PLAN = DeadlineKey.RECTIFICATION_PLAN
CALENDAR = reverse("workspace:calendar")
DAY_FORM = reverse("workspace:calendar_day")
DEADLINES = reverse("workspace:deadlines")
DEFAULT_BADGE = '<span class="badge text-bg-light border">系统默认</span>'
OWN_BADGE = '<span class="badge text-bg-primary">本级设定</span>'


def _remove_url(day: date) -> str:
    return reverse("workspace:calendar_day_remove", args=[day.isoformat()])


def _edit_url(key: str = PLAN) -> str:
    return reverse("workspace:deadline_edit", args=[key])


def _reset_url(key: str = PLAN) -> str:
    return reverse("workspace:deadline_reset", args=[key])


def _actions(prefix: str) -> list[str]:
    return list(AuditEntry.objects.filter(action__startswith=prefix).order_by("seq").values_list("action", flat=True))


@pytest.fixture
def head(world):
    return make_user(world.a["dept"], Role.OFFICE_HEAD, scope=world.a["county"])


@pytest.fixture
def staff(world):
    return make_user(world.a["dept"], Role.OFFICE_STAFF, scope=world.a["county"])


# --- calendar -------------------------------------------------------------------------------


def test_head_adds_a_make_up_workday_and_removes_it(client, head):
    client.force_login(head)
    assert not is_workday(SATURDAY)
    form = client.get(DAY_FORM, {"date": SATURDAY.isoformat()})
    assert form.status_code == 200
    assert form.context["form"]["is_workday"].value() == "1"  # the form offers the opposite of today's state

    response = client.post(DAY_FORM, {"date": SATURDAY.isoformat(), "is_workday": "1", "note": "本地调休上班"})
    assert response.status_code == 302 and response["Location"] == f"{CALENDAR}?year=2026"
    assert is_workday(SATURDAY)
    page = client.get(response["Location"]).content.decode()
    assert "已将2026-11-14设为上班。" in page
    assert "本地调休上班" in page and "border-warning" in page
    assert f'action="{_remove_url(SATURDAY)}"' in page

    response = client.post(_remove_url(SATURDAY))
    assert response.status_code == 302 and response["Location"] == f"{CALENDAR}?year=2026"
    assert not is_workday(SATURDAY) and not CalendarDay.objects.exists()
    assert _actions("calendar.") == ["calendar.day.create", "calendar.day.remove"]
    assert set(AuditEntry.objects.filter(action__startswith="calendar.").values_list("actor", flat=True)) == {head.pk}


def test_removing_a_day_without_an_override_says_so(client, head):
    client.force_login(head)
    response = client.post(_remove_url(SATURDAY), follow=True)
    assert "该日期没有调整记录。" in response.content.decode()
    assert client.post(reverse("workspace:calendar_day_remove", args=["2026-13-01"])).status_code == 404


def test_the_year_grid_marks_statutory_days_and_names_holidays(client, head):
    client.force_login(head)
    page = client.get(CALENDAR, {"year": 2026}).content.decode()
    assert 'href="?year=2025"' in page and 'href="?year=2027"' in page
    assert 'title="国庆节"' in page  # 1 October, a statutory holiday
    assert "全年工作日" in page
    assert "chinesecalendar 尚未收录" not in page


def test_a_year_the_library_does_not_know_shows_the_warning(client, staff):
    client.force_login(staff)
    page = client.get(CALENDAR, {"year": 2099}).content.decode()
    assert "chinesecalendar 尚未收录该年度法定节假日，请据国务院办公厅通知录入放假和调休安排" in page


@pytest.mark.parametrize("year", ["abc", "1800", "99999", ""])
def test_a_bad_year_shows_the_current_one(client, staff, year):
    client.force_login(staff)
    response = client.get(CALENDAR, {"year": year})
    assert response.status_code == 200
    assert response.context["year"] == timezone.localdate().year


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"date": "2026-11-14", "is_workday": "1", "note": "  "}, "请说明调整原因"),
        ({"date": "2026-02-30", "is_workday": "1", "note": "调休"}, "请填写有效的日期。"),
        ({"date": "", "is_workday": "0", "note": "调休"}, "请填写有效的日期。"),
        ({"date": "2026-11-14", "note": "调休"}, "请选择上班或休息。"),
    ],
)
def test_bad_calendar_input_is_refused_in_chinese_and_changes_nothing(client, head, data, message):
    client.force_login(head)
    response = client.post(DAY_FORM, data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not CalendarDay.objects.exists() and not _actions("calendar.")


# --- deadlines ------------------------------------------------------------------------------


def test_the_deadline_page_shows_own_setting_then_default_again(client, head):
    client.force_login(head)
    page = client.get(DEADLINES).content.decode()
    assert page.count(DEFAULT_BADGE) == len(DeadlineKey) and OWN_BADGE not in page
    assert "甲县" in page  # the jurisdiction the values are for

    form = client.get(_edit_url())
    assert form.status_code == 200 and 'value="15"' in form.content.decode()
    response = client.post(_edit_url(), {"amount": "20", "unit": "workdays", "note": "县委巡察办通知"})
    assert response.status_code == 302 and response["Location"] == DEADLINES
    page = client.get(DEADLINES).content.decode()
    assert page.count(OWN_BADGE) == 1 and page.count(DEFAULT_BADGE) == len(DeadlineKey) - 1
    assert "20 工作日" in page and "县委巡察办通知" in page
    assert f'action="{_reset_url()}"' in page

    response = client.post(_reset_url())
    assert response.status_code == 302
    page = client.get(DEADLINES).content.decode()
    assert page.count(DEFAULT_BADGE) == len(DeadlineKey) and OWN_BADGE not in page
    assert _actions("deadline.") == ["deadline.rule.create", "deadline.rule.remove"]


def test_a_city_rule_shows_as_the_higher_level_setting(client, head, world):
    services.deadline_rule_set(actor=SYSTEM, jurisdiction=world.city, key=PLAN, amount=1, unit=DeadlineUnit.MONTHS)
    client.force_login(head)
    page = client.get(DEADLINES).content.decode()
    assert "上级设定" in page and "测试市" in page
    assert f'action="{_reset_url()}"' not in page  # nothing of the county's own to restore


@pytest.mark.parametrize(
    "data",
    [
        {"amount": "0", "unit": "workdays"},
        {"amount": "3651", "unit": "days"},
        {"amount": "abc", "unit": "days"},
        {"amount": "", "unit": "days"},
    ],
)
def test_a_bad_amount_is_refused_in_chinese_and_changes_nothing(client, head, data):
    client.force_login(head)
    response = client.post(_edit_url(), data)
    assert response.status_code == 200
    assert "期限数值须为1至3650之间的整数。" in response.content.decode()
    assert not DeadlineRule.objects.exists() and not _actions("deadline.")


def test_a_bad_unit_or_key_is_refused(client, head):
    client.force_login(head)
    response = client.post(_edit_url(), {"amount": "3", "unit": "weeks"})
    assert (
        response.status_code == 200
        and "errorlist" in response.content.decode()
        or "invalid-feedback" in (response.content.decode())
    )
    assert not DeadlineRule.objects.exists()
    assert client.get(_edit_url("no_such_deadline")).status_code == 404
    assert client.post(_reset_url("no_such_deadline")).status_code == 404


def test_restoring_a_default_that_is_not_set_says_so(client, head):
    client.force_login(head)
    response = client.post(_reset_url(), follow=True)
    assert "没有可删除的期限设定。" in response.content.decode()


# --- who may do what ------------------------------------------------------------------------


def test_office_staff_may_look_but_not_change(client, staff):
    client.force_login(staff)
    services.calendar_day_set(actor=SYSTEM, day=SATURDAY, is_workday=True, note="调休")
    for url in (f"{CALENDAR}?year=2026", DEADLINES):
        page = client.get(url)
        assert page.status_code == 200
        assert '<form method="post" action="/settings/' not in page.content.decode()
    assert DAY_FORM not in client.get(CALENDAR).content.decode()
    attempts = [
        client.get(DAY_FORM),
        client.post(DAY_FORM, {"date": "2026-11-15", "is_workday": "1", "note": "调休"}),
        client.post(_remove_url(SATURDAY)),
        client.get(_edit_url()),
        client.post(_edit_url(), {"amount": "20", "unit": "workdays"}),
        client.post(_reset_url()),
    ]
    assert [r.status_code for r in attempts] == [403] * len(attempts)
    assert list(CalendarDay.objects.values_list("date", flat=True)) == [SATURDAY]
    assert not DeadlineRule.objects.exists()
    assert _actions("calendar.") == ["calendar.day.create"] and not _actions("deadline.")


@pytest.mark.parametrize("role", list(Role))
def test_each_role_sees_the_pages_only_with_office_rights(client, world, role):
    user = make_user(world.a["dept"], role, scope=world.a["county"])
    client.force_login(user)
    perms = ROLE_PERMS[role] if role != Role.TEAM_MEMBER else frozenset()  # membership only
    may_view = Perm.ROUND_MANAGE in perms or Perm.CALENDAR_MANAGE in perms
    may_edit = Perm.CALENDAR_MANAGE in perms
    for url in (CALENDAR, DEADLINES):
        assert client.get(url).status_code == (200 if may_view else 403), (role, url)
    home = client.get(reverse("home")).content.decode()
    assert (f'href="{CALENDAR}"' in home) is may_view
    response = client.post(DAY_FORM, {"date": "2026-11-14", "is_workday": "1", "note": "调休"})
    assert response.status_code == (302 if may_edit else 403)
    response = client.post(_edit_url(), {"amount": "20", "unit": "workdays"})
    assert response.status_code == (302 if may_edit else 403)


def test_whoever_may_edit_also_gets_the_nav_item():
    """Readers (ROUND_MANAGE) and editors (CALENDAR_MANAGE, also the administrator, who holds no
    round code) both get the nav item: editors are never left without it."""
    from xuncha.workspace.context_processors import MANAGE_ITEMS

    codes = next(code for _label, name, code, _key in MANAGE_ITEMS if name == "workspace:calendar")
    assert set(codes) == {Perm.ROUND_MANAGE, Perm.CALENDAR_MANAGE}
    assert any(Perm.CALENDAR_MANAGE in perms and Perm.ROUND_MANAGE not in perms for perms in ROLE_PERMS.values())


def test_anonymous_users_are_sent_to_login(client):
    assert client.get(CALENDAR).status_code == 302


def test_the_nav_item_is_highlighted_on_both_pages(client, head):
    client.force_login(head)
    for url in (CALENDAR, DEADLINES):
        page = client.get(url).content.decode()
        # in the 管理 menu: the item and the menu itself are marked
        assert f'<a class="dropdown-item active" aria-current="page" href="{CALENDAR}">期限与日历</a>' in page
        assert 'class="nav-link dropdown-toggle active"' in page


# --- query counts ---------------------------------------------------------------------------


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_the_calendar_page_reads_overrides_once(client, head, django_assert_max_num_queries):
    client.force_login(head)
    url = f"{CALENDAR}?year=2026"
    few = _count(client, url)
    for i in range(40):
        services.calendar_day_set(actor=SYSTEM, day=date(2026, 1, 1) + timedelta(days=9 * i), is_workday=True, note="x")
    assert _count(client, url) == few
    # session, user, grants, overrides, session save (savepoint, update, release); the nav
    # and the permission checks reuse the grants
    with django_assert_max_num_queries(7):
        client.get(url)


def test_the_deadline_page_costs_a_fixed_number_of_queries(client, head, world, django_assert_max_num_queries):
    client.force_login(head)
    few = _count(client, DEADLINES)
    for key in list(DeadlineKey)[:6]:
        services.deadline_rule_set(actor=SYSTEM, jurisdiction=world.a["county"], key=key, amount=2, unit="months")
        services.deadline_rule_set(actor=SYSTEM, jurisdiction=world.city, key=key, amount=3, unit="months")
    assert _count(client, DEADLINES) == few
    # session, user, grants, the jurisdiction, own notes, all rules in one query, session save
    with django_assert_max_num_queries(9):
        client.get(DEADLINES)
