"""Demo data for plans: a term plan, the talent pool, a finished round (archived by the findings
demo once fed back), the previous round and one on site now.

Built through the services like everything else, so the audit log tells the same story. The
round on site has two teams, an announcement per unit, one recusal refused (with its reason in
the log) and one kept on the office head's written justification.
"""

from __future__ import annotations

import contextlib
import random
from datetime import date, timedelta

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from xuncha.accounts import services as accounts
from xuncha.accounts.models import OrgUnit, Person, RelationKind, User
from xuncha.common.actors import SYSTEM
from xuncha.common.demo import demo_part
from xuncha.plans import services
from xuncha.plans.models import ExpertiseTag, Round, RoundMode, TeamRole
from xuncha.plans.models.rounds import focus_lists
from xuncha.plans.services.teams import RecusalBlocked

TAGS = ["财务", "审计", "法律", "纪检监察", "组织人事", "工程建设", "信访", "农业农村", "教育", "医疗卫生"]
# Departments whose cadres are typically drawn into inspection teams, with their expertise.
POOL_SOURCES = {
    "县纪委监委": ["纪检监察", "法律"],
    "县委组织部": ["组织人事"],
    "县委巡察办": ["纪检监察", "组织人事"],
    "县财政局": ["财务"],
    "县审计局": ["审计", "财务"],
    "县信访局": ["信访"],
    "县住房和城乡建设局": ["工程建设"],
    "县农业农村局": ["农业农村"],
}


def plans_seeded(county: OrgUnit) -> bool:
    return Round.objects.filter(jurisdiction=county).exists()


@transaction.atomic
def seed_plans(county: OrgUnit) -> dict[str, int]:
    rng = random.Random(2026)
    units = {u.name: u for u in OrgUnit.objects.filter(path__startswith=county.path)}
    tags = {name: ExpertiseTag.objects.get_or_create(name=name)[0] for name in TAGS}
    head = User.objects.get(username="xcb_zhuren")
    # Five years up to this one (2022–2026 until then): a term that ended would leave the
    # dashboard's coverage empty and today's rounds outside every term.
    end = max(2026, timezone.localdate().year)
    plan = services.term_plan_create(
        actor=SYSTEM, jurisdiction=county, name="县委第十四届任期巡察工作规划", start_year=end - 4, end_year=end
    )
    services.term_plan_approve(
        actor=SYSTEM,
        plan=plan,
        approved_on=date(end - 4, 3, 15),
        meeting=f"县委巡察工作领导小组{end - 4}年第1次会议",
    )
    pool = _seed_pool(county, units, tags, rng)
    _seed_past_round(county, units, pool)
    _seed_previous_round(county, units, pool)
    _seed_current_round(county, units, pool, head)
    return {"pool": len(pool), "rounds": Round.objects.filter(jurisdiction=county).count()}


def _seed_pool(county, units, tags, rng) -> list[Person]:
    pool = []
    for unit_name, expertise in POOL_SOURCES.items():
        for person in (
            Person.objects.filter(unit=units[unit_name]).exclude(posts__is_main_leader=True).order_by("id")[:4]
        ):
            leader = person.posts.filter(is_leadership_member=True, end_date__isnull=True).exists()
            services.pool_entry_save(
                actor=SYSTEM,
                person=person,
                jurisdiction=county,
                in_leader_pool=leader,
                in_specialist_pool=not leader,
                in_staff_pool=True,
                expertise=[tags[t] for t in expertise],
                available=rng.random() > 0.1,
            )
            pool.append(person)
    return pool


def _free(pool, units, n, taken):
    """``n`` pool members with no recusal conflict with ``units`` (the demo's relations are random)."""
    from xuncha.plans.recusal import find_conflicts

    picked = []
    for person in pool:
        if person.pk not in taken and not find_conflicts(person, units):
            picked.append(person)
            taken.add(person.pk)
            if len(picked) == n:
                break
    return picked


def _staff(team, people, leader_first=True):
    for i, person in enumerate(people):
        role = TeamRole.LEADER if i == 0 and leader_first else (TeamRole.LIAISON if i == 1 else TeamRole.MEMBER)
        services.team_member_add(actor=SYSTEM, team=team, person=person, role=role)


def _announce(rnd):
    for target in rnd.targets.select_related("team"):
        services.announcement_save(
            actor=SYSTEM,
            target=target,
            phone=target.team.phone,
            mailbox=target.team.mailbox,
            email=target.team.email,
            address="示例县人民路1号县委大院3号楼",
            opens_on=target.on_site_from,
            closes_on=target.on_site_to,
            published_on=target.on_site_from,
        )


def _walk(rnd, approved_on, meeting, until):
    # Up to the end of the on-site phase; the findings demo reports, feeds back and moves it on.
    steps = [("approve", {"approved_on": approved_on, "approval_meeting": meeting}), ("prepare", {}), ("enter", {})]
    steps += [("leave", {})]
    for action, data in steps:
        services.round_transition(obj=rnd, action=action, actor=SYSTEM, data=data)
        if action == until:
            break


def _team(rnd, phone, box):
    return services.team_create(actor=SYSTEM, rnd=rnd, phone=phone, mailbox=box, email="xcz@example.gov.cn")


def _focus(name):
    return focus_lists().filter(name=name, jurisdiction=None, active=True).order_by("-version").first()


def _seed_past_round(county, units, pool):
    rnd = services.round_create(
        actor=SYSTEM,
        jurisdiction=county,
        year=2025,
        number=1,
        name="县委第十四届第五轮巡察",
        entry_date=date(2025, 3, 3),
        exit_date=date(2025, 4, 30),
        focus_list=_focus("四个落实"),
    )
    team = _team(rnd, "0000-6661001", "示例县A001信箱")
    _staff(team, _free(pool, [units["城关镇"], units["县教育局"]], 4, set()))
    for name in ("城关镇", "县教育局"):
        target = services.round_target_add(actor=SYSTEM, rnd=rnd, unit=units[name])
        services.round_target_update(actor=SYSTEM, target=target, team=team)
    _announce(rnd)
    _walk(rnd, date(2025, 2, 10), "县委巡察工作领导小组2025年第1次会议", until="leave")


def _seed_previous_round(county, units, pool):
    """The round before the one on site: left the units five months ago, now in its reporting
    phase; the findings demo takes it through reports and feedback into rectification."""
    entry = timezone.localdate() - timedelta(days=150)
    taken_numbers = set(Round.objects.filter(jurisdiction=county, year=entry.year).values_list("number", flat=True))
    rnd = services.round_create(
        actor=SYSTEM,
        jurisdiction=county,
        year=entry.year,
        number=min(set(range(1, 20)) - taken_numbers),
        name="县委第十四届第七轮巡察",
        entry_date=entry,
        exit_date=entry + timedelta(days=45),
        focus_list=_focus("四个落实"),
    )
    team = _team(rnd, "0000-6663001", "示例县C001信箱")
    _staff(team, _free(pool, [units["县民政局"], units["县水利局"]], 4, set()))
    for name in ("县民政局", "县水利局"):
        target = services.round_target_add(actor=SYSTEM, rnd=rnd, unit=units[name])
        services.round_target_update(actor=SYSTEM, target=target, team=team)
    _announce(rnd)
    _walk(rnd, entry - timedelta(days=20), f"县委巡察工作领导小组{entry.year}年第2次会议", until="leave")


def _seed_current_round(county, units, pool, head):
    # On site now, whatever the date the demo is built: entered four weeks ago, two months long.
    entry = timezone.localdate() - timedelta(days=27)
    # The next number of its year, not a fixed one: whether the previous round (150 days back)
    # falls in the same year depends on the day the demo is built.
    taken = Round.objects.filter(jurisdiction=county, year=entry.year).aggregate(n=Max("number"))["n"] or 0
    rnd = services.round_create(
        actor=SYSTEM,
        jurisdiction=county,
        year=entry.year,
        number=taken + 1,
        name="县委第十四届第八轮巡察",
        entry_date=entry,
        exit_date=entry + timedelta(days=59),
        focus_list=_focus("四个落实"),
    )
    plan = [
        ("青山镇", RoundMode.REGULAR, ""),
        ("青山村", RoundMode.VILLAGE, ""),
        ("县财政局", RoundMode.THEMATIC, "惠民惠农财政补贴资金管理"),
        ("县人民医院", RoundMode.THEMATIC, "医保基金使用"),
    ]
    targets = {
        name: services.round_target_add(actor=SYSTEM, rnd=rnd, unit=units[name], mode=mode, theme=theme)
        for name, mode, theme in plan
    }
    team1, team2 = _team(rnd, "0000-6662001", "示例县B001信箱"), _team(rnd, "0000-6662002", "示例县B002信箱")
    # The demo team member (陈静, account xcz_chengyuan) serves on the first team.
    chen = accounts.person_create(actor=SYSTEM, name="陈静", gender="F", unit=units["县委巡察办"])
    member_account = User.objects.get(username="xcz_chengyuan")
    accounts.user_update(actor=SYSTEM, user=member_account, full_name="陈静", unit=units["县委巡察办"], person=chen)
    taken: set[int] = set()
    first = _free(pool, [units["青山镇"], units["青山村"]], 3, taken)
    _staff(team1, [first[0], chen, *first[1:]])
    leader_account = User.objects.get(username="xcz_zuzhang")
    accounts.user_update(
        actor=SYSTEM, user=leader_account, full_name=first[0].name, unit=leader_account.unit, person=first[0]
    )
    _staff(team2, _free(pool, [units["县财政局"], units["县人民医院"]], 3, taken))
    for name in ("青山镇", "青山村"):
        services.round_target_update(actor=SYSTEM, target=targets[name], team=team1)
    for name in ("县财政局", "县人民医院"):
        services.round_target_update(actor=SYSTEM, target=targets[name], team=team2)
    _recusal_cases(units, _free(pool, [units["青山镇"], units["县财政局"]], 2, taken), team1, team2, head)
    for source, title in (
        ("discipline", "县纪委监委关于青山镇等4个单位党风廉政建设和信访举报情况的通报"),
        ("organisation", "县委组织部关于被巡察单位领导班子和干部队伍建设情况的通报"),
        ("audit", "县审计局关于县财政局2024年度预算执行审计发现问题的通报"),
    ):
        services.briefing_add(actor=SYSTEM, rnd=rnd, source=source, title=title, filed_on=entry - timedelta(days=13))
    _announce(rnd)
    _walk(rnd, entry - timedelta(days=21), f"县委巡察工作领导小组{entry.year}年第3次会议", until="enter")


def _recusal_cases(units, two, team1, team2, head):
    # Refused: an auditor whose wife is deputy head of the township the first team inspects.
    auditor, specialist = two
    deputy = Person.objects.filter(
        posts__unit=units["青山镇"], posts__is_main_leader=False, posts__end_date__isnull=True
    ).first()
    accounts.relationship_add(
        actor=SYSTEM, person=auditor, relative=deputy, kind=RelationKind.SPOUSE, note="演示：回避情形"
    )
    with contextlib.suppress(RecusalBlocked):  # refused; the refusal and its reason stay in the audit log
        services.team_member_add(actor=head, team=team1, person=auditor)
    # Kept on justification: a finance specialist who left the finance bureau two years ago.
    accounts.post_add(
        actor=SYSTEM,
        person=specialist,
        unit=units["县财政局"],
        title="预算股副股长",
        start_date=date(2019, 3, 1),
        end_date=date(2024, 8, 31),
    )
    services.team_member_add(
        actor=head,
        team=team2,
        person=specialist,
        justification="专项巡察惠民惠农补贴资金须财务专业人员；该同志不参与对原所在股室的谈话和资料调阅。",
    )


demo_part(order=10, seeded=plans_seeded, seed=seed_plans, message="已建立巡察轮次 {rounds} 个，人才库 {pool} 人。")
