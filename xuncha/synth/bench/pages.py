"""Every page and document the benchmark measures: who asks, at which URL, and its raw SQL.

Roles: ``staff`` (巡察办工作人员 of one county), ``head`` (巡察办主任, for the audit log and the
settings pages only the head may read), ``member`` (leader of a team of the county's latest round
on site or after), ``city`` (a city office user over ten counties at scale ≥ 10).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse

from xuncha.synth.bench import raw as r
from xuncha.synth.bench import raw_detail as d
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
    for role in ("staff", "member", "city"):
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
        ("calendar", u("common:calendar"), None, ("head",)),
        ("deadline rules", u("common:deadlines"), None, ("head",)),
    ]
    for key, url, raw_fn, roles in details:
        out.extend(Page(key, "detail", role, url, raw_fn) for role in roles)
    docs = [
        ("authorisation.docx", u("documents:team_authorisation", args=[p.team]), ("staff", "member")),
        ("entry-notice.docx", u("documents:entry_notice", args=[p.target]), ("staff",)),
        ("announcement.docx", u("documents:announcement", args=[p.target]), ("staff",)),
    ]
    for key, url, roles in docs:
        out.extend(Page(key, "document", role, url, d.document_team) for role in roles)
    return out
