"""Org tree, people, posts, relationships, accounts and role grants, and the talent pool.

Tree nodes are built with treebeard's own path arithmetic (``OrgUnit._get_path``, steplen 4),
depth and numchild set directly, so a whole county goes in with one ``bulk_create`` and
``OrgUnit.find_problems()`` stays clean (tested).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from xuncha.accounts.demo import DEPARTMENTS, OTHERS, _titles_for
from xuncha.accounts.models import (
    Gender,
    OrgUnit,
    PartyOrgKind,
    Person,
    Post,
    RelationKind,
    Relationship,
    RoleAssignment,
    UnitType,
    User,
)
from xuncha.accounts.models.people import SYMMETRIC_KINDS
from xuncha.accounts.permissions import Role
from xuncha.plans.demo import POOL_SOURCES
from xuncha.plans.models import PoolEntry, TrainingRecord
from xuncha.synth import texts
from xuncha.synth.bulk import at, new
from xuncha.synth.context import County, Run

PROVINCE_NAME = "合成省"
COUNTIES_PER_CITY = 10
UNUSABLE_PASSWORD = "!synth"  # starts with "!": Django never accepts a password for it
PASSWORD_FIELDS = {"password": UNUSABLE_PASSWORD}


class Tree:
    """Hands out child paths under existing or new nodes, and remembers numchild changes."""

    def __init__(self) -> None:
        self.next_step: dict[str, int] = {}
        self.made: set[int] = set()  # nodes made in this run: no children in the database to count
        self.unflushed: set[int] = set()  # nodes not yet inserted: their numchild goes in with them
        self.grown: dict[int, int] = {}  # inserted nodes that got children since → their numchild
        self.province: OrgUnit | None = None
        self.cities: dict[int, OrgUnit] = {}

    def child(self, run: Run, parent: OrgUnit | None, **fields: Any) -> OrgUnit:
        return self.place(run, self.reserve(run, parent), **fields)

    def reserve(self, run: Run, parent: OrgUnit | None) -> str:
        """The path of ``parent``'s next child, counted in its numchild; the node itself can be
        made later, by another process (``place``): a run lays out its counties before they are
        generated."""
        key = parent.path if parent is not None else ""
        if key not in self.next_step:
            known = parent is not None and parent.pk in self.made
            self.next_step[key] = 1 if known else _last_step(run.alias, parent) + 1
        step = self.next_step[key]
        self.next_step[key] = step + 1
        if parent is not None:
            parent.numchild += 1
            if parent.pk not in self.unflushed:
                self.grown[parent.pk] = parent.numchild
        return OrgUnit._get_path(key, len(key) // OrgUnit.steplen + 1, step)

    def place(self, run: Run, path: str, **fields: Any) -> OrgUnit:
        node = new(
            OrgUnit, pk=run.ids.next(OrgUnit), path=path, depth=len(path) // OrgUnit.steplen, numchild=0, **fields
        )
        self.made.add(node.pk)
        self.unflushed.add(node.pk)
        return node

    def flushed(self) -> None:
        self.unflushed.clear()

    def save_grown(self, alias: str) -> None:
        for pk, numchild in self.grown.items():
            OrgUnit.objects.using(alias).filter(pk=pk).update(numchild=numchild)
        self.grown.clear()


def _last_step(alias: str, parent: OrgUnit | None) -> int:
    qs = OrgUnit.objects.using(alias)
    qs = qs.filter(depth=1) if parent is None else qs.filter(path__startswith=parent.path, depth=parent.depth + 1)
    last = qs.order_by("-path").values_list("path", flat=True).first()
    return OrgUnit._str2int(last[-OrgUnit.steplen :]) if last else 0


def _unit(run: Run, tree: Tree, parent: OrgUnit | None, name: str, unit_type: str, **kw: Any) -> OrgUnit:
    when = at(run.as_of.replace(year=run.as_of.year - run.sizes.years, month=1, day=5))
    node = tree.child(run, parent, name=name, unit_type=unit_type, created_at=when, updated_at=when, **kw)
    run.sink.add(node)
    return node


def province_and_city(run: Run, tree: Tree, index: int) -> tuple[OrgUnit, OrgUnit]:
    """The synthetic province (one per database) and the city of county ``index`` (ten per city)."""
    qs = OrgUnit.objects.using(run.alias)
    province = tree.province or qs.filter(depth=1, name=PROVINCE_NAME).first()
    if province is None:
        province = _unit(run, tree, None, PROVINCE_NAME, UnitType.PROVINCE, party_org_name="中共合成省委员会")
        office = _unit(
            run, tree, province, "合成省委巡视办", UnitType.DEPARTMENT, party_org_name="中共合成省委巡视办党支部"
        )
        _office_user(run, "province_office", "省委巡视办统计员", province, office)
    tree.province = province
    cities = tree.cities
    number = index // COUNTIES_PER_CITY
    if number not in cities:
        name = f"{texts.place_name(900 + number)}市"
        city = qs.filter(path__startswith=province.path, depth=2, name=name).first()
        if city is None:
            party = f"中共{name}委员会"
            city = _unit(run, tree, province, name, UnitType.CITY, party_org_name=party)
            office = _unit(
                run, tree, city, f"{name}委巡察办", UnitType.DEPARTMENT, party_org_name=f"中共{name}委巡察办党支部"
            )
            _city_office_user(run, city, office, number)
        cities[number] = city
    return province, cities[number]


def _city_office_user(run: Run, city: OrgUnit, office: OrgUnit, number: int) -> None:
    _office_user(run, f"city{number:03d}_office", f"市巡察办{texts.place_name(7 * number + 3)}", city, office)


def _office_user(run: Run, username: str, full_name: str, jurisdiction: OrgUnit, office: OrgUnit) -> None:
    """An inspection office's account over a whole city or the province (the benchmark's wide scopes)."""
    when = at(run.as_of.replace(year=run.as_of.year - run.sizes.years, month=1, day=6))
    user = _user(run, username, full_name, office, None, when)
    _grant(run, user, Role.OFFICE_STAFF, jurisdiction, when)


def county_node(run: Run, tree: Tree, index: int, path: str) -> OrgUnit:
    """County ``index`` at the place ``Tree.reserve`` kept for it under its city."""
    name = f"{texts.place_name(index)}县"
    when = at(run.as_of.replace(year=run.as_of.year - run.sizes.years, month=1, day=5))
    node = tree.place(
        run,
        path,
        name=name,
        unit_type=UnitType.COUNTY,
        party_org_name=f"中共{name}委员会",
        party_org_kind=PartyOrgKind.COMMITTEE,
        created_at=when,
        updated_at=when,
    )
    run.sink.add(node)
    run.audit.add(node.created_at, None, "org.unit.create", node, node.pk, {"name": name, "unit_type": node.unit_type})
    return node


def build_county(run: Run, tree: Tree, county: County) -> None:
    """Units (≈60), people (≈400) with posts, relationships, accounts with their roles, the pool."""
    _units(run, tree, county)
    _people(run, county)
    _relations(run, county)
    _accounts(run, county)
    _pool(run, county)


def _units(run: Run, tree: Tree, c: County) -> None:
    prefix, node = c.name, c.node
    add = c.by_name.__setitem__
    add(
        "县委",
        _unit(run, tree, node, f"{prefix}委", UnitType.COMMITTEE, party_org_name=f"中共{prefix}委员会常务委员会"),
    )
    for name, party, kind in DEPARTMENTS:
        local = prefix + name[1:]  # "县财政局" → "安阳县财政局"
        add(
            name,
            _unit(
                run,
                tree,
                node,
                local,
                UnitType.DEPARTMENT,
                party_org_name=party.replace("示例县", prefix),
                party_org_kind=kind,
            ),
        )
    agri = c.by_name["县农业农村局"]
    towns = c.rng.sample(texts.TOWN_WORDS, min(run.sizes.townships, len(texts.TOWN_WORDS)))
    words = iter(c.rng.sample(texts.VILLAGE_WORDS, len(texts.VILLAGE_WORDS)))
    for i, word in enumerate(towns):
        town_name = f"{word}{'镇' if i % 3 else '乡'}"
        town = _unit(
            run,
            tree,
            node,
            town_name,
            UnitType.TOWNSHIP,
            party_org_name=f"中共{prefix}{town_name}委员会",
            party_org_kind=PartyOrgKind.COMMITTEE,
        )
        add(town_name, town)
        for j in range(run.sizes.villages_per_township):
            v = f"{next(words, f'新村{i}{j}')}{'社区' if i == 0 and j == 0 else '村'}"
            add(
                f"{town_name}{v}",
                _unit(
                    run,
                    tree,
                    town,
                    v,
                    UnitType.VILLAGE,
                    party_org_name=f"中共{v}支部委员会",
                    party_org_kind=PartyOrgKind.BRANCH,
                    sector_dept=agri,
                ),
            )
    for name, unit_type, sector in OTHERS:
        local = prefix + name[1:]
        add(
            name,
            _unit(
                run,
                tree,
                node,
                local,
                unit_type,
                party_org_name=f"中共{local}委员会",
                party_org_kind=PartyOrgKind.COMMITTEE,
                sector_dept=c.by_name[sector],
            ),
        )
    c.units = list(c.by_name.values())


def _person(run: Run, c: County, unit: OrgUnit, title: str, member: bool, main: bool) -> Person:
    rng = c.rng
    start = date(rng.randint(run.as_of.year - 10, run.as_of.year - 1), rng.randint(1, 12), 1)
    when = at(run.as_of.replace(year=run.as_of.year - run.sizes.years, month=2, day=1))
    person = new(
        Person,
        pk=run.ids.next(Person),
        name=texts.person_name(rng),
        gender=rng.choice(Gender.values),
        unit=unit,
        created_at=when,
        updated_at=when,
    )
    run.sink.add(person)
    if rng.random() < 0.25:  # a former post elsewhere: the history the recusal check reads
        old = rng.choice(c.units)
        old_start = start.replace(year=start.year - rng.randint(3, 6))
        run.sink.add(
            new(
                Post,
                pk=run.ids.next(Post),
                person=person,
                unit=old,
                title="科员",
                start_date=old_start,
                end_date=start,
                created_at=when,
                updated_at=when,
            )
        )
    run.sink.add(
        new(
            Post,
            pk=run.ids.next(Post),
            person=person,
            unit=unit,
            title=title,
            start_date=start,
            is_leadership_member=member,
            is_main_leader=main,
            created_at=when,
            updated_at=when,
        )
    )
    run.audit.add(when, None, "people.person.create", person, unit.pk, {"name": person.name, "unit": unit.pk})
    c.people.setdefault(unit.pk, []).append(person)
    if main:
        c.main_leader[unit.pk] = person
    return person


def _people(run: Run, c: County) -> None:
    for unit in c.units:
        run.audit.add(
            unit.created_at, None, "org.unit.create", unit, unit.pk, {"name": unit.name, "unit_type": unit.unit_type}
        )
        for title, member, main in _titles_for(unit):
            _person(run, c, unit, title, member, main)
        if unit.unit_type in (UnitType.DEPARTMENT, UnitType.TOWNSHIP):
            for _ in range(run.sizes.extra_staff):
                _person(run, c, unit, c.rng.choice(("科员", "工作人员", "办事员")), False, False)


def _relations(run: Run, c: County) -> None:
    everyone = [p for people in c.people.values() for p in people]
    kinds = list(RelationKind.values)
    seen: set[tuple[int, int, str]] = set()
    when = at(run.as_of.replace(year=run.as_of.year - run.sizes.years, month=3, day=1))
    while len(seen) < min(run.sizes.relations, len(everyone) // 2):
        a, b = c.rng.sample(everyone, 2)
        kind = c.rng.choice(kinds)
        if kind in SYMMETRIC_KINDS and a.pk > b.pk:
            a, b = b, a  # the service stores symmetric kinds lower id first
        if (a.pk, b.pk, kind) in seen:
            continue
        seen.add((a.pk, b.pk, kind))
        run.sink.add(
            new(
                Relationship,
                pk=run.ids.next(Relationship),
                person=a,
                relative=b,
                kind=kind,
                created_at=when,
                updated_at=when,
            )
        )


def _user(run: Run, username: str, full_name: str, unit: OrgUnit, person: Person | None, when: Any) -> User:
    user = new(
        User,
        pk=run.ids.next(User),
        username=username,
        full_name=full_name,
        unit=unit,
        person=person,
        date_joined=when,
        **PASSWORD_FIELDS,
    )
    run.sink.add(user)
    run.audit.add(when, None, "accounts.user.create", user, unit.pk, {"username": username})
    return user


def _grant(run: Run, user: User, role: str, scope: OrgUnit, when: Any) -> None:
    grant = new(
        RoleAssignment,
        pk=run.ids.next(RoleAssignment),
        user=user,
        role=role,
        scope=scope,
        note="合成数据",
        created_at=when,
        updated_at=when,
    )
    run.sink.add(grant)
    run.audit.add(when, None, "accounts.role.grant", grant, scope.pk, {"role": role, "scope": scope.pk})


def _accounts(run: Run, c: County) -> None:
    """The office (head, two staff), a leading-group member and one township leader, named cNNNN_*.

    Office accounts are not linked to a person, as in the demo: their access comes from the role
    alone, so the benchmark's "office staff" is not also a team member.
    """
    when = at(run.as_of.replace(year=run.as_of.year - run.sizes.years, month=2, day=10))
    office = c.by_name["县委巡察办"]
    names = [p.name for p in c.people[office.pk]]
    tag = f"c{c.index:04d}"
    c.head = _user(run, f"{tag}_head", names[0], office, None, when)
    _grant(run, c.head, Role.OFFICE_HEAD, c.node, when)
    for i, name in enumerate(names[1:3], start=1):
        user = _user(run, f"{tag}_staff{i}", name, office, None, when)
        _grant(run, user, Role.OFFICE_STAFF, c.node, when)
        c.staff = c.staff or user
    committee = c.by_name["县委"]
    lg = _user(run, f"{tag}_ldxz", c.main_leader[committee.pk].name, committee, None, when)
    _grant(run, lg, Role.LEADING_GROUP, c.node, when)
    town = next(u for u in c.units if u.unit_type == UnitType.TOWNSHIP)
    leader = c.main_leader[town.pk]
    c.account[leader.pk] = _user(run, f"{tag}_unit", leader.name, town, leader, when)
    _grant(run, c.account[leader.pk], Role.UNIT_LEADER, town, when)


def _pool(run: Run, c: County) -> None:
    """Pool members from the usual source departments; each gets an account (team work needs one)."""
    tags = {t.name: t for t in run.tags}
    when = at(run.as_of.replace(year=run.as_of.year - run.sizes.years, month=2, day=20))
    through = PoolEntry.expertise.through
    for unit_name, expertise in POOL_SOURCES.items():
        unit = c.by_name[unit_name]
        people = [p for p in c.people[unit.pk] if p is not c.main_leader.get(unit.pk)][: run.sizes.pool_per_source]
        for n, person in enumerate(people):
            lead = n == 0 or (unit_name == "县委巡察办" and n < 3)
            entry = new(
                PoolEntry,
                pk=run.ids.next(PoolEntry),
                person=person,
                jurisdiction=c.node,
                in_leader_pool=lead,
                in_specialist_pool=not lead,
                available=c.rng.random() > 0.1,
                created_at=when,
                updated_at=when,
            )
            run.sink.add(entry)
            run.sink.extend(new(through, poolentry_id=entry.pk, expertisetag_id=tags[t].pk) for t in expertise)
            run.sink.add(
                new(
                    TrainingRecord,
                    pk=run.ids.next(TrainingRecord),
                    entry=entry,
                    date=(when + timedelta(days=30 * (n + 1))).date(),
                    title="巡察业务培训",
                    hours=c.rng.choice((8, 16, 24)),
                )
            )
            run.audit.add(when, c.head, "plans.pool.create", entry, c.node.pk, {"person": person.pk})
            c.pool.append(person)
            if lead:
                c.leaders.append(person)
            if person.pk not in c.account:
                c.account[person.pk] = _user(run, f"c{c.index:04d}_p{person.pk}", person.name, unit, person, when)
