"""Plans pages × every role × inside its county / outside it / another team of the same round.

Office roles reach plan objects through their subtree; a team member only through membership:
their round, their own team and the units it covers — never another team's (domain.md §7).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import pytest
from django.db import transaction
from django.urls import reverse

from xuncha.accounts import services as accounts
from xuncha.accounts.models import UnitType
from xuncha.accounts.permissions import ROLE_PERMS, Perm, Role
from xuncha.accounts.tests.factories import World, make_person, make_unit, make_user
from xuncha.common.actors import SYSTEM
from xuncha.fieldwork.tests.factories import pdf
from xuncha.plans import services
from xuncha.plans.models import TeamRole
from xuncha.plans.tests.factories import make_round


class PlansWorld(World):
    """World plus, in each county, a round with two teams (one per target), a term plan and a pool entry."""

    def __init__(self) -> None:
        super().__init__()
        for side in (self.a, self.b):
            self._plans(side)

    def _plans(self, side: dict) -> None:
        county = side["county"]
        office = make_unit(county, f"{county.name}巡察办", UnitType.DEPARTMENT)
        rnd = make_round(county)
        side["round"] = rnd
        for key, unit in (("team", side["town"]), ("other_team", side["dept"])):
            team = services.team_create(actor=SYSTEM, rnd=rnd)
            target = services.round_target_add(actor=SYSTEM, rnd=rnd, unit=unit)
            services.round_target_update(actor=SYSTEM, target=target, team=team)
            members = [
                services.team_member_add(
                    actor=SYSTEM,
                    team=team,
                    person=make_person(office, f"{county.name}{key}{i}"),
                    role=TeamRole.LEADER if i == 0 else TeamRole.MEMBER,
                )
                for i in range(3)
            ]
            services.announcement_save(  # so that the announcement can be downloaded
                actor=SYSTEM,
                target=target,
                phone="0000-1234567",
                opens_on=date(2026, 9, 1),
                closes_on=date(2026, 10, 31),
            )
            side[key] = {"team": team, "target": target, "member": members[1]}
        side["term"] = services.term_plan_create(
            actor=SYSTEM, jurisdiction=county, name=f"{county.name}规划", start_year=2022, end_year=2026
        )
        services.term_plan_approve(
            actor=SYSTEM, plan=side["term"], approved_on=date(2022, 3, 1), meeting="会", minutes_upload=pdf("纪要.pdf")
        )
        side["briefing"] = services.briefing_add(
            actor=SYSTEM,
            rnd=rnd,
            source="discipline",
            title=f"{county.name}纪委通报",
            filed_on=date(2026, 8, 1),
            uploads=[pdf()],
        )
        side["declaration"] = services.declaration_add(
            actor=SYSTEM,
            person=side["team"]["member"].person,
            unit=side["dept"],
            source="self",
            reason="曾在该单位借调",
        )
        side["pool"] = services.pool_entry_save(
            actor=SYSTEM, person=make_person(office, f"{county.name}库员"), jurisdiction=county
        )


@dataclass(frozen=True)
class Page:
    name: str
    url: Callable[[dict, str], str]  # (county side, which team) -> url
    perm: Perm
    kind: str = ""  # the object: round / team / target / other (no membership) / "" for pages without one
    method: str = "get"
    leak: Callable[[dict], str] | None = None


def _t(side: dict, which: str) -> dict:
    return side[which]


PAGES = [
    Page("round_list", lambda s, w: reverse("plans:round_list"), Perm.ROUND_VIEW, leak=lambda b: b["round"].name),
    Page("round_create", lambda s, w: reverse("plans:round_create"), Perm.ROUND_MANAGE),
    Page("round_detail", lambda s, w: reverse("plans:round_detail", args=[s["round"].pk]), Perm.ROUND_VIEW, "round"),
    Page("round_edit", lambda s, w: reverse("plans:round_edit", args=[s["round"].pk]), Perm.ROUND_MANAGE, "round"),
    Page(
        "round_transition",
        lambda s, w: reverse("plans:round_transition", args=[s["round"].pk, "prepare"]),
        Perm.ROUND_MANAGE,
        "round",
        "post",
    ),
    Page("target_add", lambda s, w: reverse("plans:target_add", args=[s["round"].pk]), Perm.ROUND_MANAGE, "round"),
    Page(
        "team_create",
        lambda s, w: reverse("plans:team_create", args=[s["round"].pk]),
        Perm.TEAM_MANAGE,
        "round",
        "post",
    ),
    Page(
        "target_edit",
        lambda s, w: reverse("plans:target_edit", args=[_t(s, w)["target"].pk]),
        Perm.ROUND_MANAGE,
        "target",
    ),
    Page(
        "target_remove",
        lambda s, w: reverse("plans:target_remove", args=[_t(s, w)["target"].pk]),
        Perm.ROUND_MANAGE,
        "target",
        "post",
    ),
    Page(
        "announcement_edit",
        lambda s, w: reverse("plans:announcement_edit", args=[_t(s, w)["target"].pk]),
        Perm.TEAM_MANAGE,
        "target",
    ),
    Page("team_detail", lambda s, w: reverse("plans:team_detail", args=[_t(s, w)["team"].pk]), Perm.ROUND_VIEW, "team"),
    Page("member_add", lambda s, w: reverse("plans:member_add", args=[_t(s, w)["team"].pk]), Perm.TEAM_MANAGE, "team"),
    Page(
        "team_authorisation",
        lambda s, w: reverse("plans:team_authorisation", args=[_t(s, w)["team"].pk]),
        Perm.ROUND_VIEW,
        "team",
    ),
    Page(
        "entry_notice",
        lambda s, w: reverse("plans:entry_notice", args=[_t(s, w)["target"].pk]),
        Perm.ROUND_MANAGE,
        "target",
    ),
    Page(
        "announcement",
        lambda s, w: reverse("plans:announcement", args=[_t(s, w)["target"].pk]),
        Perm.ROUND_VIEW,
        "target",
    ),
    Page(
        "team_access",
        lambda s, w: reverse("plans:team_access", args=[_t(s, w)["team"].pk]),
        Perm.TEAM_MANAGE,
        "team",
        "post",
    ),
    Page(
        "member_remove",
        lambda s, w: reverse("plans:member_remove", args=[_t(s, w)["member"].pk]),
        Perm.TEAM_MANAGE,
        "other",
        "post",
    ),
    Page("term_list", lambda s, w: reverse("plans:term_list"), Perm.ROUND_VIEW, leak=lambda b: b["term"].name),
    Page("term_create", lambda s, w: reverse("plans:term_create"), Perm.ROUND_MANAGE),
    Page("term_detail", lambda s, w: reverse("plans:term_detail", args=[s["term"].pk]), Perm.ROUND_VIEW, "other"),
    Page("briefing_add", lambda s, w: reverse("plans:briefing_add", args=[s["round"].pk]), Perm.ROUND_MANAGE, "round"),
    Page(
        "briefing_file",
        lambda s, w: reverse("plans:briefing_file", args=[s["briefing"].pk, s["briefing"].attachments.get().pk]),
        Perm.FIELDWORK_VIEW,  # the teams' working material: not the leading group's
        "round",
    ),
    Page("term_minutes", lambda s, w: reverse("plans:term_minutes", args=[s["term"].pk]), Perm.ROUND_VIEW, "other"),
    Page("team_edit", lambda s, w: reverse("plans:team_edit", args=[_t(s, w)["team"].pk]), Perm.TEAM_MANAGE, "team"),
    Page(
        "declaration_list",
        lambda s, w: reverse("plans:declaration_list"),
        Perm.TEAM_MANAGE,
        leak=lambda b: b["declaration"].person.name,
    ),
    Page("declaration_add", lambda s, w: reverse("plans:declaration_add"), Perm.TEAM_MANAGE),
    Page(
        "declaration_withdraw",
        lambda s, w: reverse("plans:declaration_withdraw", args=[s["declaration"].pk]),
        Perm.TEAM_MANAGE,
        "other",
        "post",
    ),
    Page(
        "training_add",
        lambda s, w: reverse("plans:training_add", args=[s["pool"].pk]),
        Perm.POOL_MANAGE,
        "other",
        "post",
    ),
    Page(
        "member_appraise",
        lambda s, w: reverse("plans:member_appraise", args=[_t(s, w)["member"].pk]),
        Perm.TEAM_MANAGE,
        "other",
        "post",
    ),
    Page("pool_list", lambda s, w: reverse("plans:pool_list"), Perm.POOL_VIEW, leak=lambda b: b["pool"].person.name),
    Page("pool_create", lambda s, w: reverse("plans:pool_create"), Perm.POOL_MANAGE),
    Page("pool_edit", lambda s, w: reverse("plans:pool_edit", args=[s["pool"].pk]), Perm.POOL_MANAGE, "other"),
]

SIDES = ("inside", "outside", "other_team")


@pytest.fixture(params=[(r, s) for r in Role for s in SIDES], ids=lambda p: f"{p[0]}-{p[1]}")
def actor(request, db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    role, side = request.param
    world = PlansWorld()
    if role == Role.TEAM_MEMBER:
        member = world.a["team"]["member"]
        user = make_user(world.a["dept"], username="member_user")
        accounts.user_update(
            actor=SYSTEM, user=user, full_name=member.person.name, unit=world.a["dept"], person=member.person
        )
    else:
        user = make_user(world.a["dept"], role, scope=world.a["county"])
    county = world.b if side == "outside" else world.a
    which = "other_team" if side == "other_team" else "team"
    return {"role": role, "user": user, "world": world, "county": county, "which": which, "side": side}


def _expected(page: Page, role: Role, side: str) -> int:
    ok = 302 if page.method == "post" else 200
    if role == Role.TEAM_MEMBER:
        member_code = page.perm in ROLE_PERMS[Role.TEAM_MEMBER]
        if not page.kind:
            return 200 if member_code else 403
        reachable = page.kind == "round" and side != "outside" or page.kind in ("team", "target") and side == "inside"
        return ok if member_code and reachable else 404
    granted = page.perm in ROLE_PERMS[role]
    if not page.kind:
        return 200 if granted else 403
    return ok if granted and side != "outside" else 404


def _request(client, page: Page, url: str):
    """One request whose writes are rolled back, so every page sees the same world."""
    with transaction.atomic():
        response = client.post(url, {}) if page.method == "post" else client.get(url)
        transaction.set_rollback(True)
    return response


def test_plans_pages(client, actor):
    """Every plans page for this actor (one world per actor keeps the matrix fast)."""
    client.force_login(actor["user"])
    wrong = []
    for page in PAGES:
        response = _request(client, page, page.url(actor["county"], actor["which"]))
        expected = _expected(page, actor["role"], actor["side"])
        if response.status_code != expected:
            wrong.append(f"{page.name}: {response.status_code}, expected {expected}")
        elif page.leak and response.status_code == 200 and page.leak(actor["world"].b) in response.content.decode():
            wrong.append(f"{page.name}: shows county B's data")
    assert not wrong, f"{actor['role']} ({actor['side']}): " + "; ".join(wrong)


def test_team_member_sees_only_own_team_on_the_round_page(client, db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    world = PlansWorld()
    member = world.a["team"]["member"]
    user = make_user(world.a["dept"], username="m1")
    accounts.user_update(actor=SYSTEM, user=user, full_name="组员", unit=world.a["dept"], person=member.person)
    client.force_login(user)
    html = client.get(reverse("plans:round_detail", args=[world.a["round"].pk])).content.decode()
    assert world.a["town"].name in html  # own team's unit
    assert world.a["dept"].name not in html  # the other team's unit stays hidden
    assert "第二巡察组" not in html


def test_every_plans_url_is_in_the_matrix():
    from xuncha.plans.urls import urlpatterns

    assert {u.name for u in urlpatterns} == {p.name for p in PAGES}
