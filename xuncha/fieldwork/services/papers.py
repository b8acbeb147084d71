"""Working papers: drafted and evidenced by team members, approved at the team meeting, signed
by the leader. Only signed papers may enter the report (the problems issue relies on it)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from xuncha.audit.services import audit_record, changed, snapshot
from xuncha.common.actors import SYSTEM
from xuncha.common.exceptions import ServiceError
from xuncha.fieldwork.models import PaperEvidence, WorkingPaper
from xuncha.fieldwork.services.common import check_on_site, check_target, fresh_team, require_team_writer
from xuncha.fieldwork.workflow import EDITABLE, PAPER_WORKFLOW
from xuncha.files.services import file_store_many
from xuncha.plans.models import RoundTarget, Team
from xuncha.workflow import Step

FIELDS = [
    "title",
    "occurred",
    "place",
    "people_involved",
    "amount",
    "facts",
    "basis",
    "resp_principal",
    "resp_first",
    "resp_leading",
    "resp_supervisory",
    "responsibility",
    "finder",
    "writer",
]


def _locked(paper: WorkingPaper) -> WorkingPaper:
    return WorkingPaper.objects.select_for_update().select_related("team__round", "target__unit").get(pk=paper.pk)


@transaction.atomic
def paper_create(
    *, actor: Any, team: Team, target: RoundTarget, title: str, sources: list[Any] | None = None, **data: Any
) -> WorkingPaper:
    Team.objects.select_for_update().filter(pk=team.pk).first()  # numbers are given out one at a time
    team = fresh_team(team)
    require_team_writer(actor, team)
    check_on_site(team)
    check_target(team, target)
    if not (title or "").strip():
        raise ServiceError(_("请填写问题标题。"))
    unknown = set(data) - set(FIELDS)
    if unknown:
        raise ServiceError(_("不能修改的字段：%(fields)s") % {"fields": ", ".join(sorted(unknown))})
    number = (WorkingPaper.objects.filter(team=team).aggregate(n=Max("number"))["n"] or 0) + 1
    paper = WorkingPaper.objects.create(team=team, target=target, number=number, title=title.strip(), **data)
    if sources:
        _set_sources(paper, sources)
    audit_record(actor=actor, action="fieldwork.paper.create", target=paper, after=snapshot(paper, FIELDS))
    return paper


def _set_sources(paper: WorkingPaper, sources: list[Any]) -> None:
    foreign = [s for s in sources if s.team_id != paper.team_id]
    if foreign:
        raise ServiceError(_("只能引用本组的谈话、调阅等记录。"))
    paper.sources.set(sources)


@transaction.atomic
def paper_update(*, actor: Any, paper: WorkingPaper, sources: list[Any] | None = None, **data: Any) -> WorkingPaper:
    paper = _locked(paper)
    require_team_writer(actor, paper.team)
    if paper.state not in EDITABLE:
        raise ServiceError(_("底稿已提交，只有退回后才能修改。"))
    unknown = set(data) - set(FIELDS)
    if unknown:
        raise ServiceError(_("不能修改的字段：%(fields)s") % {"fields": ", ".join(sorted(unknown))})
    if "title" in data and not (data["title"] or "").strip():
        raise ServiceError(_("请填写问题标题。"))
    before = snapshot(paper, FIELDS)
    for key, value in data.items():
        setattr(paper, key, value.strip() if isinstance(value, str) else value)
    paper.save()
    if sources is not None:
        _set_sources(paper, sources)
    old, new = changed(before, snapshot(paper, FIELDS))
    if new:
        audit_record(actor=actor, action="fieldwork.paper.update", target=paper, before=old, after=new)
    return paper


@transaction.atomic
def paper_evidence_add(
    *, actor: Any, paper: WorkingPaper, uploads: list[Any], description: str, effective_date: date | None = None
) -> list[PaperEvidence]:
    """Number and store evidence files: all of them or none (types sniffed, sizes checked, hashed)."""
    paper = _locked(paper)
    require_team_writer(actor, paper.team)
    if paper.state not in EDITABLE:
        raise ServiceError(_("底稿已提交，只有退回后才能补充证据。"))
    if not uploads:
        raise ServiceError(_("请选择证据文件。"))
    if not (description or "").strip():
        raise ServiceError(_("请说明证据证明的内容。"))
    if effective_date and effective_date > timezone.localdate():
        raise ServiceError(_("证据形成日期不能晚于今天。"))
    stored = file_store_many(
        actor=actor, uploads=uploads, scope_unit=paper.team.round.jurisdiction, effective_date=effective_date
    )
    start = (paper.evidence.aggregate(n=Max("number"))["n"] or 0) + 1
    items = [
        PaperEvidence.objects.create(
            paper=paper,
            number=start + i,
            file=f,
            description=description.strip(),
            added_by=None if actor is SYSTEM else actor,
        )
        for i, f in enumerate(stored)
    ]
    audit_record(
        actor=actor,
        action="fieldwork.paper.evidence",
        target=paper,
        after={
            "numbers": [e.number for e in items],
            "files": [f.original_name for f in stored],
            "sha256": [f.sha256 for f in stored],
        },
    )
    return items


@transaction.atomic
def paper_transition(*, obj: WorkingPaper, action: str, actor: Any, data: dict[str, Any] | None = None) -> WorkingPaper:
    """One step of PAPER_WORKFLOW. Only the team's own members act on its papers (the guards then
    ask for the leader or a deputy where the step needs one)."""
    moved: WorkingPaper = PAPER_WORKFLOW.apply(
        obj,
        action,
        actor=actor,
        data=data,
        queryset=WorkingPaper.objects.select_related("team__round", "target__unit"),
        authorize=lambda actor, transition, paper: require_team_writer(actor, paper.team),
        effect=_paper_step,
    ).obj  # Applied.obj is Any: the row it moved
    return moved


def _paper_step(step: Step) -> None:
    if step.action == "approve":
        step.set(meeting_opinion=step.comment)
    if step.action == "sign":
        step.set(signed_by=step.user, signed_on=timezone.localdate())
    if step.action == "return":
        step.set(signed_by=None, signed_on=None)
