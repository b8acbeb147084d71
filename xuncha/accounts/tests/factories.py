"""Test data for the accounts app, built through the services (so it is valid and audited)."""

from __future__ import annotations

import itertools
from datetime import date

import factory

from xuncha.accounts import services
from xuncha.accounts.models import Gender, OrgUnit, Person, UnitType, User
from xuncha.accounts.permissions import Role
from xuncha.common.actors import SYSTEM

PASSWORD = "test-pass-2026!"
_seq = itertools.count(1)


def make_unit(parent: OrgUnit | None = None, name: str | None = None, unit_type: str | None = None, **kw) -> OrgUnit:
    if unit_type is None:
        unit_type = UnitType.COUNTY if parent is None or parent.unit_type == UnitType.CITY else UnitType.DEPARTMENT
    return services.unit_create(
        actor=SYSTEM, parent=parent, name=name or f"单位{next(_seq)}", unit_type=unit_type, **kw
    )


def make_person(unit: OrgUnit, name: str | None = None, title: str | None = None, **post) -> Person:
    person = services.person_create(actor=SYSTEM, name=name or f"人员{next(_seq)}", gender=Gender.MALE, unit=unit)
    if title:
        services.post_add(
            actor=SYSTEM,
            person=person,
            unit=unit,
            title=title,
            start_date=post.pop("start_date", date(2020, 1, 1)),
            **post,
        )
    return person


def make_user(
    unit: OrgUnit, role: Role | str | None = None, scope: OrgUnit | None = None, username: str | None = None
) -> User:
    user = services.user_create(
        actor=SYSTEM,
        username=username or f"user{next(_seq)}",
        full_name=f"用户{next(_seq)}",
        unit=unit,
        password=PASSWORD,
    )
    if role is not None and Role(role) != Role.TEAM_MEMBER:
        services.role_grant(actor=SYSTEM, user=user, role=role, scope=scope or unit)
    return user


class World:
    """Two counties under one city, each with a department, a township and a village.

    ``a`` is "inside" for users granted over county A; ``b`` mirrors it in county B ("outside").
    """

    def __init__(self) -> None:
        self.city = make_unit(None, "测试市", UnitType.CITY)
        self.a = self._county("甲县")
        self.b = self._county("乙县")

    def _county(self, name: str) -> dict:
        county = make_unit(self.city, name, UnitType.COUNTY)
        dept = make_unit(county, f"{name}财政局", UnitType.DEPARTMENT)
        town = make_unit(county, f"{name}青山镇", UnitType.TOWNSHIP)
        village = make_unit(town, f"{name}青山村", UnitType.VILLAGE)
        person = make_person(town, f"{name}张三", title="党委书记", is_main_leader=True)
        account = make_user(dept, username=f"acct_{county.pk}")
        return {"county": county, "dept": dept, "town": town, "village": village, "person": person, "user": account}


class PersonFactory(factory.Factory):
    """For bulk rows in query-count tests (bypasses nothing: calls the service)."""

    class Meta:
        model = Person

    name = factory.Sequence(lambda n: f"批量人员{n}")

    @classmethod
    def _create(cls, model_class, *args, unit=None, title="科员", **kwargs):
        return make_person(unit, kwargs["name"], title=title)
