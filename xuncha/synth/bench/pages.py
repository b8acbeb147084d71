"""Every page and document the benchmark measures: who asks, at which URL, and its raw SQL.

Statistics pages: ``kind`` "stats" (``analytics``). Documents: ``kind`` "document" (the download,
timed like a page); the bench command also converts each .docx to PDF once its pages are done (rows
of kind "pdf").

Roles: ``staff`` (巡察办工作人员 of one county), ``head`` (巡察办主任, for the audit log and the
settings pages only the head may read), ``member`` (leader of a team of the county's latest round
on site or after), ``city`` (a city office user over ten counties at scale ≥ 10), ``province`` (the
province office's user over every county: the widest statistics scope).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse

from xuncha.rectification.models import ReportKind
from xuncha.synth.bench import raw as r
from xuncha.synth.bench import raw_detail as d
from xuncha.synth.bench import raw_rect as x
from xuncha.synth.bench.picks import Picks


@dataclass(frozen=True)
class Page:
    key: str
    kind: str  # list, detail, document, ceiling
    role: str
    url: str
    raw: r.RawPage | None


def pages(p: Picks) -> list[Page]:
    u = reverse
    out = [
        Page("trivial (HttpResponse)", "ceiling", "staff", "/__bench__/trivial/", None),
        Page("trivial (base template)", "ceiling", "staff", "/__bench__/layout/", None),
    ]
    for role in ("staff", "member", "city", "province"):
        if role in p.users:
            out.append(Page("home", "detail", role, u("home"), d.home))
    lists = [
        ("org tree", u("accounts:unit_tree"), r.unit_tree, ("staff", "city")),
        ("org search 镇", u("accounts:unit_tree") + "?q=镇", r.unit_search, ("staff", "city")),
        ("people", u("accounts:person_list"), r.person_list, ("staff", "city")),
        ("users", u("accounts:user_list"), r.user_list, ("staff", "city")),
        ("rounds", u("plans:round_list"), r.round_list, ("staff", "member", "city")),
        ("term plans", u("plans:term_list"), r.term_list, ("staff", "city")),
        ("pool", u("plans:pool_list"), r.pool_list, ("staff", "city")),
        ("recusal declarations", u("plans:declaration_list"), r.declaration_list, ("staff",)),
        ("field records", u("fieldwork:record_list", args=[p.team]), r.record_list, ("staff", "member")),
        ("papers", u("fieldwork:paper_list", args=[p.team]), r.paper_list, ("staff", "member")),
        ("fix notices", u("fieldwork:fix_list"), r.fix_list, ("staff", "city")),
        ("reports", u("intake:report_list"), r.report_list, ("staff", "member", "city")),
        ("audit log", u("audit:entry_list"), r.audit_list, ("head",)),
        ("document templates", u("documents:template_list"), r.template_list, ("staff", "city")),
    ]
    for key, url, raw_fn, roles in lists:
        out.extend(Page(key, "list", role, url, raw_fn) for role in roles)
    details = [
        ("unit", u("accounts:unit_detail", args=[p.unit]), d.unit_detail, ("staff",)),
        ("person", u("accounts:person_detail", args=[p.person]), d.person_detail, ("staff",)),
        ("user", u("accounts:user_detail", args=[p.user]), d.user_detail, ("staff",)),
        ("round", u("plans:round_detail", args=[p.round]), d.round_detail, ("staff", "member")),
        ("team", u("plans:team_detail", args=[p.team]), d.team_detail, ("staff", "member")),
        ("term plan coverage", u("plans:term_detail", args=[p.term]), d.term_detail, ("staff",)),
        ("pool entry", u("plans:pool_edit", args=[p.pool_entry]), d.pool_detail, ("staff",)),
        ("field record", u("fieldwork:record_detail", args=[p.record]), d.record_detail, ("staff", "member")),
        ("paper", u("fieldwork:paper_detail", args=[p.paper]), d.paper_detail, ("staff", "member")),
        ("fix notice", u("fieldwork:fix_detail", args=[p.fix]), d.fix_detail, ("staff",) if p.fix else ()),
        (
            "report",
            u("intake:report_detail", args=[p.report]),
            d.report_detail,
            ("staff", "member") if p.report else (),
        ),
        ("audit entry", u("audit:entry_detail", args=[p.audit_seq]), d.audit_detail, ("head",)),
        ("calendar", u("workspace:calendar"), None, ("head",)),
        ("deadline rules", u("workspace:deadlines"), None, ("head",)),
    ]
    for key, url, raw_fn, roles in details:
        out.extend(Page(key, "detail", role, url, raw_fn) for role in roles)
    docs = [
        ("authorisation.docx", u("plans:team_authorisation", args=[p.team]), ("staff", "member")),
        ("entry-notice.docx", u("plans:entry_notice", args=[p.target]), ("staff",)),
        ("announcement.docx", u("plans:announcement", args=[p.target]), ("staff",)),
    ]
    for key, url, roles in docs:
        out.extend(Page(key, "document", role, url, d.document_team) for role in roles)
    return out + later_phases(p) + analytics(p) + documents(p)


# The sub-topics' registers, measured once their url names exist: (name, key, raw SQL, roles).
OPTIONAL = [
    ("rectification:assignment_list", "key items (督办)", x.assignment_list, ("staff", "leader")),
    ("rectification:campaign_list", "clean-ups", x.campaign_list, ("staff",)),
    ("rectification:letter_list", "escalation letters", x.letter_list, ("staff",)),
    ("rectification:disclosure_public", "public disclosures", x.disclosure_public, ("staff",)),
    ("rectification:accountability_list", "accountability", x.accountability_list, ("staff",)),
]
skipped: list[str] = []  # url names not there yet (the bench command prints them)


def later_phases(p: Picks) -> list[Page]:
    """Findings, transfers and rectification; a role the data set has no account for is left out."""
    u = reverse
    has = set(p.users)
    out = []
    if p.fed_target:
        out.append(Page("problems", "list", "staff", u("findings:problem_list", args=[p.fed_target]), x.problem_list))
    out.append(Page("problems", "list", "member", u("findings:problem_list", args=[p.target]), x.problem_list))
    lists = [
        ("report register", u("findings:office_queue"), x.office_queue, ("staff", "city")),
        ("transfers", u("transfers:transfer_list"), x.transfer_list, ("staff", "city")),
        ("rectification plans", u("rectification:plan_list"), x.plan_list, ("staff", "city", "unit")),
        ("inbox", u("notify:inbox"), x.inbox, ("unit", "leader")),
    ]
    for name, key, raw_fn, roles in OPTIONAL:
        try:
            lists.append((key, u(name), raw_fn, roles))
        except NoReverseMatch:
            if name not in skipped:
                skipped.append(name)
    for key, url, raw_fn, roles in lists:
        out.extend(Page(key, "list", role, url, raw_fn) for role in roles if role in has)
    if p.plan:
        plan, task = u("rectification:plan_detail", args=[p.plan]), u("rectification:task_detail", args=[p.task])
        out.extend(Page("plan", "detail", role, plan, x.plan_detail) for role in ("staff", "unit") if role in has)
        out.extend(Page("task", "detail", role, task, x.task_detail) for role in ("staff", "unit") if role in has)
        ledger = u("rectification:plan_ledger", args=[p.plan])
        out.append(Page("ledger.xlsx", "document", "staff", ledger, x.ledger))
    return out


def analytics(p: Picks) -> list[Page]:
    """The statistics pages (kind "stats"), read from the rollups (xuncha/analytics/rollups): the
    overview as the county office, the city office (its county comparison, also for one year) and a
    unit; the round with the most problems; the round's situation page. No raw SQL: each is a dozen
    small aggregates, whose cost must not grow with the database (issue 17)."""
    u = reverse
    has = set(p.users)
    overview = u("analytics:dashboard")
    rows = [
        ("analytics dashboard", overview, ("staff", "city", "province", "unit")),
        ("analytics county comparison", f"{overview}?year={p.stats_year}", ("city", "province")),
        (
            "analytics round dashboard",
            u("analytics:round_dashboard", args=[p.doc_round]),
            ("staff", "city", "province"),
        ),
        ("analytics situation", u("analytics:round_situation", args=[p.round]), ("staff", "city", "province")),
    ]
    return [Page(key, "stats", role, url, None) for key, url, roles in rows for role in roles if role in has]


# Draft kinds (findings.DraftKind) → the key of their version's download.
REPORT_KEYS = {"inspection": "inspection report.docx", "thematic": "thematic report.docx", "clue": "clue report.docx"}


def documents(p: Picks) -> list[Page]:
    """Every other document a user downloads, each of the largest object of its kind in the county
    (picks.py), as the county office's staff; the round's two reports also as the city office.
    No raw SQL: a document's time is its rendering (or the stamping of a stored file), not its SQL.
    The stored ones (feedback opinion, transfer letter, report versions) need ``issued.issue``
    first: the synthetic data has their file rows but not their bytes."""
    u = reverse
    docs: list[tuple[str, str, tuple[str, ...]]] = []
    if p.feedback:
        docs.append(("feedback.docx", u("findings:feedback_document", args=[p.feedback]), ("staff",)))
    for kind, (report, number) in sorted(p.report_versions.items()):
        url = u("findings:version_download", args=[report, number])
        docs.append((REPORT_KEYS.get(kind, f"{kind} report.docx"), url, ("staff",)))
    if p.transfer:
        docs.append(("transfer letter.docx", u("transfers:transfer_letter", args=[p.transfer]), ("staff",)))
    if p.letter:
        docs.append(("escalation letter.docx", u("rectification:letter_docx", args=[p.letter]), ("staff",)))
    if p.doc_plan:
        docs.append(("rectification plan.docx", u("rectification:plan_docx", args=[p.doc_plan]), ("staff",)))
        for kind, key in ((ReportKind.UNIT, "unit report.docx"), (ReportKind.LEADER, "leader report.docx")):
            docs.append((key, u("rectification:report_docx", args=[p.doc_plan, kind.value]), ("staff",)))
    situation = [
        ("situation.docx", "analytics:situation_docx"),
        ("comprehensive.docx", "analytics:situation_comprehensive_docx"),
    ]
    for key, name in situation:
        docs.append((key, u(name, args=[p.doc_round]), ("staff", "city")))
    has = set(p.users)
    return [Page(key, "document", role, url, None) for key, url, roles in docs for role in roles if role in has]
