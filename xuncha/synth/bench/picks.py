"""Which users and objects the benchmark looks at: the first synthetic county, its latest round
that has entered, that round's first team; a city office user over the first city's counties and
the province office's user over every county.
For the documents, the largest of each kind in that county (most problems or tasks): the worst case."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from django.db.models import Count, Max

from xuncha.accounts.models import OrgUnit, Person, UnitType, User
from xuncha.audit.models import AuditEntry
from xuncha.fieldwork.models import FieldRecord, FixNotice, FixState, PaperState, WorkingPaper
from xuncha.findings.models import Feedback, FeedbackState, InspectionReport
from xuncha.intake.models import Report, ReportState
from xuncha.notify.models import Notification
from xuncha.plans.models import PoolEntry, Round, RoundState, TeamRole, TermPlan
from xuncha.rectification.models import EscalationLetter, PlanState, RectificationPlan, Task, TaskState
from xuncha.transfers.models import Transfer

ENTERED = [RoundState.ON_SITE, RoundState.REPORTING, RoundState.FEEDBACK_DONE, RoundState.RECTIFYING]


@dataclass
class Picks:
    paths: dict[str, str]  # role → the path its scope starts at
    users: dict[str, int]  # role → user id
    member_person: int
    unit: int
    person: int
    user: int
    round: int
    team: int
    target: int
    term: int
    pool_entry: int
    record: int
    paper: int
    fix: int
    report: int
    audit_seq: int
    # Findings and rectification (0: none in this data set; their pages are then skipped).
    fed_target: int = 0
    plan: int = 0
    task: int = 0
    # The documents: the largest of each kind in the county (0: none; the download is then skipped).
    feedback: int = 0  # a sent feedback opinion, most problems
    report_versions: dict[str, list[int]] = field(default_factory=dict)  # draft kind → [report id, version]
    transfer: int = 0  # most problems and papers
    letter: int = 0  # an escalation letter naming the most tasks
    doc_plan: int = 0  # the plan with the most tasks (plan .docx, the two reports)
    doc_round: int = 0  # the round with the most problems (situation report, comprehensive report)
    stats_year: int = 0  # the year of ``round``: the statistics overview filtered to one year

    def scope_path(self, role: str) -> str:
        return self.paths[role]

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def pick(alias: str = "default") -> Picks:
    users = User.objects.using(alias)
    county = OrgUnit.objects.using(alias).filter(unit_type=UnitType.COUNTY).order_by("path").first()
    if county is None:
        raise LookupError("no county: generate data first (manage.py synth)")
    head, staff = users.get(username="c0000_head"), users.get(username="c0000_staff1")
    city_user = users.select_related("unit").get(username="city000_office")
    rnd = Round.objects.using(alias).filter(jurisdiction=county, state__in=ENTERED).order_by("-entry_date").first()
    teams = rnd.teams.order_by("number")
    # The first team with a report about its units (a small data set may leave a team without).
    team = teams.filter(targets__reports__isnull=False).first() or teams.first()
    leader = team.members.get(role=TeamRole.LEADER).person
    member = users.get(person=leader)
    # A unit whose problems the team has begun to assemble, when there is one.
    target = team.targets.filter(problems__isnull=False).order_by("id").first() or team.targets.order_by("id").first()
    town = (
        OrgUnit.objects.using(alias)
        .filter(path__startswith=county.path, unit_type=UnitType.TOWNSHIP)
        .order_by("path")
        .first()
    )
    paper = WorkingPaper.objects.using(alias).filter(team=team).order_by("-state", "number")
    paper = paper.filter(state=PaperState.SIGNED).first() or paper.first()
    city_path = OrgUnit.objects.using(alias).get(pk=city_user.unit_id).path[: -OrgUnit.steplen]
    picks = Picks(
        paths={"staff": county.path, "head": county.path, "city": city_path, "member": ""},
        users={"staff": staff.pk, "head": head.pk, "city": city_user.pk, "member": member.pk},
        member_person=leader.pk,
        unit=town.pk,
        person=Person.objects.using(alias).filter(unit=town).order_by("id").first().pk,
        user=staff.pk,
        round=rnd.pk,
        stats_year=rnd.year,
        team=team.pk,
        target=target.pk,
        term=TermPlan.objects.using(alias).get(jurisdiction=county).pk,
        pool_entry=PoolEntry.objects.using(alias).filter(jurisdiction=county).order_by("id").first().pk,
        record=FieldRecord.objects.using(alias).filter(team=team, planned=False).order_by("id").first().pk,
        paper=paper.pk,
        fix=_fix(alias, county),
        report=Report.objects.using(alias)
        .filter(target__team=team)
        .order_by("-id")
        .values_list("pk", flat=True)
        .first()
        or 0,
        audit_seq=AuditEntry.objects.using(alias).filter(scope_unit=county).order_by("-seq").first().seq,
    )
    province = users.select_related("unit").filter(username="province_office").first()
    if province is not None:  # data generated before the province office had an account: none
        picks.users["province"] = province.pk
        picks.paths["province"] = OrgUnit.objects.using(alias).get(pk=province.unit_id).path[: -OrgUnit.steplen]
    _rectification(alias, county, picks)
    _documents(alias, county, picks)
    return picks


def _documents(alias: str, county: OrgUnit, picks: Picks) -> None:
    """The largest object behind each kind of document in the county, ties to the newest."""
    feedback = (
        Feedback.objects.using(alias)
        .filter(round__jurisdiction=county, state=FeedbackState.SENT)
        .annotate(n=Count("target__problems"))
        .order_by("-n", "-id")
        .values_list("pk", flat=True)
        .first()
    )
    picks.feedback = feedback or 0
    reports = (
        InspectionReport.objects.using(alias)
        .filter(round__jurisdiction=county, versions__isnull=False)
        .annotate(n=Count("target__problems", distinct=True), last=Max("versions__number"))
        .order_by("kind", "-n", "-id")
        .values_list("kind", "pk", "last")
    )
    for kind, pk, number in reports:
        picks.report_versions.setdefault(kind, [pk, number])
    transfer = (
        Transfer.objects.using(alias)
        .filter(round__jurisdiction=county)
        .annotate(n=Count("problems", distinct=True) + Count("papers", distinct=True))
        .order_by("-n", "-id")
        .values_list("pk", flat=True)
        .first()
    )
    picks.transfer = transfer or 0
    letter = (
        EscalationLetter.objects.using(alias)
        .filter(plan__feedback__round__jurisdiction=county)
        .annotate(n=Count("tasks"))
        .order_by("-n", "-id")
        .values_list("pk", flat=True)
        .first()
    )
    picks.letter = letter or 0
    plan = (
        RectificationPlan.objects.using(alias)
        .filter(feedback__round__jurisdiction=county)
        .annotate(n=Count("tasks"))
        .order_by("-n", "-id")
        .values_list("pk", flat=True)
        .first()
    )
    picks.doc_plan = plan or 0
    rnd = (
        Round.objects.using(alias)
        .filter(jurisdiction=county)
        .annotate(n=Count("problems"))
        .order_by("-n", "-id")
        .values_list("pk", flat=True)
        .first()
    )
    picks.doc_round = rnd or picks.round


def _rectification(alias: str, county: OrgUnit, picks: Picks) -> None:
    """A recent approved plan whose liaison has warning messages (else any approved plan, else any), a
    closed task of it, that liaison as the "unit" role, and the first supervising leader as "leader"."""
    users = User.objects.using(alias)
    plans = RectificationPlan.objects.using(alias).filter(feedback__target__unit__path__startswith=county.path)
    # An approved plan with open tasks when there is one: its page, its tasks' warnings and its
    # liaison's inbox show the most, and runs at different scales compare alike.
    approved = plans.filter(state=PlanState.APPROVED).order_by("-feedback__sent_on", "feedback__target__id")
    warned = (
        Notification.objects.using(alias)
        .filter(user__username__startswith=f"{county_tag(county)}_ll")
        .values_list("user__unit", flat=True)
        .order_by("-created_at", "-id")
        .first()
    )
    plan = (
        approved.filter(feedback__target__unit=warned).first()
        or approved.filter(tasks__state=TaskState.IN_PROGRESS).first()
        or approved.first()
        or plans.order_by("-feedback__sent_on", "id").first()
    )
    if plan is None:
        return
    picks.plan, picks.fed_target = plan.pk, plan.feedback.target_id
    tasks = Task.objects.using(alias).filter(plan=plan).order_by("number")
    task = tasks.filter(state=TaskState.CLOSED).first() or tasks.first()
    picks.task = task.pk if task else 0
    unit = plan.feedback.target.unit
    liaison = users.filter(username__startswith=f"{county_tag(county)}_ll", unit=unit).order_by("id").first()
    if liaison is not None:
        picks.users["unit"], picks.paths["unit"] = liaison.pk, unit.path
    leader = users.filter(username=f"{county_tag(county)}_xld1").first()
    if leader is not None:
        picks.users["leader"], picks.paths["leader"] = leader.pk, county.path


def county_tag(county: OrgUnit) -> str:
    return "c0000"  # the first synthetic county (its accounts are named cNNNN_*)


def _fix(alias: str, county: OrgUnit) -> int:
    """An accepted notice when there is one: the page shows the most for it, and runs compare alike."""
    fixes = FixNotice.objects.using(alias).filter(unit__path__startswith=county.path).order_by("-id")
    fix = fixes.filter(state=FixState.ACCEPTED).first() or fixes.first()
    return fix.pk if fix else 0  # 0: none in a very small data set (the page is then skipped)


def _report(alias: str, team: Any) -> int:
    """A report still to triage when there is one: the page's actions depend on the state, and runs
    at different scales must compare the same page."""
    reports = Report.objects.using(alias).filter(target__team=team).order_by("-id")
    report = reports.filter(state=ReportState.RECEIVED).first() or reports.first()
    return report.pk if report else 0
