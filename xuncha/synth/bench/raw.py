"""The raw SQL of each page, written by hand: the same rows, filter, order and count, through
the database driver's own cursor (no ORM, no templates). Its time is the floor a page is
compared with. Placeholders are written ``%s`` and turned into ``?`` for SQLite."""

# ruff: noqa: S608  (every statement is fixed text written in this module; values go as parameters)

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from xuncha.synth.bench.picks import Picks

PAGE = 25  # settings.XUNCHA_PAGE_SIZE (default)


class Raw:
    def __init__(self, dbapi_connection: Any, vendor: str) -> None:
        self.conn = dbapi_connection
        self.sqlite = vendor == "sqlite"

    def q(self, sql: str, params: Sequence[Any] = ()) -> list[tuple]:
        if self.sqlite:
            sql = sql.replace("%s", "?")
        cur = self.conn.cursor()
        try:
            cur.execute(sql, list(params))
            return cur.fetchall()
        finally:
            cur.close()

    def ids(self, rows: list[tuple]) -> tuple[str, list[Any]]:
        """``IN (...)`` placeholders for the first column of ``rows`` (a prefetch by ids)."""
        values = [r[0] for r in rows] or [0]
        return ",".join(["%s"] * len(values)), values


def _paged(db: Raw, select: str, where: str, params: list[Any], order: str, count: str = "") -> list[tuple]:
    """The paginator's two statements. ``count``: a leaner FROM … WHERE for the count (only the
    joins the filter needs), as a hand-writer would, when the page joins more for display."""
    db.q(f"SELECT COUNT(*) FROM {count or where}", params)
    return db.q(f"SELECT {select} FROM {where} ORDER BY {order} LIMIT {PAGE}", params)


# --- scope filters: the access module's conditions, written out ---------------------------------

MEMBER_OF_TEAM = "EXISTS (SELECT 1 FROM plans_teammember tm WHERE tm.person_id = %s AND tm.team_id = {team})"
MEMBER_OF_ROUND = (
    "EXISTS (SELECT 1 FROM plans_teammember tm JOIN plans_team t2 ON t2.id = tm.team_id"
    " WHERE tm.person_id = %s AND t2.round_id = {round})"
)


def _scope(p: Picks, role: str, path_col: str, member_sql: str | None = None) -> tuple[str, list[Any]]:
    if role == "member":
        assert member_sql is not None
        return member_sql, [p.member_person]
    return f"{path_col} LIKE %s", [p.scope_path(role) + "%"]


# --- lists ------------------------------------------------------------------------------------


def person_list(db: Raw, p: Picks, role: str) -> None:
    where, params = _scope(p, role, "u.path")
    rows = _paged(
        db, "pe.id, pe.name, pe.gender, pe.is_active, u.name, u.path",
        f"accounts_person pe JOIN accounts_orgunit u ON u.id = pe.unit_id WHERE {where}",
        params,
        "u.path, pe.name, pe.id",
    )  # fmt: skip
    marks, ids = db.ids(rows)
    db.q(
        "SELECT po.person_id, po.title, pu.name FROM accounts_post po JOIN accounts_orgunit pu ON pu.id = po.unit_id"
        f" WHERE po.end_date IS NULL AND po.person_id IN ({marks}) ORDER BY po.is_main_leader DESC, po.start_date DESC",
        ids,
    )


def user_list(db: Raw, p: Picks, role: str) -> None:
    where, params = _scope(p, role, "u.path")
    rows = _paged(
        db, "us.id, us.username, us.full_name, us.is_active, u.name",
        f"accounts_user us JOIN accounts_orgunit u ON u.id = us.unit_id WHERE {where}", params, "u.path, us.username",
    )  # fmt: skip
    marks, ids = db.ids(rows)
    db.q(
        "SELECT ra.user_id, ra.role, s.name FROM accounts_roleassignment ra"
        " JOIN accounts_orgunit s ON s.id = ra.scope_id"
        f" WHERE ra.revoked_at IS NULL AND ra.user_id IN ({marks}) ORDER BY ra.role",
        ids,
    )


def unit_tree(db: Raw, p: Picks, role: str) -> None:
    db.q("SELECT id, name, unit_type, path, numchild FROM accounts_orgunit WHERE path = %s", [p.scope_path(role)])


def unit_search(db: Raw, p: Picks, role: str) -> None:
    where, params = _scope(p, role, "u.path")
    _paged(
        db, "u.id, u.name, u.unit_type, u.party_org_name, u.is_active, sd.name",
        f"accounts_orgunit u LEFT JOIN accounts_orgunit sd ON sd.id = u.sector_dept_id WHERE {where}"
        " AND (u.name LIKE %s OR u.party_org_name LIKE %s)", [*params, "%镇%", "%镇%"], "u.path",
    )  # fmt: skip


def round_list(db: Raw, p: Picks, role: str) -> None:
    where, params = _scope(p, role, "j.path", MEMBER_OF_ROUND.format(round="r.id"))
    _paged(
        db,
        "r.id, r.name, r.year, r.number, r.state, r.entry_date, r.exit_date, j.name,"
        " (SELECT COUNT(*) FROM plans_roundtarget t WHERE t.round_id = r.id),"
        " (SELECT COUNT(*) FROM plans_team tm2 WHERE tm2.round_id = r.id)",
        f"plans_round r JOIN accounts_orgunit j ON j.id = r.jurisdiction_id WHERE {where}",
        params,
        "r.year DESC, r.number DESC",
    )


def term_list(db: Raw, p: Picks, role: str) -> None:
    where, params = _scope(p, role, "j.path")
    db.q(
        "SELECT tp.id, tp.name, tp.start_year, tp.end_year, tp.approved_on, j.name,"
        " (SELECT COUNT(*) FROM plans_termplanunit pu WHERE pu.plan_id = tp.id)"
        f" FROM plans_termplan tp JOIN accounts_orgunit j ON j.id = tp.jurisdiction_id WHERE {where}"
        " ORDER BY tp.start_year DESC",
        params,
    )


def pool_list(db: Raw, p: Picks, role: str) -> None:
    where, params = _scope(p, role, "j.path")
    rows = _paged(
        db,
        "e.id, pe.name, u.name, e.in_leader_pool, e.in_specialist_pool, e.available,"
        " (SELECT COUNT(*) FROM plans_teammember tm WHERE tm.person_id = e.person_id)",
        "plans_poolentry e JOIN accounts_orgunit j ON j.id = e.jurisdiction_id"
        " JOIN accounts_person pe ON pe.id = e.person_id"
        f" JOIN accounts_orgunit u ON u.id = pe.unit_id WHERE {where}",
        params,
        "u.path, pe.name",
    )
    marks, ids = db.ids(rows)
    db.q(
        "SELECT x.poolentry_id, g.name FROM plans_poolentry_expertise x"
        " JOIN plans_expertisetag g ON g.id = x.expertisetag_id"
        f" WHERE x.poolentry_id IN ({marks})",
        ids,
    )


def declaration_list(db: Raw, p: Picks, role: str) -> None:
    where, params = _scope(p, role, "u.path")
    _paged(
        db, "d.id, d.reason, d.source, d.withdrawn, pe.name, u.name",
        "plans_recusaldeclaration d JOIN accounts_orgunit u ON u.id = d.unit_id"
        " JOIN accounts_person pe ON pe.id = d.person_id"
        f" WHERE {where}", params, "d.withdrawn, d.created_at DESC",
    )  # fmt: skip


def record_list(db: Raw, p: Picks, role: str) -> None:
    _paged(
        db,
        "r.id, r.kind, r.title, r.planned, r.occurred_on, u.name, pe.name,"
        " (SELECT COUNT(*) FROM fieldwork_fieldrecord_attachments a WHERE a.fieldrecord_id = r.id)",
        "fieldwork_fieldrecord r JOIN plans_roundtarget t ON t.id = r.target_id"
        " JOIN accounts_orgunit u ON u.id = t.unit_id"
        " LEFT JOIN accounts_person pe ON pe.id = r.interviewee_id WHERE r.team_id = %s",
        [p.team],
        "r.planned, r.occurred_on DESC, r.id DESC",
    )


def paper_list(db: Raw, p: Picks, role: str) -> None:
    _paged(
        db,
        "w.id, w.number, w.title, w.state, w.amount, u.name, wr.name,"
        " (SELECT COUNT(*) FROM fieldwork_paperevidence e WHERE e.paper_id = w.id)",
        "fieldwork_workingpaper w JOIN plans_roundtarget t ON t.id = w.target_id"
        " JOIN accounts_orgunit u ON u.id = t.unit_id"
        " LEFT JOIN accounts_person wr ON wr.id = w.writer_id WHERE w.team_id = %s",
        [p.team],
        "w.number",
    )


def fix_list(db: Raw, p: Picks, role: str) -> None:
    where, params = _scope(p, role, "u.path")
    _paged(
        db, "f.id, f.state, f.issued_on, f.due_on, u.name, w.title, tm.number, r.name",
        "fieldwork_fixnotice f JOIN accounts_orgunit u ON u.id = f.unit_id"
        " JOIN fieldwork_workingpaper w ON w.id = f.paper_id"
        f" JOIN plans_team tm ON tm.id = w.team_id JOIN plans_round r ON r.id = tm.round_id WHERE {where}",
        params, "f.state, f.due_on, f.id DESC",
        f"fieldwork_fixnotice f JOIN accounts_orgunit u ON u.id = f.unit_id WHERE {where}",
    )  # fmt: skip


def report_list(db: Raw, p: Picks, role: str) -> None:
    where, params = _scope(p, role, "j.path", MEMBER_OF_TEAM.format(team="t.team_id"))
    _paged(
        db, "rp.id, rp.intake_no, rp.channel, rp.state, rp.created_at, u.name, tm.number, r.name",
        "intake_report rp JOIN plans_round r ON r.id = rp.round_id JOIN accounts_orgunit j ON j.id = r.jurisdiction_id"
        " JOIN plans_roundtarget t ON t.id = rp.target_id JOIN accounts_orgunit u ON u.id = t.unit_id"
        f" LEFT JOIN plans_team tm ON tm.id = t.team_id WHERE {where}",
        params, "rp.created_at DESC, rp.id DESC",
        "intake_report rp JOIN plans_round r ON r.id = rp.round_id JOIN accounts_orgunit j ON j.id = r.jurisdiction_id"
        f" JOIN plans_roundtarget t ON t.id = rp.target_id WHERE {where}",
    )  # fmt: skip


def audit_list(db: Raw, p: Picks, role: str) -> None:
    where, params = _scope(p, role, "u.path")
    _paged(
        db, "a.seq, a.created_at, a.actor_name, a.action, a.target_type, a.target_repr",
        f"audit_auditentry a JOIN accounts_orgunit u ON u.id = a.scope_unit_id WHERE {where}", params, "a.seq DESC",
    )  # fmt: skip


def template_list(db: Raw, p: Picks, role: str) -> None:
    where, params = _scope(p, role, "u.path")
    db.q(
        "SELECT u.id, u.name, t.kind, t.id FROM accounts_orgunit u LEFT JOIN documents_documenttemplate t"
        f" ON t.jurisdiction_id = u.id WHERE {where} AND u.unit_type IN ('province', 'city', 'county') ORDER BY u.path",
        params,
    )


RawPage = Callable[[Raw, Picks, str], None]
