"""What the load test asks for: per role, the accounts that sign in and the requests they make.

Every object comes from the benchmark's picks (the first synthetic county, its latest entered round,
that round's first team, the liaison of a plan with warnings, the first supervising leader, the first
city office); what picks.py does not name is chosen through the access package's ``scope_queryset``
for that very user, so each request is one the role may make: 403, 404 and 500 count as errors.

Each role mixes list, detail, filter and download requests and one write in ten: a form post the
role makes in its daily work, cheap to repeat (marking messages read, a progress note on a task in
rectification, a leader's supervision comment). Writes land outside the pages ``make bench`` times
(another task than the picked one), so a load test leaves the benchmark's figures alone.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from django.urls import reverse

from xuncha.accounts.models import OrgUnit, Person, User
from xuncha.accounts.permissions import Perm, scope_queryset
from xuncha.plans.models import TeamMember
from xuncha.rectification.models import EscalationLetter, LeaderAssignment, Task, TaskState
from xuncha.synth.bench.picks import Picks, county_tag
from xuncha.synth.load.urls import BARE

# Kinds of request and their share of a user's actions: one write in ten.
WEIGHTS = {"list": 3, "detail": 3, "filter": 2, "download": 1, "write": 1}
# The order in which Locust users take roles (user i plays ROLES[i % 5]).
ROLES = {
    "staff": "county office staff (县巡察办)",
    "member": "team member (巡察组)",
    "unit": "unit liaison (被巡察单位联络员)",
    "leader": "county leader (领衔督办)",
    "city": "city office (市巡察办)",
}
LAYOUT = "/__bench__/layout/"  # xuncha/synth/bench/urls.py: the trivial page in the site's layout
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# What the writes say (stored as typed; marked so a reader of the data knows where they came from).
PROGRESS_NOTE = "已按整改方案推进，本阶段工作完成，佐证材料随后补充。（压力测试）"
LEADER_NOTE = "请抓紧推进整改，按期报送进展情况。（压力测试）"


@dataclass
class Req:
    kind: str  # list, detail, filter, download, write
    key: str
    url: str
    content_type: str = ""  # downloads: the type the response must have
    data: dict[str, str] = field(default_factory=dict)  # writes: the form's fields
    then: str = ""  # writes: where the post redirects (the page then shown with its message)


def accounts(p: Picks) -> dict[str, list[User]]:
    """The accounts of each role: the picked one first, then others with the same reach (the second
    office staff, the team's other members), so concurrent users are mostly different people."""
    users = User.objects.filter(is_active=True)
    team_people = TeamMember.objects.filter(team_id=p.team).values("person")
    tag = county_tag(OrgUnit.objects.get(path=p.paths["staff"]))
    found = {
        "staff": list(users.filter(username__startswith=f"{tag}_staff").order_by("username")),
        "member": list(users.filter(person__in=team_people).order_by("username")),
    }
    out: dict[str, list[User]] = {}
    for role in ROLES:
        if role not in p.users:
            continue
        first = users.get(pk=p.users[role])
        out[role] = [first, *[u for u in found.get(role, []) if u.pk != first.pk]]
    return out


def requests(p: Picks, by_role: dict[str, list[User]]) -> dict[str, list[Req]]:
    makers = {"staff": _staff, "member": _member, "unit": _unit, "leader": _leader, "city": _city}
    return {role: makers[role](p, people[0]) for role, people in by_role.items()}


def missing_kinds(p: Picks, by_role: dict[str, list[User]]) -> dict[str, list[str]]:
    """Per role, the kinds of request this data set offers it nothing for."""
    return {role: [k for k in WEIGHTS if all(r.kind != k for r in reqs)] for role, reqs in requests(p, by_role).items()}


def _read_all() -> Req:
    return Req("write", "mark messages read", reverse("notify:read_all"), then=reverse("notify:inbox"))


def _staff(p: Picks, user: User) -> list[Req]:
    u = reverse
    out = [
        Req("list", "rounds", u("plans:round_list")),
        Req("list", "reports", u("intake:report_list")),
        Req("list", "rectification plans", u("rectification:plan_list")),
        Req("list", "transfers", u("transfers:transfer_list")),
        Req("detail", "round", u("plans:round_detail", args=[p.round])),
        Req("detail", "team", u("plans:team_detail", args=[p.team])),
        Req("detail", "paper", u("fieldwork:paper_detail", args=[p.paper])),
        Req("detail", "situation", u("analytics:round_situation", args=[p.round])),
        Req("filter", "org search 镇", u("accounts:unit_tree") + "?q=镇"),
        Req("filter", "reports received", u("intake:report_list") + "?state=received"),
        Req("filter", "fix notices accepted", u("fieldwork:fix_list") + "?state=accepted"),
        Req("filter", "transfers handling", u("transfers:transfer_list") + "?state=handling"),
        Req("download", "authorisation.docx", u("plans:team_authorisation", args=[p.team]), DOCX),
        Req("download", "entry-notice.docx", u("plans:entry_notice", args=[p.target]), DOCX),
        _read_all(),
    ]
    if p.report:
        out.append(Req("detail", "report", u("intake:report_detail", args=[p.report])))
    if p.plan:
        out += [
            Req("detail", "plan", u("rectification:plan_detail", args=[p.plan])),
            Req("download", "ledger.xlsx", u("rectification:plan_ledger", args=[p.plan]), XLSX),
        ]
    return out


def _member(p: Picks, user: User) -> list[Req]:
    u = reverse
    out = [
        Req("list", "field records", u("fieldwork:record_list", args=[p.team])),
        Req("list", "papers", u("fieldwork:paper_list", args=[p.team])),
        Req("list", "problems", u("findings:problem_list", args=[p.target])),
        Req("list", "reports", u("intake:report_list")),
        Req("detail", "round", u("plans:round_detail", args=[p.round])),
        Req("detail", "team", u("plans:team_detail", args=[p.team])),
        Req("detail", "field record", u("fieldwork:record_detail", args=[p.record])),
        Req("detail", "paper", u("fieldwork:paper_detail", args=[p.paper])),
        Req("filter", "papers signed", u("fieldwork:paper_list", args=[p.team]) + "?state=signed"),
        Req("filter", "records interviews", u("fieldwork:record_list", args=[p.team]) + "?kind=interview"),
        Req("filter", "reports accepted", u("intake:report_list") + "?state=accepted"),
        Req("download", "authorisation.docx", u("plans:team_authorisation", args=[p.team]), DOCX),
        _read_all(),
    ]
    if p.report:
        out.append(Req("detail", "report", u("intake:report_detail", args=[p.report])))
    return out


def _unit(p: Picks, user: User) -> list[Req]:
    u = reverse
    surname = Person.objects.filter(unit=user.unit_id).order_by("id").values_list("name", flat=True).first() or "王"
    out = [
        Req("list", "rectification plans", u("rectification:plan_list")),
        Req("list", "inbox", u("notify:inbox")),
        Req("list", "fix notices", u("fieldwork:fix_list")),
        Req("detail", "plan", u("rectification:plan_detail", args=[p.plan])),
        Req("detail", "task", u("rectification:task_detail", args=[p.task])),
        Req("filter", "fix notices accepted", u("fieldwork:fix_list") + "?state=accepted"),
        Req("filter", f"people {surname[0]}", u("accounts:person_list") + f"?q={surname[0]}"),
        Req("download", "ledger.xlsx", u("rectification:plan_ledger", args=[p.plan]), XLSX),
        Req("download", "plan.docx", u("rectification:plan_docx", args=[p.plan]), DOCX),
    ]
    # A progress note on a task in rectification (not the picked task, whose page the bench times).
    open_tasks = Task.objects.filter(state__in=[TaskState.IN_PROGRESS, TaskState.ONGOING]).exclude(pk=p.task)
    mine = scope_queryset(user, Perm.RECTIFY_EDIT, open_tasks)
    task = mine.filter(plan_id=p.plan).order_by("number").first() or mine.order_by("id").first()
    if task is None:
        return [*out, _read_all()]
    progress = u("rectification:task_progress", args=[task.pk])
    return [*out, Req("write", "progress note", progress, data={"text": PROGRESS_NOTE}, then=task.get_absolute_url())]


def _leader(p: Picks, user: User) -> list[Req]:
    u = reverse
    items = scope_queryset(user, Perm.SUPERVISE_VIEW, LeaderAssignment.objects.filter(revoked_at__isnull=True))
    item = items.order_by("id").first()
    out = [
        Req("list", "key items", u("rectification:assignment_list")),
        Req("list", "inbox", u("notify:inbox")),
        Req("filter", "key items of mine", u("rectification:assignment_list") + f"?leader={user.pk}"),
    ]
    if item is None:
        return [*out, _read_all()]
    detail = u("rectification:assignment_detail", args=[item.pk])
    out.append(Req("detail", "key item", detail))
    task = scope_queryset(user, Perm.RECTIFY_VIEW, Task.objects.filter(problem_id=item.problem_id)).first()
    if task is not None:
        out.append(Req("detail", "task", u("rectification:task_detail", args=[task.pk])))
    letter = scope_queryset(user, Perm.RECTIFY_VIEW, EscalationLetter.objects.all()).order_by("id").first()
    if letter is not None:
        out.append(Req("download", "escalation letter.docx", u("rectification:letter_docx", args=[letter.pk]), DOCX))
    comment = u("rectification:assignment_comment", args=[item.pk])
    return [*out, Req("write", "supervision comment", comment, data={"text": LEADER_NOTE}, then=detail)]


def _city(p: Picks, user: User) -> list[Req]:
    u = reverse
    return [
        Req("list", "rounds", u("plans:round_list")),
        Req("list", "reports", u("intake:report_list")),
        Req("list", "transfers", u("transfers:transfer_list")),
        Req("list", "rectification plans", u("rectification:plan_list")),
        Req("list", "report register", u("findings:office_queue")),
        Req("detail", "home", u("home")),
        Req("detail", "situation", u("analytics:round_situation", args=[p.round])),
        Req("filter", "org search 镇", u("accounts:unit_tree") + "?q=镇"),
        Req("filter", "reports received", u("intake:report_list") + "?state=received"),
        Req("filter", "transfers handling", u("transfers:transfer_list") + "?state=handling"),
        Req("download", "situation.docx", u("analytics:situation_docx", args=[p.doc_round]), DOCX),
        _read_all(),
    ]


def as_json(
    p: Picks, by_role: dict[str, list[User]], *, password: str, keys: dict[str, str], **settings: Any
) -> dict[str, Any]:
    """The plan the Locust process reads: URLs, accounts (with their authenticator keys, where they
    have one) and the run's settings (users, warm-up, durations, seed)."""
    reqs = requests(p, by_role)
    roles = {
        role: {
            "label": ROLES[role],
            "accounts": [{"username": a.username, "password": password, "totp": keys.get(a.username)} for a in people],
            "requests": [asdict(r) for r in reqs[role]],
        }
        for role, people in by_role.items()
    }
    urls = {
        "login": reverse("accounts:login"),
        "verify": reverse("accounts:twofactor_verify"),
        "home": reverse("home"),
        "layout": LAYOUT,
        "bare": BARE,
    }
    return {"roles": roles, "weights": WEIGHTS, "urls": urls, **settings}
