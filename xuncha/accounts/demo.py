"""The demo county (示例县): units, people, posts, relationships and one account per role.

Demo data only: ``demo_seed`` refuses to run where settings.XUNCHA_DEMO_ALLOWED is False
(production). Names are generated from a fixed seed, so every machine gets the same county.
"""

from __future__ import annotations

import hashlib
import hmac
import random
from base64 import b32encode
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db import transaction

from xuncha.accounts import services
from xuncha.accounts.models import Gender, OrgUnit, PartyOrgKind, Person, RelationKind, UnitType, User
from xuncha.accounts.permissions import Role
from xuncha.accounts.twofactor import policy as twofactor
from xuncha.accounts.twofactor import services as twofactor_services
from xuncha.common.actors import SYSTEM
from xuncha.common.exceptions import ServiceError

CITY_NAME = "示例市"
COUNTY_NAME = "示例县"
DEMO_PASSWORD = "xuncha-demo-2026"


@dataclass(frozen=True)
class DemoAccount:
    username: str
    full_name: str
    role: Role | None  # None: team member, whose access comes from team membership
    unit: str  # the account's own unit
    scope: str  # the unit the role is granted over
    label: str = ""  # how demo_accounts describes it, when the role alone does not say enough


DEMO_ACCOUNTS = [
    DemoAccount("admin", "系统管理员", Role.SYSADMIN, "县委巡察办", CITY_NAME),
    DemoAccount("xcb_zhuren", "周正", Role.OFFICE_HEAD, "县委巡察办", COUNTY_NAME),
    DemoAccount("xcb_ganbu", "李明", Role.OFFICE_STAFF, "县委巡察办", COUNTY_NAME),
    DemoAccount("ldxz", "王建国", Role.LEADING_GROUP, "县委", COUNTY_NAME),
    DemoAccount("xcz_chengyuan", "陈静", None, "县委巡察办", COUNTY_NAME),
    # The leader of the first team of the round on site (linked to that person by the plans demo).
    DemoAccount("xcz_zuzhang", "巡察组组长", None, "县委巡察办", COUNTY_NAME, "巡察组成员（组长）"),
    DemoAccount("dw_fuzeren", "赵青山", Role.UNIT_LEADER, "青山镇", "青山镇"),
    DemoAccount("dw_lianluoyuan", "孙晓", Role.UNIT_LIAISON, "青山镇", "青山镇"),
    # The civil affairs bureau, inspected in the previous round and fed back (findings demo).
    DemoAccount("mz_lianluoyuan", "周民", Role.UNIT_LIAISON, "县民政局", "县民政局"),
    # Receivers hold their role over their own body: each sees what was transferred to it.
    DemoAccount("jw_chengban", "钱纪", Role.DISCIPLINE_RECEIVER, "县纪委监委", "县纪委监委"),
    DemoAccount("zzb_chengban", "吴组", Role.ORGANISATION_RECEIVER, "县委组织部", "县委组织部"),
    DemoAccount("hy_chengban", "郑教", Role.SECTOR_RECEIVER, "县教育局", "县教育局"),
    DemoAccount("cz_chengban", "赵财", Role.SECTOR_RECEIVER, "县财政局", "县财政局"),
    DemoAccount("xld_fenguan", "冯领", Role.SUPERVISING_LEADER, "县委", COUNTY_NAME),
    DemoAccount("sj_xcb", "刘上", Role.UPPER_OFFICE, "市委巡察办", CITY_NAME),
]

DEPARTMENTS = [
    ("县纪委监委", "中共示例县纪律检查委员会", PartyOrgKind.COMMITTEE),
    ("县委组织部", "中共示例县委组织部部务会", PartyOrgKind.COMMITTEE),
    ("县委宣传部", "中共示例县委宣传部部务会", PartyOrgKind.COMMITTEE),
    ("县委巡察办", "中共示例县委巡察工作领导小组办公室党支部", PartyOrgKind.BRANCH),
    ("县发展和改革局", "中共示例县发展和改革局党组", PartyOrgKind.LEADING_GROUP),
    ("县财政局", "中共示例县财政局党组", PartyOrgKind.LEADING_GROUP),
    ("县教育局", "中共示例县教育局党组", PartyOrgKind.LEADING_GROUP),
    ("县卫生健康局", "中共示例县卫生健康局党组", PartyOrgKind.LEADING_GROUP),
    ("县农业农村局", "中共示例县农业农村局党组", PartyOrgKind.LEADING_GROUP),
    ("县自然资源局", "中共示例县自然资源局党组", PartyOrgKind.LEADING_GROUP),
    ("县住房和城乡建设局", "中共示例县住房和城乡建设局党组", PartyOrgKind.LEADING_GROUP),
    ("县民政局", "中共示例县民政局党组", PartyOrgKind.LEADING_GROUP),
    ("县人力资源和社会保障局", "中共示例县人力资源和社会保障局党组", PartyOrgKind.LEADING_GROUP),
    ("县交通运输局", "中共示例县交通运输局党组", PartyOrgKind.LEADING_GROUP),
    ("县水利局", "中共示例县水利局党组", PartyOrgKind.LEADING_GROUP),
    ("县市场监督管理局", "中共示例县市场监督管理局党组", PartyOrgKind.LEADING_GROUP),
    ("县审计局", "中共示例县审计局党组", PartyOrgKind.LEADING_GROUP),
    ("县信访局", "中共示例县信访局党组", PartyOrgKind.LEADING_GROUP),
]

TOWNSHIPS = {
    "城关镇": ["东街社区", "西街社区", "南关社区", "北门村", "新城社区"],
    "青山镇": ["青山村", "石门村", "松林村", "桃园村", "上坝村"],
    "河口乡": ["河口村", "渡口村", "沙洲村", "李家湾村"],
    "石桥镇": ["石桥村", "白马村", "龙泉村", "新建村", "红旗村"],
    "柳林乡": ["柳林村", "杨庄村", "马家村", "前进村"],
    "东坝镇": ["东坝社区", "高家村", "金星村", "团结村"],
}

OTHERS = [
    ("县城市建设投资集团有限公司", UnitType.SOE, "县财政局"),
    ("县供水有限公司", UnitType.SOE, "县住房和城乡建设局"),
    ("县第一中学", UnitType.SCHOOL, "县教育局"),
    ("县实验小学", UnitType.SCHOOL, "县教育局"),
    ("县人民医院", UnitType.HOSPITAL, "县卫生健康局"),
    ("县中医院", UnitType.HOSPITAL, "县卫生健康局"),
]

# (title, leadership member, main leader) per kind of unit; the first line is the main leader.
POSTS = {
    UnitType.DEPARTMENT: [
        ("党组书记、局长", True, True),
        ("党组成员、副局长", True, False),
        ("党组成员、副局长", True, False),
        ("派驻纪检监察组组长", True, False),
        ("办公室主任", False, False),
        ("财务股股长", False, False),
        ("科员", False, False),
    ],
    UnitType.TOWNSHIP: [
        ("党委书记", True, True),
        ("党委副书记、镇长", True, False),
        ("党委副书记", True, False),
        ("党委委员、纪委书记", True, False),
        ("党委委员、副镇长", True, False),
        ("党委委员、组织委员", True, False),
        ("财政所所长", False, False),
        ("党政办主任", False, False),
        ("民政办工作人员", False, False),
    ],
    UnitType.VILLAGE: [
        ("党支部书记、村委会主任", True, True),
        ("党支部副书记", True, False),
        ("村务监督委员会主任", True, False),
        ("村委会委员、报账员", False, False),
    ],
    UnitType.SOE: [
        ("党委书记、董事长", True, True),
        ("党委副书记、总经理", True, False),
        ("纪委书记", True, False),
        ("财务部经理", False, False),
        ("综合部职员", False, False),
    ],
    UnitType.SCHOOL: [
        ("党委书记", True, True),
        ("校长", True, False),
        ("副校长", True, False),
        ("总务处主任", False, False),
    ],
    UnitType.HOSPITAL: [
        ("党委书记", True, True),
        ("院长", True, False),
        ("副院长", True, False),
        ("纪委书记", True, False),
        ("药剂科主任", False, False),
    ],
    UnitType.COMMITTEE: [
        ("县委书记", True, True),
        ("县委副书记、县长", True, False),
        ("县委常委、纪委书记、监委主任", True, False),
        ("县委常委、组织部部长", True, False),
        ("县委常委、副县长", True, False),
    ],
}

# Departments whose posts are not named like a bureau's (局长/副局长).
POSTS_BY_SUFFIX = [
    (
        "纪委监委",
        [
            ("书记、主任", True, True),
            ("副书记、副主任", True, False),
            ("常委、监委委员", True, False),
            ("纪检监察室主任", False, False),
            ("案件审理室主任", False, False),
            ("科员", False, False),
        ],
    ),
    (
        "巡察办",
        [
            ("主任", True, True),
            ("副主任", True, False),
            ("综合室主任", False, False),
            ("督查室主任", False, False),
            ("科员", False, False),
        ],
    ),
    (
        "部",
        [
            ("部长", True, True),
            ("常务副部长", True, False),
            ("副部长", True, False),
            ("干部股股长", False, False),
            ("办公室主任", False, False),
            ("科员", False, False),
        ],
    ),
]


def _titles_for(unit: OrgUnit) -> list[tuple[str, bool, bool]]:
    if unit.unit_type == UnitType.DEPARTMENT:
        for suffix, titles in POSTS_BY_SUFFIX:
            if unit.name.endswith(suffix):
                return titles
    return POSTS[UnitType(unit.unit_type)]


SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
GIVEN = "建国华明军平伟芳娜秀英敏静丽强磊洋勇艳杰娟涛超霞刚桂兰辉鹏玲红波宁海燕春林晓东文斌志国庆云飞雪梅凤琴"


def demo_exists() -> bool:
    return OrgUnit.objects.filter(name=COUNTY_NAME, unit_type=UnitType.COUNTY).exists()


class _Builder:
    def __init__(self) -> None:
        self.rng = random.Random(2026)
        self.units: dict[str, OrgUnit] = {}
        self.people: list[Person] = []
        self.used_names: set[str] = set()

    def name(self) -> str:
        while True:
            n = self.rng.choice(SURNAMES) + "".join(self.rng.choice(GIVEN) for _ in range(self.rng.choice((1, 2))))
            if n not in self.used_names:
                self.used_names.add(n)
                return n

    def unit(self, parent: OrgUnit | None, name: str, unit_type: str, **kw) -> OrgUnit:
        unit = services.unit_create(actor=SYSTEM, parent=parent, name=name, unit_type=unit_type, **kw)
        self.units[name] = unit
        return unit

    def staff(self, unit: OrgUnit) -> None:
        for title, member, main in _titles_for(unit):
            person = services.person_create(
                actor=SYSTEM, name=self.name(), gender=self.rng.choice(Gender.values), unit=unit
            )
            start = date(self.rng.randint(2016, 2024), self.rng.randint(1, 12), 1)
            if self.people and self.rng.random() < 0.25:
                # A former post elsewhere: the history the recusal check looks at.
                old_unit = self.rng.choice(list(self.units.values()))
                old_start = date(start.year - self.rng.randint(3, 6), 3, 1)
                services.post_add(
                    actor=SYSTEM, person=person, unit=old_unit, title="科员", start_date=old_start, end_date=start
                )
            services.post_add(
                actor=SYSTEM,
                person=person,
                unit=unit,
                title=title,
                start_date=start,
                is_leadership_member=member,
                is_main_leader=main,
            )
            self.people.append(person)

    def relations(self, count: int) -> None:
        kinds = [
            RelationKind.SPOUSE,
            RelationKind.SIBLING,
            RelationKind.PARENT_CHILD,
            RelationKind.IN_LAW,
            RelationKind.COLLATERAL,
            RelationKind.SUPERIOR,
        ]
        made = 0
        while made < count:
            a, b = self.rng.sample(self.people, 2)
            try:
                services.relationship_add(actor=SYSTEM, person=a, relative=b, kind=self.rng.choice(kinds))
            except ServiceError:  # a duplicate pair drawn twice: draw again
                continue
            made += 1


@transaction.atomic
def seed_demo() -> dict[str, int]:
    b = _Builder()
    city = b.unit(
        None, CITY_NAME, UnitType.CITY, party_org_name="中共示例市委员会", party_org_kind=PartyOrgKind.COMMITTEE
    )
    b.unit(
        city,
        "市委巡察办",
        UnitType.DEPARTMENT,
        party_org_name="中共示例市委巡察办党支部",
        party_org_kind=PartyOrgKind.BRANCH,
    )
    county = b.unit(
        city, COUNTY_NAME, UnitType.COUNTY, party_org_name="中共示例县委员会", party_org_kind=PartyOrgKind.COMMITTEE
    )
    b.staff(
        b.unit(
            county,
            "县委",
            UnitType.COMMITTEE,
            party_org_name="中共示例县委员会常务委员会",
            party_org_kind=PartyOrgKind.COMMITTEE,
        )
    )
    for name, party_name, kind in DEPARTMENTS:
        b.staff(b.unit(county, name, UnitType.DEPARTMENT, party_org_name=party_name, party_org_kind=kind))
    agri = b.units["县农业农村局"]
    for town, villages in TOWNSHIPS.items():
        t = b.unit(
            county,
            town,
            UnitType.TOWNSHIP,
            party_org_name=f"中共示例县{town}委员会",
            party_org_kind=PartyOrgKind.COMMITTEE,
        )
        b.staff(t)
        for v in villages:
            b.staff(
                b.unit(
                    t,
                    v,
                    UnitType.VILLAGE,
                    party_org_name=f"中共{v}支部委员会",
                    party_org_kind=PartyOrgKind.BRANCH,
                    sector_dept=agri,
                )
            )
    for name, unit_type, sector in OTHERS:
        b.staff(
            b.unit(
                county,
                name,
                unit_type,
                party_org_name=f"中共示例{name}委员会",
                party_org_kind=PartyOrgKind.COMMITTEE,
                sector_dept=b.units[sector],
            )
        )
    b.relations(40)
    _seed_accounts(b.units)
    return {"units": len(b.units), "people": len(b.people), "accounts": len(DEMO_ACCOUNTS)}


def _seed_accounts(units: dict[str, OrgUnit]) -> None:
    leader = Person.objects.filter(posts__unit=units["青山镇"], posts__is_main_leader=True).first()
    for acc in DEMO_ACCOUNTS:
        if User.objects.filter(username=acc.username).exists():
            continue
        user = services.user_create(
            actor=SYSTEM,
            username=acc.username,
            full_name=leader.name if acc.role == Role.UNIT_LEADER and leader else acc.full_name,
            unit=units[acc.unit],
            password=DEMO_PASSWORD,
            person=leader if acc.role == Role.UNIT_LEADER else None,
            # The demo password is printed for visitors; forcing a change would lock the next one out.
            password_change_required=False,
        )
        if acc.role is not None:
            services.role_grant(actor=SYSTEM, user=user, role=acc.role, scope=units[acc.scope], note="演示数据")
    seed_demo_authenticators()


# --- two-factor sign-in for the demo accounts ------------------------------------------------


def demo_requires_2fa(acc: DemoAccount) -> bool:
    return twofactor.role_requires(acc.role or Role.TEAM_MEMBER)


def demo_totp_key(username: str) -> str:
    """The demo account's TOTP secret (hex): derived from its name and SECRET_KEY, so loading the
    demo again gives the same secret, and another installation's differs."""
    digest = hmac.new(settings.SECRET_KEY.encode(), f"xuncha-demo-totp:{username}".encode(), hashlib.sha256)
    return digest.digest()[:20].hex()


def demo_totp_secret(username: str) -> str:
    """The same secret in base32, as authenticator apps take it."""
    return b32encode(bytes.fromhex(demo_totp_key(username))).decode("ascii").rstrip("=")


def seed_demo_authenticators() -> int:
    """A confirmed authenticator for each demo account whose role requires two-factor sign-in.
    Where two-factor is not enforced (the test settings) nobody gets one, so the other browser
    journeys keep signing in with a password alone."""
    if not twofactor.enforced():
        return 0
    made = 0
    for acc in DEMO_ACCOUNTS:
        user = User.objects.filter(username=acc.username).first()
        if user is not None and demo_requires_2fa(acc):
            twofactor_services.totp_device_install(actor=SYSTEM, user=user, key=demo_totp_key(acc.username))
            made += 1
    return made
