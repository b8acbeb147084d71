"""Problems: assembled by a team member from signed working papers of one unit.

Several papers may make one problem (merging); a paper feeds one problem only, so nothing is
counted twice. Each problem is classified against the round's focus list version, with tags,
disciplines, responsibility types and severity.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from xuncha.audit.services import audit_record, changed, snapshot
from xuncha.common.actors import SYSTEM
from xuncha.common.classification import Discipline, Responsibility
from xuncha.common.exceptions import ServiceError
from xuncha.fieldwork.models import PaperState, WorkingPaper
from xuncha.fieldwork.services.common import require_team_writer
from xuncha.findings.models import FocusItem, Problem, Severity, Tag
from xuncha.findings.services.common import check_problems_editable, clean_codes
from xuncha.plans.models import RoundTarget

FIELDS = ["title", "description", "disciplines", "responsibilities", "severity", "people"]
MAX_TEXT = 5000


def _target(target: RoundTarget) -> RoundTarget:
    # Decide on the stored state, and one change at a time per unit (numbers are given out in order).
    RoundTarget.objects.select_for_update().filter(pk=target.pk).first()
    return RoundTarget.objects.select_related("round__focus_list", "unit", "team").get(pk=target.pk)


def _check_papers(papers: list[WorkingPaper], target: RoundTarget, problem: Problem | None) -> None:
    if not papers:
        raise ServiceError(_("请选择至少一份已签发的问题底稿。"))
    unsigned = [p.code for p in papers if p.state != PaperState.SIGNED]
    if unsigned:
        raise ServiceError(_("只有组长签发的底稿才能形成问题：%(codes)s尚未签发。") % {"codes": "、".join(unsigned)})
    strangers = [p.code for p in papers if p.target_id != target.pk]
    if strangers:
        raise ServiceError(
            _("底稿%(codes)s不是关于%(unit)s的。") % {"codes": "、".join(strangers), "unit": target.unit.name}
        )
    used = WorkingPaper.objects.filter(pk__in=[p.pk for p in papers], problems__isnull=False)
    if problem is not None:
        used = used.exclude(problems=problem)
    taken = [p.code for p in used.select_related("team")]
    if taken:
        raise ServiceError(_("底稿%(codes)s已形成其他问题，一份底稿只能形成一个问题。") % {"codes": "、".join(taken)})


def _check_focus(items: list[FocusItem], target: RoundTarget) -> None:
    focus_list = target.round.focus_list
    if focus_list is None:
        raise ServiceError(_("请巡察办先为“%(round)s”选择监督重点清单。") % {"round": target.round.name})
    if not items:
        raise ServiceError(_("请选择问题对应的监督重点。"))
    if any(item.focus_list_id != focus_list.pk for item in items):
        raise ServiceError(_("监督重点须取自本轮使用的“%(list)s”。") % {"list": focus_list})


def _clean(data: dict[str, Any]) -> dict[str, Any]:
    cleaned = dict(data)
    for name in ("title", "description", "people"):
        if name in cleaned:
            cleaned[name] = str(cleaned[name] or "").replace("\x00", "").strip()
    if "title" in cleaned and not cleaned["title"]:
        raise ServiceError(_("请填写问题。"))
    if "description" in cleaned and not cleaned["description"]:
        raise ServiceError(_("请写明问题的具体表现。"))
    if len(cleaned.get("description", "")) > MAX_TEXT:
        raise ServiceError(_("具体表现过长，请精简到%(n)s字以内。") % {"n": MAX_TEXT})
    if "disciplines" in cleaned:
        cleaned["disciplines"] = clean_codes(cleaned["disciplines"], Discipline.values, _("涉及纪律"))
    if "responsibilities" in cleaned:
        cleaned["responsibilities"] = clean_codes(cleaned["responsibilities"], Responsibility.values, _("责任类型"))
    if "severity" in cleaned and cleaned["severity"] not in Severity.values:
        raise ServiceError(_("严重程度不正确。"))
    return cleaned


def _relations(problem: Problem, papers: Any, focus_items: Any, tags: Any) -> dict[str, list[int]]:
    if papers is not None:
        problem.papers.set(papers)
    if focus_items is not None:
        problem.focus_items.set(focus_items)
    if tags is not None:
        problem.tags.set([t for t in tags if t.active])
    return {
        "papers": sorted(problem.papers.values_list("pk", flat=True)),
        "focus_items": sorted(problem.focus_items.values_list("pk", flat=True)),
        "tags": sorted(problem.tags.values_list("pk", flat=True)),
    }


@transaction.atomic
def problem_create(
    *,
    actor: Any,
    target: RoundTarget,
    papers: list[WorkingPaper],
    focus_items: list[FocusItem],
    tags: list[Tag] | None = None,
    **data: Any,
) -> Problem:
    target = _target(target)
    team = target.team
    if team is None:
        raise ServiceError(_("%(unit)s尚未分配巡察组。") % {"unit": target.unit.name})
    require_team_writer(actor, team)
    check_problems_editable(target)
    unknown = set(data) - set(FIELDS)
    if unknown:
        raise ServiceError(_("不能填写的字段：%(fields)s") % {"fields": ", ".join(sorted(unknown))})
    cleaned = _clean({"title": "", "description": "", **data})
    papers, focus_items = list(papers), list(focus_items)
    _check_papers(papers, target, None)
    _check_focus(focus_items, target)
    number = (target.problems.aggregate(n=Max("number"))["n"] or 0) + 1
    problem = Problem.objects.create(
        round=target.round,
        target=target,
        team=team,
        number=number,
        created_by=None if actor is SYSTEM else actor,
        **cleaned,
    )
    links = _relations(problem, papers, focus_items, tags or [])
    audit_record(
        actor=actor, action="findings.problem.create", target=problem, after={**snapshot(problem, FIELDS), **links}
    )
    return problem


@transaction.atomic
def problem_update(
    *,
    actor: Any,
    problem: Problem,
    papers: list[WorkingPaper] | None = None,
    focus_items: list[FocusItem] | None = None,
    tags: list[Tag] | None = None,
    **data: Any,
) -> Problem:
    target = _target(problem.target)
    # A problem exists only once its round is on site, and a round goes on site only when every
    # target has a team (targets are frozen from then on).
    assert target.team is not None
    require_team_writer(actor, target.team)
    check_problems_editable(target)
    problem = Problem.objects.select_for_update().get(pk=problem.pk)
    unknown = set(data) - set(FIELDS)
    if unknown:
        raise ServiceError(_("不能修改的字段：%(fields)s") % {"fields": ", ".join(sorted(unknown))})
    cleaned = _clean(data)
    if papers is not None:
        _check_papers(list(papers), target, problem)
    if focus_items is not None:
        _check_focus(list(focus_items), target)
    before = {**snapshot(problem, FIELDS), **_relations(problem, None, None, None)}
    for key, value in cleaned.items():
        setattr(problem, key, value)
    problem.save(update_fields=[*cleaned.keys(), "updated_at"])
    after = {**snapshot(problem, FIELDS), **_relations(problem, papers, focus_items, tags)}
    old, new = changed(before, after)
    if new:
        audit_record(actor=actor, action="findings.problem.update", target=problem, before=old, after=new)
    return problem


@transaction.atomic
def problem_delete(*, actor: Any, problem: Problem) -> None:
    """Remove a problem while the list is still being assembled; the rest keep their numbers."""
    target = _target(problem.target)
    assert target.team is not None  # as in problem_update
    require_team_writer(actor, target.team)
    check_problems_editable(target)
    gone = {**snapshot(problem, FIELDS), "number": problem.number, "target": target.pk}
    audit_record(actor=actor, action="findings.problem.delete", target=problem, before=gone)
    problem.delete()
