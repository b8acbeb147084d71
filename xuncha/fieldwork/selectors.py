"""Reads for fieldwork, scoped: the office sees its jurisdiction, a team its own work, a unit
only the immediate-fix notices addressed to it."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from xuncha.accounts.permissions import Perm, has_perm, scope_queryset
from xuncha.common.queries import count_of
from xuncha.fieldwork.models import FieldRecord, FixNotice, PaperEvidence, WorkingPaper
from xuncha.fieldwork.services.common import team_role
from xuncha.fieldwork.workflow import PAPER_WORKFLOW
from xuncha.plans.models import Team


def record_list(*, user: Any, team: Team, kind: str = "") -> QuerySet[FieldRecord]:
    qs = scope_queryset(user, Perm.FIELDWORK_VIEW, FieldRecord.objects.filter(team=team))
    if kind:
        qs = qs.filter(kind=kind)
    return (
        qs.select_related("target__unit", "interviewee")
        .annotate(n_files=count_of(FieldRecord.attachments.through.objects.all(), "fieldrecord"))
        .order_by("planned", "-occurred_on", "-id")
    )


def paper_list(*, user: Any, team: Team, state: str = "") -> QuerySet[WorkingPaper]:
    qs = scope_queryset(user, Perm.FIELDWORK_VIEW, WorkingPaper.objects.filter(team=team))
    if state:
        qs = qs.filter(state=state)
    return (
        qs.select_related("team", "target__unit", "writer")
        .annotate(n_evidence=count_of(PaperEvidence.objects.all(), "paper"))
        .order_by("number")
    )


def paper_actions(*, user: Any, paper: WorkingPaper) -> list:
    """The actions the user's team role allows from the paper's state (what the page offers)."""
    role = team_role(user, paper.team)
    if role is None:
        return []
    data = {"actor": user, "comment": "x"}
    return [
        t
        for t in PAPER_WORKFLOW.actions_from(paper.state)
        if not [g for g in t.guards if g.__name__.startswith("by_") and g(paper, data)]
    ]


def fix_list(*, user: Any, state: str = "") -> QuerySet[FixNotice]:
    qs = scope_queryset(user, Perm.FIX_VIEW, FixNotice.objects.all())
    if state:
        qs = qs.filter(state=state)
    return qs.select_related("unit", "paper__team__round").order_by("state", "due_on", "-id")


def can_write(user: Any, team: Team) -> bool:
    return has_perm(user, Perm.FIELDWORK_EDIT) and team_role(user, team) is not None
