"""Need to know, as a matrix: every demo account (one per role, membership roles included) ×
every kind of confidential object and download, against the policy written out below.

The policy is declared here, independently of ``ROLE_PERMS``: a wrong role table, a membership
that reaches too far or a download door left open makes a cell fail. The demo county is built
once for the module (inside a transaction that is rolled back at the end), so the objects are the
ones a user meets: round 7 fed back and rectifying, round 8 on site, round 5 archived.

Accounts (``xuncha/accounts/demo.py``): OH office head, OS office staff, LG leading group, TM a
member of round 8's first team only, TL the leader of the first team in rounds 5 (archived), 7
and 8, UL/UQ 青山镇 (on site, nothing fed back yet), MZ 县民政局's liaison (fed back, plan
approved), JW/ZZ the discipline commission and organisation department, HY/CZ the education and
finance bureaus (sector departments; 县财政局 leads a clean-up), LD a county leader with two key
items of 县民政局 (领衔督办), SJ the city's office (upper office), AD the system administrator.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

ACCOUNTS = {
    "OH": "xcb_zhuren",
    "OS": "xcb_ganbu",
    "LG": "ldxz",
    "TM": "xcz_chengyuan",
    "TL": "xcz_zuzhang",
    "UL": "dw_fuzeren",
    "UQ": "dw_lianluoyuan",
    "MZ": "mz_lianluoyuan",
    "JW": "jw_chengban",
    "ZZ": "zzb_chengban",
    "HY": "hy_chengban",
    "CZ": "cz_chengban",
    "LD": "xld_fenguan",
    "SJ": "sj_xcb",
    "AD": "admin",
}

OFFICE = {"OH", "OS"}


@dataclass(frozen=True)
class Kind:
    name: str
    url: Callable[[dict], str]
    allowed: frozenset[str]
    is_object: bool = True  # an object page answers 404 to those who may not see it


def _u(name: str, key: str) -> Callable[[dict], str]:
    return lambda d: reverse(name, args=[d[key].pk])


def _k(name: str, url: Callable[[dict], str], allowed: set[str], *, is_object: bool = True) -> Kind:
    return Kind(name, url, frozenset(allowed), is_object)


KINDS = [
    # --- plans ------------------------------------------------------------------------------
    _k("round (on site)", _u("plans:round_detail", "round8"), OFFICE | {"LG", "TM", "TL"}),
    # A team's authority ends with its round (一次一授权): round 5 is archived.
    _k("round (archived)", _u("plans:round_detail", "round5"), OFFICE | {"LG"}),
    _k("briefing file", lambda d: d["briefing_url"], OFFICE | {"TM", "TL"}),
    _k(
        "team authorisation (docx)",
        lambda d: reverse("plans:team_authorisation", args=[d["paper8"].team_id]),
        OFFICE | {"LG", "TM", "TL"},
    ),
    _k("entry notice (docx)", lambda d: reverse("plans:entry_notice", args=[d["fix"].paper.target_id]), OFFICE),
    # --- fieldwork: never the unit's, the leaders' or the receivers' ----------------------------
    _k("working paper", _u("fieldwork:paper_detail", "paper8"), OFFICE | {"TM", "TL"}),
    _k(
        "paper evidence file",
        lambda d: reverse("fieldwork:paper_evidence_file", args=[d["paper8"].pk, 1]),
        OFFICE | {"TM", "TL"},
    ),
    _k("working paper (archived round)", _u("fieldwork:paper_detail", "paper5"), OFFICE),
    _k("interview record", _u("fieldwork:record_detail", "record8"), OFFICE | {"TM", "TL"}),
    _k("fix notice", _u("fieldwork:fix_detail", "fix"), OFFICE | {"TM", "TL", "UL", "UQ"}),
    # --- reports from the public: the team and the office, nobody else --------------------------
    _k("public report", _u("intake:report_detail", "report"), OFFICE | {"TM", "TL"}),
    _k(
        "public report file",
        lambda d: reverse("intake:attachment_download", args=[d["report"].pk, d["attachment"].pk]),
        OFFICE | {"TM", "TL"},
    ),
    _k("public report register", lambda d: reverse("intake:report_list"), OFFICE | {"TM", "TL"}, is_object=False),
    # --- findings -------------------------------------------------------------------------------
    _k("problem", _u("findings:problem_detail", "problem7"), OFFICE | {"LG", "TL"}),
    _k("problem (archived round)", _u("findings:problem_detail", "problem5"), OFFICE | {"LG"}),
    _k("inspection report", _u("findings:draft_detail", "draft7"), OFFICE | {"LG", "TL"}),
    _k(
        "inspection report version (docx)",
        lambda d: reverse("findings:version_download", args=[d["draft7"].pk, 1]),
        OFFICE | {"LG", "TL"},
    ),
    _k(
        "inspection report versions compared",
        lambda d: reverse("findings:version_compare", args=[d["draft_two"].pk, 1, 2]),
        OFFICE | {"LG", "TL"},
    ),
    _k("feedback (inspection side)", _u("findings:feedback_detail", "fb_mz"), OFFICE | {"LG", "TL"}),
    _k(
        "feedback opinion (docx)",
        _u("findings:feedback_document", "fb_mz"),
        OFFICE | {"LG", "TL", "MZ"},
    ),
    _k(
        "feedback opinion of another unit (docx)",
        _u("findings:feedback_document", "fb_sl"),
        OFFICE | {"LG", "TL"},
    ),
    _k("feedback (unit's page)", _u("findings:unit_feedback_detail", "fb_mz"), OFFICE | {"LG", "TL", "MZ"}),
    # --- transfers: the receiving body, the office, the team that found it ----------------------
    _k("transfer to the commission", _u("transfers:transfer_detail", "transfer_jw"), OFFICE | {"JW", "TL"}),
    _k(
        "transfer letter (docx)",
        _u("transfers:transfer_letter", "transfer_jw"),
        OFFICE | {"JW", "TL"},
    ),
    _k("transfer to a sector department", _u("transfers:transfer_detail", "transfer_hy"), OFFICE | {"HY", "TL"}),
    # --- rectification: the unit, the office, the team; a leader only his items ------------------
    _k("rectification plan", _u("rectification:plan_detail", "plan_mz"), OFFICE | {"MZ", "TL"}),
    _k("ledger (xlsx)", _u("rectification:plan_ledger", "plan_mz"), OFFICE | {"MZ", "TL"}),
    _k("plan import status", _u("rectification:plan_import_status", "plan_mz"), OFFICE | {"MZ", "TL"}),
    _k("plan (docx)", _u("rectification:plan_docx", "plan_mz"), OFFICE | {"MZ", "TL"}),
    _k(
        "rectification report (docx)",
        lambda d: reverse("rectification:report_docx", args=[d["plan_mz"].pk, "unit"]),
        OFFICE | {"MZ", "TL"},
    ),
    _k("evaluation sheet (xlsx)", _u("rectification:evaluation_xlsx", "plan_evaluated"), OFFICE),
    _k("plan of another unit", _u("rectification:plan_detail", "plan_sl"), OFFICE | {"TL"}),
    _k("plan follow-up", _u("rectification:plan_followup", "plan_mz"), OFFICE | {"MZ", "TL"}),
    _k("task of a key item", _u("rectification:task_detail", "task_key"), OFFICE | {"MZ", "TL", "LD"}),
    _k(
        "closure evidence of a key item",
        lambda d: d["task_key_file_url"],
        OFFICE | {"MZ", "TL", "LD"},
    ),
    _k("task of another item", _u("rectification:task_detail", "task_other"), OFFICE | {"MZ", "TL"}),
    _k("evidence of another item", lambda d: d["task_other_file_url"], OFFICE | {"MZ", "TL"}),
    _k("letter on a key item", _u("rectification:letter_detail", "letter"), OFFICE | {"MZ", "TL", "LD"}),
    _k(
        "letter on a key item (docx)",
        _u("rectification:letter_docx", "letter"),
        OFFICE | {"MZ", "TL", "LD"},
    ),
    _k("key item (领衔督办)", _u("rectification:assignment_detail", "assignment"), OFFICE | {"LD"}),
    _k("clean-up (专项整治)", _u("rectification:campaign_detail", "campaign"), OFFICE | {"CZ"}),
    # --- statistics: case text only for the office and the leading group -------------------------
    _k("situation page", _u("analytics:round_situation", "round7"), OFFICE | {"LG"}),
    _k("situation report (docx)", _u("analytics:situation_docx", "round7"), OFFICE | {"LG"}),
    _k("comprehensive figures (xlsx)", _u("analytics:situation_xlsx", "round7"), OFFICE | {"LG"}),
    _k(
        "dashboard",
        lambda d: reverse("analytics:dashboard"),
        OFFICE | {"LG", "UL", "UQ", "MZ", "SJ"},
        is_object=False,
    ),
    _k("problem list", lambda d: reverse("analytics:dashboard_problems"), OFFICE | {"LG", "TM", "TL"}, is_object=False),
    # --- the record itself --------------------------------------------------------------------
    _k("audit log", lambda d: reverse("audit:entry_list"), {"OH"}, is_object=False),
]


def _photo() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (32, 24), (200, 30, 30)).save(buffer, "JPEG")
    return buffer.getvalue()


def _objects() -> dict:
    from xuncha.accounts.models import User
    from xuncha.fieldwork.models import FieldRecord, FixNotice, WorkingPaper
    from xuncha.findings.models import Feedback, InspectionReport, Problem
    from xuncha.intake.services import report_file
    from xuncha.plans.models import Announcement, BriefingSource, Round, RoundState
    from xuncha.plans.services.briefings import briefing_add
    from xuncha.rectification.models import Campaign, EscalationLetter, LeaderAssignment, Task, TaskUpdate
    from xuncha.transfers.models import Transfer

    round8 = Round.objects.get(state=RoundState.ON_SITE)
    round7 = Round.objects.get(state=RoundState.RECTIFYING)
    round5 = Round.objects.get(state=RoundState.ARCHIVED)
    announcement = Announcement.objects.filter(target__round=round8, target__unit__name="青山镇").first()
    filed = report_file(
        announcement=announcement,
        content={"people": "某村干部", "what": "矩阵测试：优亲厚友。", "when": "", "where": "", "amount": ""},
        contact={"name": "", "phone": "", "address": ""},
        uploads=[SimpleUploadedFile("现场.jpg", _photo(), content_type="image/jpeg")],
    )
    leader = LeaderAssignment.objects.select_related("problem").filter(leader__username="xld_fenguan").first()
    key_tasks = Task.objects.filter(problem__leader_assignments__leader__username="xld_fenguan")
    task_key = key_tasks.filter(updates__files__isnull=False).first()
    task_other = (
        Task.objects.filter(plan__feedback__target__unit__name="县民政局", updates__files__isnull=False)
        .exclude(pk__in=key_tasks.values("pk"))
        .first()
    )
    briefing = briefing_add(
        actor=User.objects.get(username="xcb_ganbu"),
        rnd=round8,
        source=BriefingSource.DISCIPLINE,
        title="矩阵测试：县纪委监委通报情况",
        filed_on=date(2026, 1, 5),
        uploads=[SimpleUploadedFile("通报.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")],
    )

    def task_file(task):
        update = TaskUpdate.objects.filter(task=task, files__isnull=False).first()
        return reverse("rectification:task_file", args=[task.pk, update.files.first().pk])

    data = {
        "round8": round8,
        "round7": round7,
        "round5": round5,
        "briefing_url": reverse("plans:briefing_file", args=[briefing.pk, briefing.attachments.first().pk]),
        "paper8": WorkingPaper.objects.filter(team__round=round8, evidence__number=1).first(),
        "paper5": WorkingPaper.objects.filter(team__round=round5).first(),
        "record8": FieldRecord.objects.filter(team__round=round8).first(),
        "fix": FixNotice.objects.filter(paper__team__round=round8, unit__name="青山镇").first(),
        "report": filed.report,
        "attachment": filed.report.attachments.first(),
        "problem7": Problem.objects.filter(round=round7).first(),
        "problem5": Problem.objects.filter(round=round5).first(),
        "draft7": InspectionReport.objects.filter(round=round7, kind="inspection", versions__number=1).first(),
        "draft_two": InspectionReport.objects.filter(round=round7, kind="inspection", versions__number=2).first(),
        "fb_mz": Feedback.objects.get(target__round=round7, target__unit__name="县民政局"),
        "fb_sl": Feedback.objects.get(target__round=round7, target__unit__name="县水利局"),
        "transfer_jw": Transfer.objects.filter(receiver__name="县纪委监委", round=round7).first(),
        "transfer_hy": Transfer.objects.filter(receiver__name="县教育局").first(),
        "plan_mz": task_key.plan,
        "plan_evaluated": Feedback.objects.filter(plan__evaluation__isnull=False).first().plan,
        "plan_sl": Feedback.objects.get(target__round=round7, target__unit__name="县水利局").plan,
        "task_key": task_key,
        "task_key_file_url": task_file(task_key),
        "task_other": task_other,
        "task_other_file_url": task_file(task_other),
        # A letter that concerns only the leader's items.
        "letter": EscalationLetter.objects.filter(tasks__in=key_tasks)
        .exclude(tasks__in=Task.objects.exclude(pk__in=key_tasks))
        .first(),
        "assignment": leader,
        "campaign": Campaign.objects.filter(sector_dept__name="县财政局").first(),
    }
    missing = [key for key, value in data.items() if value is None]
    assert not missing, f"the demo no longer has: {missing}"
    return data


@pytest.fixture(scope="module")
def demo(demo_seeded, django_db_blocker):
    """The demo county, built once and rolled back after the module."""
    with django_db_blocker.unblock():
        return _objects()


CELLS = [(kind, who) for kind in KINDS for who in ACCOUNTS]


@pytest.mark.parametrize(("kind", "who"), CELLS, ids=[f"{k.name}-{w}" for k, w in CELLS])
def test_need_to_know(db, client, demo, kind, who):
    from xuncha.accounts.models import User

    client.force_login(User.objects.get(username=ACCOUNTS[who]))
    response = client.get(kind.url(demo))
    if who in kind.allowed:
        assert response.status_code == 200, f"{who} ({ACCOUNTS[who]}) should open {kind.name}"
    elif kind.is_object:
        assert response.status_code == 404, f"{who} ({ACCOUNTS[who]}) must not open {kind.name}"
    else:
        assert response.status_code in (403, 404), f"{who} ({ACCOUNTS[who]}) must not open {kind.name}"


def test_matrix_covers_every_account_and_is_not_vacuous():
    from xuncha.accounts.demo import DEMO_ACCOUNTS

    assert set(ACCOUNTS.values()) == {a.username for a in DEMO_ACCOUNTS}
    for who in set(ACCOUNTS) - {"OH"}:  # the office head is the one who may see everything here
        allowed = sum(who in k.allowed for k in KINDS)
        assert allowed < len(KINDS), f"{who} opens everything"
    assert all(k.allowed and len(k.allowed) < len(ACCOUNTS) for k in KINDS)


def _role_of(who: str):
    from xuncha.accounts.demo import DEMO_ACCOUNTS
    from xuncha.accounts.permissions import Role

    account = next(a for a in DEMO_ACCOUNTS if a.username == ACCOUNTS[who])
    return account.role or Role.TEAM_MEMBER


def test_only_the_listed_roles_read_reports_from_the_public():
    """docs/permissions.md names who reads reports, and the public pages promise it: the matrix
    must agree with that list, role for role (the footer says 巡察组 and 巡察办)."""
    from django.template.loader import render_to_string

    from xuncha.accounts.permissions import REPORT_READER_ROLES, ROLE_PERMS, Perm, Role

    for name in ("public report", "public report file", "public report register"):
        kind = next(k for k in KINDS if k.name == name)
        assert {_role_of(w) for w in kind.allowed} == set(REPORT_READER_ROLES), name
    holders = {r for r in Role if Perm.REPORT_VIEW in ROLE_PERMS[r]}
    assert holders == set(REPORT_READER_ROLES)
    footer = render_to_string("intake/public/base.html")
    assert "仅巡察组和巡察办可以查阅" in footer
    assert {r.label for r in REPORT_READER_ROLES} == {"巡察办主任", "巡察办工作人员", "巡察组成员"}


def test_remind_tells_a_leader_only_of_his_items(db, demo):
    """Finding 1: the county leader was sent yellow and red warnings for every unit's tasks."""
    from datetime import timedelta

    from django.utils import timezone

    from xuncha.notify.models import Notification
    from xuncha.rectification.models import Task
    from xuncha.rectification.reminders import remind

    remind(today=timezone.localdate() + timedelta(days=800))  # every open task is red by then
    mine = set(
        Task.objects.filter(problem__leader_assignments__leader__username="xld_fenguan").values_list("pk", flat=True)
    )
    told = Notification.objects.filter(user__username="xld_fenguan", key__startswith="task:")
    assert told.exists()
    about = {int(n.key.split(":")[1]) for n in told}
    assert about <= mine, f"the leader was warned about tasks not assigned to him: {sorted(about - mine)}"


def test_an_archived_round_reopens_to_its_team_only_by_a_dated_grant(db, demo):
    """Finding 7 and 一次一授权: the office can let the team read its archived round again, until a
    date, with a reason; without it the team's leader reaches nothing of it."""
    from datetime import timedelta

    from django.test import Client
    from django.utils import timezone

    from xuncha.accounts.models import User
    from xuncha.common.exceptions import ServiceError
    from xuncha.plans.models import Team
    from xuncha.plans.services import team_access_grant

    leader = Client()
    leader.force_login(User.objects.get(username="xcz_zuzhang"))
    url = reverse("findings:problem_detail", args=[demo["problem5"].pk])
    assert leader.get(url).status_code == 404
    team = Team.objects.get(pk=demo["problem5"].team_id)
    office = User.objects.get(username="xcb_ganbu")
    with pytest.raises(ServiceError):
        team_access_grant(actor=office, team=team, until=timezone.localdate() + timedelta(days=7), reason=" ")
    team_access_grant(actor=office, team=team, until=timezone.localdate() + timedelta(days=7), reason="县纪委监委函询")
    assert leader.get(url).status_code == 200
    team_access_grant(actor=office, team=team, until=None, reason="")
    assert leader.get(url).status_code == 404


def test_the_admin_site_holds_no_case_content():
    """The administrator's admin lists accounts, the organisation tree and settings only: rounds,
    teams, files and the audit log are case content (docs/security.md §1)."""
    from django.contrib import admin

    # Account security (groups, second factors, lockouts) belongs to running the installation.
    allowed = {"accounts", "common", "documents", "auth", "otp_totp", "otp_static", "axes"}
    registered = {f"{m._meta.app_label}.{m._meta.model_name}" for m in admin.site._registry}
    assert {label.split(".")[0] for label in registered} <= allowed, sorted(registered)
    assert not {"audit.auditentry", "files.storedfile", "plans.round", "plans.team"} & registered
