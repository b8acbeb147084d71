"""Raw SQL of the detail pages, the home page and the generated documents (see ``raw.py``)."""

# ruff: noqa: S608  (every statement is fixed text written in this module; values go as parameters)

from __future__ import annotations

from xuncha.synth.bench.picks import Picks
from xuncha.synth.bench.raw import PAGE, Raw

POSTS = (
    "SELECT po.id, po.title, po.start_date, po.end_date, po.is_main_leader, u.name FROM accounts_post po"
    " JOIN accounts_orgunit u ON u.id = po.unit_id WHERE {where}"
)


def home(db: Raw, p: Picks, role: str) -> None:
    uid = p.users[role]
    db.q(
        "SELECT ra.id, ra.role, s.name FROM accounts_roleassignment ra JOIN accounts_orgunit s ON s.id = ra.scope_id"
        " WHERE ra.user_id = %s AND ra.revoked_at IS NULL ORDER BY ra.role, s.path",
        [uid],
    )
    if role == "member":
        db.q(
            "SELECT tm.id, t.number, r.name FROM plans_teammember tm JOIN plans_team t ON t.id = tm.team_id"
            " JOIN plans_round r ON r.id = t.round_id WHERE tm.person_id = %s"
            " ORDER BY r.year DESC, r.number DESC LIMIT 5",
            [p.member_person],
        )
        return
    like = [p.scope_path(role) + "%"]
    db.q("SELECT unit_type, COUNT(*) FROM accounts_orgunit WHERE is_active AND path LIKE %s GROUP BY unit_type", like)
    db.q(
        "SELECT COUNT(*) FROM accounts_person pe JOIN accounts_orgunit u ON u.id = pe.unit_id"
        " WHERE pe.is_active AND u.path LIKE %s",
        like,
    )
    db.q(
        "SELECT COUNT(*) FROM accounts_user us JOIN accounts_orgunit u ON u.id = us.unit_id"
        " WHERE us.is_active AND u.path LIKE %s",
        like,
    )
    if role == "head":
        db.q(
            "SELECT a.seq, a.action, a.target_repr FROM audit_auditentry a JOIN accounts_orgunit u"
            " ON u.id = a.scope_unit_id WHERE u.path LIKE %s ORDER BY a.seq DESC LIMIT 8",
            like,
        )


def unit_detail(db: Raw, p: Picks, role: str) -> None:
    (unit,) = db.q(
        "SELECT u.id, u.name, u.path, u.depth, sd.name FROM accounts_orgunit u LEFT JOIN accounts_orgunit sd"
        " ON sd.id = u.sector_dept_id WHERE u.id = %s",
        [p.unit],
    )
    path, depth = unit[2], unit[3]
    prefixes = [path[: 4 * n] for n in range(1, depth)]
    db.q(f"SELECT id, name FROM accounts_orgunit WHERE path IN ({','.join(['%s'] * len(prefixes))})", prefixes)
    kids = "accounts_orgunit WHERE path LIKE %s AND depth = %s"
    db.q(f"SELECT COUNT(*) FROM {kids}", [path + "%", depth + 1])
    db.q(f"SELECT id, name, unit_type, numchild FROM {kids} ORDER BY path LIMIT {PAGE}", [path + "%", depth + 1])
    db.q("SELECT COUNT(*) FROM accounts_person WHERE unit_id = %s AND is_active", [p.unit])
    db.q(
        "SELECT COUNT(*) FROM accounts_person pe JOIN accounts_orgunit u ON u.id = pe.unit_id"
        " WHERE u.path LIKE %s AND pe.is_active",
        [path + "%"],
    )
    db.q(
        "SELECT po.id, po.title, pe.name FROM accounts_post po JOIN accounts_person pe ON pe.id = po.person_id"
        " WHERE po.unit_id = %s AND po.end_date IS NULL ORDER BY po.is_main_leader DESC,"
        " po.is_leadership_member DESC, po.start_date, po.id",
        [p.unit],
    )


def person_detail(db: Raw, p: Picks, role: str) -> None:
    db.q(
        "SELECT pe.id, pe.name, u.name FROM accounts_person pe JOIN accounts_orgunit u ON u.id = pe.unit_id"
        " WHERE pe.id = %s",
        [p.person],
    )
    db.q(POSTS.format(where="po.person_id = %s") + " ORDER BY po.end_date, po.start_date DESC", [p.person])
    db.q(
        "SELECT r.id, r.kind, a.name, b.name FROM accounts_relationship r JOIN accounts_person a ON a.id = r.person_id"
        " JOIN accounts_person b ON b.id = r.relative_id WHERE r.person_id = %s OR r.relative_id = %s"
        " ORDER BY r.kind, r.id",
        [p.person, p.person],
    )


def user_detail(db: Raw, p: Picks, role: str) -> None:
    db.q(
        "SELECT us.id, us.username, us.full_name, u.name, pe.name FROM accounts_user us LEFT JOIN accounts_orgunit u"
        " ON u.id = us.unit_id LEFT JOIN accounts_person pe ON pe.id = us.person_id WHERE us.id = %s",
        [p.user],
    )
    db.q(
        "SELECT ra.id, ra.role, s.name, ra.revoked_at FROM accounts_roleassignment ra JOIN accounts_orgunit s"
        " ON s.id = ra.scope_id WHERE ra.user_id = %s ORDER BY ra.revoked_at, ra.role, ra.id",
        [p.user],
    )


def round_detail(db: Raw, p: Picks, role: str) -> None:
    db.q(
        "SELECT r.id, r.name, r.state, j.name FROM plans_round r JOIN accounts_orgunit j ON j.id = r.jurisdiction_id"
        " WHERE r.id = %s",
        [p.round],
    )
    where, params = "t.round_id = %s", [p.round]
    if role == "member":  # a team member sees only the targets of their own team
        member = "EXISTS (SELECT 1 FROM plans_teammember tm WHERE tm.person_id = %s AND tm.team_id = t.team_id)"
        where, params = f"{where} AND {member}", [p.round, p.member_person]
    db.q(
        "SELECT t.id, u.name, t.mode, tm.number, a.id, o.name FROM plans_roundtarget t JOIN accounts_orgunit u"
        " ON u.id = t.unit_id LEFT JOIN plans_team tm ON tm.id = t.team_id LEFT JOIN plans_announcement a"
        f" ON a.target_id = t.id LEFT JOIN plans_round o ON o.id = t.original_round_id WHERE {where}"
        " ORDER BY tm.number, u.path",
        params,
    )
    db.q(
        "SELECT t.id, t.number, m.role, pe.name FROM plans_team t JOIN plans_teammember m ON m.team_id = t.id"
        " JOIN accounts_person pe ON pe.id = m.person_id WHERE t.round_id = %s ORDER BY t.number, m.role, m.id",
        [p.round],
    )
    db.q(
        "SELECT e.id, e.action, e.created_at, us.full_name FROM plans_roundevent e LEFT JOIN accounts_user us"
        " ON us.id = e.actor_id WHERE e.round_id = %s ORDER BY e.created_at, e.id",
        [p.round],
    )
    db.q("SELECT id, title, source FROM plans_briefing WHERE round_id = %s ORDER BY filed_on, id", [p.round])


def _team_members(db: Raw, team: int) -> None:
    db.q(
        "SELECT m.id, m.role, pe.name, u.name FROM plans_teammember m JOIN accounts_person pe ON pe.id = m.person_id"
        " JOIN accounts_orgunit u ON u.id = pe.unit_id WHERE m.team_id = %s ORDER BY m.role, m.id",
        [team],
    )


def team_detail(db: Raw, p: Picks, role: str) -> None:
    db.q(
        "SELECT t.id, t.number, r.name, r.year, r.number FROM plans_team t JOIN plans_round r ON r.id = t.round_id"
        " WHERE t.id = %s",
        [p.team],
    )
    _team_members(db, p.team)
    db.q(
        POSTS.format(where="po.end_date IS NULL AND po.person_id IN (SELECT person_id FROM plans_teammember"
                     " WHERE team_id = %s)"),
        [p.team],
    )  # fmt: skip
    db.q(
        "SELECT t.id, u.name, u.unit_type FROM plans_roundtarget t JOIN accounts_orgunit u ON u.id = t.unit_id"
        " WHERE t.team_id = %s ORDER BY u.path",
        [p.team],
    )


def term_detail(db: Raw, p: Picks, role: str) -> None:
    ((jurisdiction, start, end),) = db.q(
        "SELECT jurisdiction_id, start_year, end_year FROM plans_termplan WHERE id = %s", [p.term]
    )
    db.q(
        "SELECT t.id, t.unit_id, r.name, r.year FROM plans_roundtarget t JOIN plans_round r ON r.id = t.round_id"
        " WHERE r.jurisdiction_id = %s AND r.year BETWEEN %s AND %s AND r.state <> 'draft'"
        " ORDER BY r.year, r.number",
        [jurisdiction, start, end],
    )
    db.q(
        "SELECT pu.id, pu.planned_year, u.name, u.path FROM plans_termplanunit pu JOIN accounts_orgunit u"
        " ON u.id = pu.unit_id WHERE pu.plan_id = %s ORDER BY u.path",
        [p.term],
    )


def pool_detail(db: Raw, p: Picks, role: str) -> None:
    db.q(
        "SELECT e.id, pe.name, u.name FROM plans_poolentry e JOIN accounts_person pe ON pe.id = e.person_id"
        " JOIN accounts_orgunit u ON u.id = pe.unit_id WHERE e.id = %s",
        [p.pool_entry],
    )
    db.q("SELECT expertisetag_id FROM plans_poolentry_expertise WHERE poolentry_id = %s", [p.pool_entry])
    db.q("SELECT id, date, title FROM plans_trainingrecord WHERE entry_id = %s ORDER BY date DESC", [p.pool_entry])
    db.q(
        "SELECT m.id, m.role, t.number, r.name FROM plans_teammember m JOIN plans_team t ON t.id = m.team_id"
        " JOIN plans_round r ON r.id = t.round_id WHERE m.person_id = (SELECT person_id FROM plans_poolentry"
        " WHERE id = %s) ORDER BY r.year DESC",
        [p.pool_entry],
    )


def record_detail(db: Raw, p: Picks, role: str) -> None:
    db.q(
        "SELECT rc.id, rc.title, rc.content, t.number, u.name, pe.name FROM fieldwork_fieldrecord rc"
        " JOIN plans_team t ON t.id = rc.team_id JOIN plans_roundtarget g ON g.id = rc.target_id"
        " JOIN accounts_orgunit u ON u.id = g.unit_id LEFT JOIN accounts_person pe ON pe.id = rc.interviewee_id"
        " WHERE rc.id = %s",
        [p.record],
    )
    db.q(
        "SELECT pe.id, pe.name FROM fieldwork_fieldrecord_interviewers i JOIN accounts_person pe"
        " ON pe.id = i.person_id WHERE i.fieldrecord_id = %s",
        [p.record],
    )
    db.q("SELECT storedfile_id FROM fieldwork_fieldrecord_attachments WHERE fieldrecord_id = %s", [p.record])


def paper_detail(db: Raw, p: Picks, role: str) -> None:
    db.q(
        "SELECT w.*, t.number, r.name, u.name, f.name, wr.name FROM fieldwork_workingpaper w"
        " JOIN plans_team t ON t.id = w.team_id JOIN plans_round r ON r.id = t.round_id"
        " JOIN plans_roundtarget g ON g.id = w.target_id JOIN accounts_orgunit u ON u.id = g.unit_id"
        " LEFT JOIN accounts_person f ON f.id = w.finder_id LEFT JOIN accounts_person wr ON wr.id = w.writer_id"
        " WHERE w.id = %s",
        [p.paper],
    )
    db.q(
        "SELECT e.number, e.description, sf.original_name, sf.size FROM fieldwork_paperevidence e"
        " JOIN files_storedfile sf ON sf.id = e.file_id WHERE e.paper_id = %s ORDER BY e.number",
        [p.paper],
    )
    db.q(
        "SELECT rc.id, rc.title, u.name FROM fieldwork_workingpaper_sources s JOIN fieldwork_fieldrecord rc"
        " ON rc.id = s.fieldrecord_id JOIN plans_roundtarget g ON g.id = rc.target_id"
        " JOIN accounts_orgunit u ON u.id = g.unit_id WHERE s.workingpaper_id = %s",
        [p.paper],
    )
    db.q(
        "SELECT e.id, e.action, e.created_at, us.full_name FROM fieldwork_paperevent e LEFT JOIN accounts_user us"
        " ON us.id = e.actor_id WHERE e.paper_id = %s ORDER BY e.created_at, e.id",
        [p.paper],
    )
    db.q(
        "SELECT f.id, f.state, u.name FROM fieldwork_fixnotice f JOIN accounts_orgunit u ON u.id = f.unit_id"
        " WHERE f.paper_id = %s",
        [p.paper],
    )
    db.q("SELECT role FROM plans_teammember m JOIN plans_team t ON t.id = m.team_id WHERE t.id = %s LIMIT 1", [p.team])


def fix_detail(db: Raw, p: Picks, role: str) -> None:
    db.q(
        "SELECT f.*, w.title, t.number, r.name, u.name FROM fieldwork_fixnotice f JOIN fieldwork_workingpaper w"
        " ON w.id = f.paper_id JOIN plans_team t ON t.id = w.team_id JOIN plans_round r ON r.id = t.round_id"
        " JOIN accounts_orgunit u ON u.id = f.unit_id WHERE f.id = %s",
        [p.fix],
    )


def report_detail(db: Raw, p: Picks, role: str) -> None:
    db.q(
        "SELECT rp.*, r.name, j.name, u.name, tm.number FROM intake_report rp JOIN plans_round r ON r.id = rp.round_id"
        " JOIN accounts_orgunit j ON j.id = r.jurisdiction_id JOIN plans_roundtarget t ON t.id = rp.target_id"
        " JOIN accounts_orgunit u ON u.id = t.unit_id LEFT JOIN plans_team tm ON tm.id = t.team_id WHERE rp.id = %s",
        [p.report],
    )
    db.q("SELECT id, kind, size FROM intake_reportattachment WHERE report_id = %s", [p.report])
    db.q(
        "SELECT m.id, m.side, m.body, us.full_name FROM intake_reportmessage m LEFT JOIN accounts_user us"
        " ON us.id = m.author_id WHERE m.report_id = %s ORDER BY m.created_at, m.id",
        [p.report],
    )


def audit_detail(db: Raw, p: Picks, role: str) -> None:
    db.q(
        "SELECT a.* FROM audit_auditentry a JOIN accounts_orgunit u ON u.id = a.scope_unit_id"
        " WHERE a.seq = %s AND u.path LIKE %s",
        [p.audit_seq, p.scope_path(role) + "%"],
    )


def document_team(db: Raw, p: Picks, role: str) -> None:
    """What the authorisation, entry notice and announcement are built from."""
    db.q(
        "SELECT t.*, r.name, r.entry_date, r.exit_date, j.name FROM plans_team t JOIN plans_round r"
        " ON r.id = t.round_id JOIN accounts_orgunit j ON j.id = r.jurisdiction_id WHERE t.id = %s",
        [p.team],
    )
    _team_members(db, p.team)
    db.q(
        "SELECT g.id, u.name, g.entry_date, g.exit_date, a.phone, a.opens_on, a.closes_on FROM plans_roundtarget g"
        " JOIN accounts_orgunit u ON u.id = g.unit_id LEFT JOIN plans_announcement a ON a.target_id = g.id"
        " WHERE g.team_id = %s ORDER BY u.path",
        [p.team],
    )
