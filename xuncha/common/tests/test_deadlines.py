"""Deadline rules: defaults, the most specific row winning, date arithmetic, and the services."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction

from xuncha.accounts.permissions import Role
from xuncha.accounts.tests.factories import make_unit, make_user
from xuncha.audit.models import AuditEntry
from xuncha.common.actors import SYSTEM
from xuncha.common.calendar import WorkCalendar
from xuncha.common.deadlines import DEFAULTS, Rule, RuleSource, add_months, deadline_from, deadline_rule, shift
from xuncha.common.exceptions import ServiceError
from xuncha.common.models import DeadlineKey, DeadlineRule, DeadlineUnit
from xuncha.workspace import services

PLAN = DeadlineKey.RECTIFICATION_PLAN
W, D, M, Y = DeadlineUnit.WORKDAYS, DeadlineUnit.DAYS, DeadlineUnit.MONTHS, DeadlineUnit.YEARS


def _set(jurisdiction, amount, unit=W, key=PLAN):
    return services.deadline_rule_set(actor=SYSTEM, jurisdiction=jurisdiction, key=key, amount=amount, unit=unit)


# --- defaults and resolution ----------------------------------------------------------------


def test_every_key_has_a_default():
    assert set(DEFAULTS) == set(DeadlineKey)
    assert DEFAULTS[DeadlineKey.ENTRY_NOTICE] == (10, W)
    assert DEFAULTS[DeadlineKey.RECTIFICATION_REPORT] == (2, M)
    assert all(amount >= 1 for amount, _unit in DEFAULTS.values())


def test_without_rows_the_code_default_applies(world):
    assert deadline_rule(PLAN, world.a["town"]) == Rule(15, W, RuleSource.DEFAULT)
    assert deadline_rule("clue_closure", None) == Rule(6, M, RuleSource.DEFAULT)


def test_the_most_specific_row_wins(world, django_assert_num_queries):
    city, county_a, town_a, county_b = world.city, world.a["county"], world.a["town"], world.b["county"]
    _set(None, 20)
    assert deadline_rule(PLAN, town_a) == Rule(20, W, RuleSource.INSTALLATION)
    _set(city, 1, M)
    _set(county_a, 18)
    with django_assert_num_queries(1):
        rule = deadline_rule(PLAN, town_a)
    assert rule == Rule(18, W, RuleSource.ANCESTOR, county_a)  # nearest ancestor, not the city
    assert deadline_rule(PLAN, county_a) == Rule(18, W, RuleSource.JURISDICTION, county_a)
    assert deadline_rule(PLAN, county_b) == Rule(1, M, RuleSource.ANCESTOR, city)
    assert deadline_rule(PLAN, city) == Rule(1, M, RuleSource.JURISDICTION, city)
    assert deadline_rule(PLAN, None) == Rule(20, W, RuleSource.INSTALLATION)
    # Another key is untouched by all of the above.
    assert deadline_rule(DeadlineKey.ENTRY_NOTICE, town_a).source == RuleSource.DEFAULT

    services.deadline_rule_remove(actor=SYSTEM, jurisdiction=county_a, key=PLAN)
    assert deadline_rule(PLAN, town_a).origin == city
    services.deadline_rule_remove(actor=SYSTEM, jurisdiction=city, key=PLAN)
    services.deadline_rule_remove(actor=SYSTEM, jurisdiction=None, key=PLAN)
    assert deadline_rule(PLAN, town_a).source == RuleSource.DEFAULT


def test_a_unit_whose_path_merely_starts_alike_is_no_ancestor(world):
    _set(world.a["county"], 18)
    # County B's path shares the city's prefix with county A's, but A is not B's ancestor.
    assert deadline_rule(PLAN, world.b["town"]).source == RuleSource.DEFAULT


def test_the_database_keeps_one_installation_row_per_key(db):
    DeadlineRule.objects.create(jurisdiction=None, key=PLAN, amount=15, unit=W)
    with pytest.raises(IntegrityError), transaction.atomic():
        DeadlineRule.objects.create(jurisdiction=None, key=PLAN, amount=20, unit=W)


# --- date arithmetic ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2028, 1, 31), 1, date(2028, 2, 29)),  # leap year
        (date(2026, 3, 31), -1, date(2026, 2, 28)),
        (date(2026, 12, 31), 2, date(2027, 2, 28)),
        (date(2026, 1, 15), -1, date(2025, 12, 15)),
        (date(2026, 8, 31), 1, date(2026, 9, 30)),
        (date(2028, 2, 29), 12, date(2029, 2, 28)),
        (date(2026, 5, 20), 0, date(2026, 5, 20)),
    ],
)
def test_months_clamp_to_the_end_of_the_month(day, months, expected):
    assert add_months(day, months) == expected


def test_shift_by_each_unit(db):
    start = date(2026, 9, 25)  # Mid-Autumn, a Friday, before the National Day week
    assert shift(start, 15, W) == date(2026, 10, 22)
    assert shift(start, 15, D) == date(2026, 10, 10)
    assert shift(start, 20, D, -1) == date(2026, 9, 5)
    assert shift(date(2028, 2, 29), 3, Y, -1) == date(2025, 2, 28)
    with pytest.raises(ValueError):
        shift(start, 1, W, 0)


def test_deadline_from_uses_the_rule_in_force(world):
    county, town = world.a["county"], world.a["town"]
    feedback = date(2026, 9, 25)
    assert deadline_from(PLAN, feedback, town) == date(2026, 10, 22)  # 15 working days
    assert deadline_from(DeadlineKey.RECTIFICATION_REPORT, date(2026, 12, 31), town) == date(2027, 2, 28)
    assert deadline_from(DeadlineKey.ENTRY_NOTICE, date(2026, 10, 12), town, -1) == date(2026, 9, 21)
    assert deadline_from(DeadlineKey.WARNING_GREEN, date(2026, 3, 10), town, -1) == date(2026, 2, 18)
    _set(county, 1, M)  # "some places: 1 month"
    assert deadline_from(PLAN, feedback, town) == date(2026, 10, 25)
    assert deadline_from(PLAN, date(2026, 1, 31), town) == date(2026, 2, 28)


def test_a_page_can_share_one_calendar(world, django_assert_num_queries):
    cal = WorkCalendar(date(2026, 9, 1), date(2026, 12, 31))
    with django_assert_num_queries(3):  # one rule lookup each, no calendar query
        ends = [deadline_from(PLAN, date(2026, 9, day), world.a["town"], calendar=cal) for day in (1, 10, 20)]
    assert ends == sorted(ends)


# --- services -------------------------------------------------------------------------------


@pytest.fixture
def head(world):
    return make_user(world.a["dept"], Role.OFFICE_HEAD, scope=world.a["county"])


def test_office_staff_may_not_set_rules(world):
    staff = make_user(world.a["dept"], Role.OFFICE_STAFF, scope=world.a["county"])
    with pytest.raises(PermissionDenied):
        services.deadline_rule_set(actor=staff, jurisdiction=world.a["county"], key=PLAN, amount=20, unit=W)
    assert not DeadlineRule.objects.exists()


def test_office_head_sets_rules_for_their_own_jurisdiction_only(world, head):
    row = services.deadline_rule_set(
        actor=head, jurisdiction=world.a["county"], key=PLAN, amount=1, unit=M, note="本县按1个月"
    )
    entry = AuditEntry.objects.order_by("-seq").first()
    assert (entry.action, entry.actor_id, entry.target_id) == ("deadline.rule.create", head.pk, str(row.pk))
    assert entry.scope_unit == world.a["county"] and entry.after["unit"] == "months"

    services.deadline_rule_set(actor=head, jurisdiction=world.a["county"], key=PLAN, amount=20, unit=W)
    entry = AuditEntry.objects.order_by("-seq").first()
    assert entry.action == "deadline.rule.update"
    assert entry.before == {"amount": 1, "unit": "months", "note": "本县按1个月"}
    assert entry.after == {"amount": 20, "unit": "workdays", "note": ""}
    assert DeadlineRule.objects.get().amount == 20

    for elsewhere in (world.b["county"], world.city, None):
        with pytest.raises(PermissionDenied):
            services.deadline_rule_set(actor=head, jurisdiction=elsewhere, key=PLAN, amount=20, unit=W)
    assert DeadlineRule.objects.count() == 1


def test_the_installation_row_is_the_system_administrators(world):
    admin = make_user(world.city, Role.SYSADMIN)
    services.deadline_rule_set(actor=admin, jurisdiction=None, key=PLAN, amount=20, unit=W)
    assert deadline_rule(PLAN, world.a["town"]) == Rule(20, W, RuleSource.INSTALLATION)
    entry = AuditEntry.objects.order_by("-seq").first()
    assert entry.action == "deadline.rule.create" and entry.scope_unit is None


@pytest.mark.parametrize(
    ("key", "amount", "unit", "message"),
    [
        (PLAN, 0, W, "1至3650"),
        (PLAN, 3651, W, "1至3650"),
        (PLAN, True, W, "1至3650"),
        (PLAN, "15", W, "1至3650"),
        ("report_window", 15, W, "未知的期限事项"),
        (PLAN, 15, "weeks", "期限单位"),
    ],
)
def test_bad_rules_are_refused_and_nothing_is_saved(world, head, key, amount, unit, message):
    audit_rows = AuditEntry.objects.count()
    with pytest.raises(ServiceError, match=message):
        services.deadline_rule_set(actor=head, jurisdiction=world.a["county"], key=key, amount=amount, unit=unit)
    assert not DeadlineRule.objects.exists()
    assert AuditEntry.objects.count() == audit_rows


def test_rules_are_set_per_jurisdiction_not_per_unit(world, head):
    with pytest.raises(ServiceError, match="省、市、县"):
        services.deadline_rule_set(actor=head, jurisdiction=world.a["town"], key=PLAN, amount=20, unit=W)
    with pytest.raises(ServiceError, match="没有可删除"):
        services.deadline_rule_remove(actor=head, jurisdiction=world.a["county"], key=PLAN)
    assert not DeadlineRule.objects.exists()


def test_all_rules_at_once_agree_with_one_at_a_time(world, django_assert_num_queries):
    from xuncha.common.deadlines import deadline_rule, deadline_rules
    from xuncha.common.models import DeadlineKey

    services.deadline_rule_set(
        actor=SYSTEM, jurisdiction=world.city, key=DeadlineKey.RECTIFICATION_REPORT, amount=3, unit="months"
    )
    services.deadline_rule_set(
        actor=SYSTEM, jurisdiction=world.a["county"], key=DeadlineKey.ENTRY_NOTICE, amount=12, unit="workdays"
    )
    with django_assert_num_queries(1):
        rules = deadline_rules(world.a["town"])
    assert rules == {key: deadline_rule(key, world.a["town"]) for key in DeadlineKey}


# --- regions: the "overdue" filters of a whole scope ---------------------------------------------


def test_rule_regions_give_every_unit_once_the_rule_deadline_rule_gives_it(world):
    """A rule at the city, an override in county A, one installation-wide row: each unit
    lies in exactly one region, under the rule ``deadline_rule`` resolves for it."""
    from xuncha.accounts.models import OrgUnit
    from xuncha.common.deadlines import rule_regions

    DeadlineRule.objects.create(jurisdiction=None, key=PLAN, amount=20, unit=W)
    _set(world.city, 1, M)
    _set(world.a["county"], 7, D)
    regions = rule_regions("path", [PLAN])
    assert len(regions) == 3  # the installation, the city (less county A), county A
    other = make_unit(None, "另一市", "city")  # outside the city: the installation's row
    units = list(OrgUnit.objects.all())
    assert other in units
    for unit in units:
        holding = [r for r in regions if OrgUnit.objects.filter(r.where, pk=unit.pk).exists()]
        assert len(holding) == 1, unit.name
        expected = deadline_rule(PLAN, unit)
        assert (holding[0].rules[PLAN].amount, holding[0].rules[PLAN].unit) == (expected.amount, expected.unit)
    assert {deadline_rule(PLAN, u).amount for u in units} == {20, 1, 7}  # every region has units
