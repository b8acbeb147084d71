"""Raw SQL of the findings, transfers and rectification pages (see ``raw.py``): the same rows,
scope, order and count as each page, written by hand."""

# ruff: noqa: S608  (every statement is fixed text written in this module; values go as parameters)

from __future__ import annotations

from typing import Any

from xuncha.synth.bench.picks import Picks
from xuncha.synth.bench.raw import Raw, _paged

PLAN_JOINS = (
    " JOIN findings_feedback fb ON fb.id = pl.feedback_id JOIN plans_roundtarget g ON g.id = fb.target_id"
    " JOIN accounts_orgunit u ON u.id = g.unit_id"
)
OFFICE_STATES = ("joint_review", "leading_group", "secretary")


def _like(p: Picks, role: str) -> list[Any]:
    return [p.scope_path(role) + "%"]


# --- findings ---------------------------------------------------------------------------------


def problem_list(db: Raw, p: Picks, role: str) -> None:
    target = p.target if role == "member" else p.fed_target
    db.q(
        "SELECT g.id, g.round_id, g.team_id, u.name, r.name, r.focus_list_id FROM plans_roundtarget g"
        " JOIN accounts_orgunit u ON u.id = g.unit_id JOIN plans_round r ON r.id = g.round_id WHERE g.id = %s",
        [target],
    )
    rows = db.q(
        "SELECT pr.id, pr.number, pr.title, pr.severity, pr.people FROM findings_problem pr"
        " WHERE pr.target_id = %s ORDER BY pr.number",
        [target],
    )
    marks, ids = db.ids(rows)
    db.q(
        "SELECT x.problem_id, i.text, pa.text FROM findings_problem_focus_items x JOIN findings_focusitem i"
        " ON i.id = x.focusitem_id LEFT JOIN findings_focusitem pa ON pa.id = i.parent_id"
        f" WHERE x.problem_id IN ({marks})",
        ids,
    )
    db.q(
        "SELECT x.problem_id, tg.name FROM findings_problem_tags x JOIN findings_tag tg ON tg.id = x.tag_id"
        f" WHERE x.problem_id IN ({marks})",
        ids,
    )
    db.q(
        "SELECT x.problem_id, w.number, t.number FROM findings_problem_papers x JOIN fieldwork_workingpaper w"
        f" ON w.id = x.workingpaper_id JOIN plans_team t ON t.id = w.team_id WHERE x.problem_id IN ({marks})",
        ids,
    )
    db.q(
        "SELECT COUNT(*) FROM fieldwork_workingpaper w WHERE w.target_id = %s AND w.state = 'signed'"
        " AND NOT EXISTS (SELECT 1 FROM findings_problem_papers x WHERE x.workingpaper_id = w.id)",
        [target],
    )


def office_queue(db: Raw, p: Picks, role: str) -> None:
    _paged(
        db,
        "ir.id, ir.title, ir.kind, ir.state, r.name, t.number, u.name",
        "findings_inspectionreport ir JOIN plans_round r ON r.id = ir.round_id"
        " JOIN accounts_orgunit j ON j.id = r.jurisdiction_id JOIN plans_team t ON t.id = ir.team_id"
        " LEFT JOIN plans_roundtarget g ON g.id = ir.target_id LEFT JOIN accounts_orgunit u ON u.id = g.unit_id"
        " WHERE ir.state IN (%s, %s, %s) AND j.path LIKE %s",
        [*OFFICE_STATES, *_like(p, role)],
        "ir.round_id, t.number, ir.id",
    )


# --- transfers --------------------------------------------------------------------------------


def transfer_list(db: Raw, p: Picks, role: str) -> None:
    _paged(
        db,
        "tr.id, tr.title, tr.kind, tr.state, tr.sent_on, tr.reported_on, rc.name, r.name, j.id, j.name, u.name",
        "transfers_transfer tr JOIN accounts_orgunit rc ON rc.id = tr.receiver_id"
        " JOIN plans_round r ON r.id = tr.round_id JOIN accounts_orgunit j ON j.id = r.jurisdiction_id"
        " LEFT JOIN plans_roundtarget g ON g.id = tr.target_id LEFT JOIN accounts_orgunit u ON u.id = g.unit_id"
        " WHERE rc.path LIKE %s",
        _like(p, role),
        "tr.sent_on DESC, tr.id DESC",
        count="transfers_transfer tr JOIN accounts_orgunit rc ON rc.id = tr.receiver_id WHERE rc.path LIKE %s",
    )


# --- rectification ----------------------------------------------------------------------------


def plan_list(db: Raw, p: Picks, role: str) -> None:
    rows = _paged(
        db,
        "pl.id, pl.state, pl.version, fb.sent_on, u.name, r.name, j.name, t.number,"
        " (SELECT COUNT(*) FROM findings_problem pr WHERE pr.target_id = g.id)",
        "rectification_rectificationplan pl" + PLAN_JOINS + " JOIN plans_round r ON r.id = g.round_id"
        " JOIN accounts_orgunit j ON j.id = r.jurisdiction_id JOIN plans_team t ON t.id = fb.team_id"
        " WHERE u.path LIKE %s",
        _like(p, role),
        "fb.sent_on DESC, pl.id",
        count="rectification_rectificationplan pl" + PLAN_JOINS + " WHERE u.path LIKE %s",
    )
    marks, ids = db.ids(rows)
    db.q(f"SELECT id, plan_id, problem_id, state, due_on FROM rectification_task WHERE plan_id IN ({marks})", ids)


def inbox(db: Raw, p: Picks, role: str) -> None:
    _paged(
        db,
        "n.id, n.title, n.body, n.url, n.created_at, n.read_at",
        "notify_notification n WHERE n.user_id = %s",
        [p.users[role]],
        "n.created_at DESC, n.id DESC",
    )


def plan_detail(db: Raw, p: Picks, role: str) -> None:
    db.q(
        "SELECT pl.*, fb.sent_on, u.name, r.name, j.name, ml.name FROM rectification_rectificationplan pl"
        + PLAN_JOINS
        + " JOIN plans_round r ON r.id = g.round_id JOIN accounts_orgunit j ON j.id = r.jurisdiction_id"
        " LEFT JOIN accounts_person ml ON ml.id = fb.main_leader_id WHERE pl.id = %s",
        [p.plan],
    )
    db.q(
        "SELECT tk.*, pe.name FROM rectification_task tk LEFT JOIN accounts_person pe ON pe.id = tk.leader_id"
        " WHERE tk.plan_id = %s ORDER BY tk.number",
        [p.plan],
    )
    db.q(
        "SELECT pr.id, pr.number, pr.title FROM findings_problem pr WHERE pr.target_id = %s ORDER BY pr.number",
        [p.fed_target],
    )
    db.q(
        "SELECT rv.*, us.full_name FROM rectification_planreview rv LEFT JOIN accounts_user us"
        " ON us.id = rv.reviewer_id WHERE rv.plan_id = %s ORDER BY rv.created_at, rv.id",
        [p.plan],
    )
    # The latest background import (the page shows it if it is of the last day).
    db.q(
        "SELECT pi.id, pi.state, pi.filename, pi.rows, pi.errors, pi.created_at, pi.started_at, pi.finished_at"
        " FROM rectification_planimport pi WHERE pi.plan_id = %s ORDER BY pi.created_at DESC LIMIT 1",
        [p.plan],
    )


def task_detail(db: Raw, p: Picks, role: str) -> None:
    db.q(
        "SELECT tk.*, pr.number, pr.title, pl.state, u.name, j.id FROM rectification_task tk"
        " JOIN findings_problem pr ON pr.id = tk.problem_id"
        " JOIN rectification_rectificationplan pl ON pl.id = tk.plan_id" + PLAN_JOINS + " JOIN plans_round r"
        " ON r.id = g.round_id JOIN accounts_orgunit j ON j.id = r.jurisdiction_id WHERE tk.id = %s",
        [p.task],
    )
    rows = db.q(
        "SELECT up.id, up.kind, up.text, up.created_at, us.full_name FROM rectification_taskupdate up"
        " LEFT JOIN accounts_user us ON us.id = up.actor_id WHERE up.task_id = %s ORDER BY up.created_at, up.id",
        [p.task],
    )
    marks, ids = db.ids(rows)
    db.q(
        "SELECT x.taskupdate_id, sf.id, sf.original_name, sf.size FROM rectification_taskupdate_files x"
        f" JOIN files_storedfile sf ON sf.id = x.storedfile_id WHERE x.taskupdate_id IN ({marks})",
        ids,
    )


def ledger(db: Raw, p: Picks, role: str) -> None:
    db.q(
        "SELECT pl.id, pl.state, fb.sent_on, u.name FROM rectification_rectificationplan pl"
        + PLAN_JOINS
        + " WHERE pl.id = %s",
        [p.plan],
    )
    db.q(
        "SELECT tk.number, tk.measure, tk.standard, tk.horizon, tk.due_on, tk.lead_dept, tk.coop_depts, tk.owner,"
        " tk.state, tk.closed_on, pr.number, pr.title, pe.name FROM rectification_task tk"
        " JOIN findings_problem pr ON pr.id = tk.problem_id LEFT JOIN accounts_person pe ON pe.id = tk.leader_id"
        " WHERE tk.plan_id = %s ORDER BY pr.number, tk.number",
        [p.plan],
    )


# --- the sub-topics' registers (measured once their pages exist) --------------------------------


def assignment_list(db: Raw, p: Picks, role: str) -> None:
    where, params = "u.path LIKE %s", _like(p, role)
    if role == "leader":
        where, params = "la.leader_id = %s AND la.revoked_at IS NULL", [p.users[role]]
    _paged(
        db,
        "la.id, la.note, la.created_at, pr.number, pr.title, u.name, ld.full_name",
        "rectification_leaderassignment la JOIN findings_problem pr ON pr.id = la.problem_id"
        " JOIN plans_roundtarget g ON g.id = pr.target_id JOIN accounts_orgunit u ON u.id = g.unit_id"
        f" JOIN accounts_user ld ON ld.id = la.leader_id WHERE {where}",
        params,
        "la.created_at DESC, la.id DESC",
    )


def campaign_list(db: Raw, p: Picks, role: str) -> None:
    _paged(
        db,
        "c.id, c.title, c.state, c.due_on, sd.name,"
        " (SELECT COUNT(*) FROM rectification_task tk WHERE tk.campaign_id = c.id)",
        "rectification_campaign c JOIN accounts_orgunit sd ON sd.id = c.sector_dept_id WHERE sd.path LIKE %s",
        _like(p, role),
        "c.created_at DESC, c.id DESC",
    )


def letter_list(db: Raw, p: Picks, role: str) -> None:
    _paged(
        db,
        "el.id, el.kind, el.doc_no, el.issued_on, el.final_due, u.name",
        "rectification_escalationletter el JOIN rectification_rectificationplan pl ON pl.id = el.plan_id"
        + PLAN_JOINS
        + " WHERE u.path LIKE %s",
        _like(p, role),
        "el.issued_on DESC, el.id DESC",
    )


def disclosure_public(db: Raw, p: Picks, role: str) -> None:
    _paged(
        db,
        "d.id, d.title, d.text, d.published_on, u.name",
        "rectification_disclosure d JOIN rectification_rectificationplan pl ON pl.id = d.plan_id"
        + PLAN_JOINS
        + " WHERE d.channel = 'public' AND d.state = 'approved'",
        [],
        "d.published_on DESC, d.id DESC",
    )


def accountability_list(db: Raw, p: Picks, role: str) -> None:
    _paged(
        db,
        "ac.id, ac.subject_kind, ac.subject_name, ac.form, ac.deciding_body, ac.decided_on, u.name",
        "rectification_accountability ac JOIN rectification_rectificationplan pl ON pl.id = ac.plan_id"
        + PLAN_JOINS
        + " WHERE u.path LIKE %s",
        _like(p, role),
        "ac.decided_on DESC, ac.id DESC",
    )
