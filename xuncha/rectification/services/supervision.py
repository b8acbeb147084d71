"""Leader supervision (领衔督办, domain.md §3.8): the office assigns a fed-back key problem to a county
leader; the leader follows it, gives instructions and an opinion on each closure request (会审销号).
A leader's "暂缓销号" on the pending request stops the office from closing the task until the unit
asks again or the leader concurs."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from xuncha.accounts.models import RoleAssignment, User
from xuncha.accounts.permissions import Perm, Role, require
from xuncha.audit.services import audit_record
from xuncha.common.exceptions import ServiceError
from xuncha.findings.models import FeedbackState, Problem
from xuncha.rectification.models import LeaderAssignment, LeaderComment, Task, TaskState

LEADER_ROLES = (Role.SUPERVISING_LEADER, Role.LEADING_GROUP)
MAX_TEXT = 2000


def eligible_leaders(jurisdiction: Any) -> QuerySet[User]:
    """Active accounts holding a county leader's role inside the jurisdiction (or over it)."""
    step = jurisdiction.steplen
    ancestors = [jurisdiction.path[:end] for end in range(step, len(jurisdiction.path) + 1, step)]
    grants = RoleAssignment.objects.filter(role__in=LEADER_ROLES, revoked_at__isnull=True).filter(
        Q(scope__path__startswith=jurisdiction.path) | Q(scope__path__in=ancestors)
    )
    return User.objects.filter(is_active=True, pk__in=grants.values("user_id")).order_by("pk")


@transaction.atomic
def assignment_create(*, actor: Any, problem: Problem, leader: User, note: str = "") -> LeaderAssignment:
    problem = Problem.objects.select_related("target__unit", "round__jurisdiction").get(pk=problem.pk)
    require(actor, Perm.SUPERVISE_ASSIGN, problem)
    feedback = getattr(problem.target, "feedback", None)
    if feedback is None or feedback.state != FeedbackState.SENT:
        raise ServiceError(_("该问题尚未反馈，不能交办督办。"))
    if not eligible_leaders(problem.round.jurisdiction).filter(pk=leader.pk).exists():
        raise ServiceError(_("请选择本地区的县领导（分管联系领导或巡察工作领导小组成员）。"))
    note = (note or "").strip()
    if len(note) > 300:
        raise ServiceError(_("督办要求请控制在300字以内。"))
    try:
        with transaction.atomic():
            row = LeaderAssignment.objects.create(problem=problem, leader=leader, note=note, assigned_by=actor)
    except IntegrityError:
        raise ServiceError(_("该问题已交由这位领导督办。")) from None
    audit_record(
        actor=actor,
        action="rectification.assignment.create",
        target=row,
        after={"problem": problem.pk, "leader": leader.pk, "note": note},
    )
    return row


@transaction.atomic
def assignment_revoke(*, actor: Any, assignment: LeaderAssignment, reason: str) -> LeaderAssignment:
    row = (
        LeaderAssignment.objects.select_for_update(of=("self",))
        .select_related("problem__target__unit")
        .get(pk=assignment.pk)
    )
    require(actor, Perm.SUPERVISE_ASSIGN, row)
    if row.revoked_at is not None:
        raise ServiceError(_("该督办事项已撤销。"))
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError(_("请说明撤销理由。"))
    row.revoked_at = timezone.now()
    row.save(update_fields=["revoked_at", "updated_at"])
    audit_record(actor=actor, action="rectification.assignment.revoke", target=row, after={"reason": reason})
    return row


def _pending_request_time(task: Task) -> Any:
    return task.updates.filter(kind="request").order_by("-id").values_list("created_at", flat=True).first()


@transaction.atomic
def leader_comment(
    *,
    actor: Any,
    assignment: LeaderAssignment,
    text: str,
    kind: str = LeaderComment.Kind.COMMENT,
    task: Task | None = None,
) -> LeaderComment:
    require(actor, Perm.SUPERVISE_COMMENT, assignment)
    if assignment.revoked_at is not None:
        raise ServiceError(_("该督办事项已撤销。"))
    text = (text or "").replace("\x00", "").strip()
    if not text:
        raise ServiceError(_("请填写督办意见。"))
    if len(text) > MAX_TEXT:
        raise ServiceError(_("意见过长，请精简到%(n)s字以内。") % {"n": MAX_TEXT})
    if kind not in LeaderComment.Kind.values:
        raise ServiceError(_("意见类别不正确。"))
    if task is not None:
        task = Task.objects.get(pk=task.pk)  # judge the state as stored, not as the caller last saw it
    if task is not None and task.problem_id != assignment.problem_id:
        raise ServiceError(_("该任务不属于本督办问题。"))
    if kind != LeaderComment.Kind.COMMENT and (task is None or task.state != TaskState.CLOSURE_REQUESTED):
        raise ServiceError(_("只能对申请销号的任务签署销号意见。"))
    row = LeaderComment.objects.create(assignment=assignment, task=task, kind=kind, text=text, actor=actor)
    audit_record(
        actor=actor,
        action="rectification.assignment.comment",
        target=assignment,
        after={"kind": kind, "task": getattr(task, "pk", None), "text": text[:200]},
    )
    return row


def leader_objection(task: Task) -> LeaderComment | None:
    """The leader's "暂缓销号" on the task's pending closure request, unless a later concurrence
    (by the same leader) lifted it."""
    since = _pending_request_time(task)
    if since is None:
        return None
    latest: dict[int | None, LeaderComment] = {}  # by leader (the column is nullable)
    for comment in (
        LeaderComment.objects.filter(
            task=task,
            created_at__gte=since,
            kind__in=[LeaderComment.Kind.CONCUR, LeaderComment.Kind.OBJECT],
            assignment__revoked_at__isnull=True,
        )
        .select_related("actor")
        .order_by("created_at", "id")
    ):
        latest[comment.actor_id] = comment
    objections = [c for c in latest.values() if c.kind == LeaderComment.Kind.OBJECT]
    return objections[0] if objections else None
