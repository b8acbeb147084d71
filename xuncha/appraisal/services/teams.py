"""A team's evaluation: computed from the survey and the results, stored with the rule used,
flagged to the office head when low (or when a member is graded 不称职), and the talk recorded."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from xuncha.accounts.models import RoleAssignment, User
from xuncha.accounts.permissions import Perm, Role, require
from xuncha.appraisal import selectors
from xuncha.appraisal.models import TeamAppraisal
from xuncha.appraisal.scoring import flag_reasons, one_decimal, rule_dict
from xuncha.audit.services import audit_record
from xuncha.common.exceptions import ServiceError
from xuncha.notify.services import notify
from xuncha.plans.services import member_appraise


def _office_heads(jurisdiction: Any) -> list[User]:
    ids = RoleAssignment.objects.filter(
        role=Role.OFFICE_HEAD,
        scope__path__in=selectors.ancestor_paths(jurisdiction),
        revoked_at__isnull=True,
        user__is_active=True,
    ).values("user_id")
    return list(User.objects.filter(pk__in=ids).order_by("pk"))


def _tell_office_heads(appraisal: TeamAppraisal) -> None:
    team = appraisal.team
    jurisdiction = team.round.jurisdiction
    title = _("巡后评估需关注：%(round)s%(team)s") % {"round": team.round.name, "team": team}
    body = "；".join(appraisal.flag_reasons) + _("。请安排谈话并记录处理情况。")
    url = reverse("appraisal:team_detail", args=[team.pk])
    key = f"appraisal:{appraisal.pk}:{'|'.join(appraisal.flag_reasons)}"[:120]
    for user in _office_heads(jurisdiction):
        notify(user=user, key=key, title=title, body=body, url=url, unit=jurisdiction)


@transaction.atomic
def team_appraisal_compute(*, actor: Any, team: Any) -> TeamAppraisal:
    """Store the team's figures and score as they stand now (again, when results come in)."""
    require(actor, Perm.SURVEY_MANAGE, team)
    live = selectors.team_live(team)
    figures, rule, result = live["figures"], live["rule"], live["result"]
    if not live["responses"] and not figures.units:
        raise ServiceError(_("该组尚无测评答卷，也没有已反馈的单位，无法评定。"))
    reasons = flag_reasons(result.total, rule.threshold, selectors.failing_members(team))
    values = {
        "responses": live["responses"],
        "survey_score": None if figures.survey is None else one_decimal(figures.survey),
        "units": figures.units,
        "problems": figures.problems,
        "cases": figures.cases,
        "rectified": figures.rectified,
        "total": result.total,
        "rule": rule_dict(rule),
        "threshold": rule.threshold,
        "flagged": bool(reasons),
        "flag_reasons": reasons,
        "computed_by": actor,
    }
    existing = TeamAppraisal.objects.select_for_update().filter(team=team).first()
    before = _snapshot(existing) if existing else None
    appraisal, _created = TeamAppraisal.objects.update_or_create(team=team, defaults=values)
    audit_record(
        actor=actor, action="appraisal.team.compute", target=appraisal, before=before, after=_snapshot(appraisal)
    )
    if appraisal.flagged and (before is None or before["flag_reasons"] != reasons):
        if before and before["handled_on"]:  # a new reason after the talk: it needs attention again
            appraisal.handled_on, appraisal.handled_note, appraisal.handled_by = None, "", None
            appraisal.save(update_fields=["handled_on", "handled_note", "handled_by", "updated_at"])
        transaction.on_commit(lambda: _tell_office_heads(appraisal))
    return appraisal


def _snapshot(a: TeamAppraisal) -> dict[str, Any]:
    return {
        "responses": a.responses,
        "survey_score": None if a.survey_score is None else str(a.survey_score),
        "problems": a.problems,
        "cases": a.cases,
        "rectified": a.rectified,
        "total": None if a.total is None else str(a.total),
        "flag_reasons": list(a.flag_reasons),
        "handled_on": a.handled_on.isoformat() if a.handled_on else None,
    }


@transaction.atomic
def team_appraisal_handle(*, actor: Any, appraisal: TeamAppraisal, handled_on: date, note: str) -> TeamAppraisal:
    """Record the talk (谈话提醒/约谈) that answered a flag."""
    appraisal = TeamAppraisal.objects.select_for_update(of=("self",)).select_related("team__round").get(pk=appraisal.pk)
    require(actor, Perm.SURVEY_MANAGE, appraisal)
    if not appraisal.flagged:
        raise ServiceError(_("该组评定没有需关注的情况。"))
    if appraisal.handled_on:
        raise ServiceError(_("已经记录过处理情况。"))
    if not (note or "").strip():
        raise ServiceError(_("请填写处理情况（谈话对象、方式和要求）。"))
    appraisal.handled_on, appraisal.handled_note, appraisal.handled_by = handled_on, note.strip(), actor
    appraisal.save(update_fields=["handled_on", "handled_note", "handled_by", "updated_at"])
    audit_record(
        actor=actor,
        action="appraisal.team.handle",
        target=appraisal,
        after={"handled_on": handled_on.isoformat(), "note": appraisal.handled_note},
    )
    return appraisal


@transaction.atomic
def member_grade(*, actor: Any, member: Any, grade: str, note: str = "") -> Any:
    """Grade a member for the round (stored on the team membership, shown in the talent pool);
    a stored evaluation of the team is brought up to date so a 不称职 is flagged at once."""
    require(actor, Perm.SURVEY_MANAGE, member.team)
    member = member_appraise(actor=actor, member=member, grade=grade, note=note)
    if TeamAppraisal.objects.filter(team=member.team).exists():
        team_appraisal_compute(actor=actor, team=member.team)
    return member
