"""Sector clean-ups (专项整治, domain.md §3.8): the office turns one problem, or the same problem in
several units, into a campaign led by a sector department. Each unit's part becomes a task in that
unit's own plan (Task.campaign), so the ladder, closure, reminders and the rate treat it like any other
task; the unit cannot edit or remove it. The department reports on the campaign; the office closes it
once every task is done."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from xuncha.accounts.models import OrgUnit
from xuncha.accounts.permissions import Perm, has_perm, require
from xuncha.audit.services import audit_record
from xuncha.common.exceptions import ServiceError
from xuncha.files.services import file_store_many
from xuncha.findings.models import Problem
from xuncha.rectification.models import (
    Campaign,
    CampaignReport,
    CampaignState,
    Horizon,
    RectificationPlan,
    Task,
)
from xuncha.rectification.workflow import DONE_TASK_STATES

MAX_TEXT = 5000


def _clean(title: str, description: str, standard: str, due_on: date | None) -> tuple[str, str, str, date]:
    title, description, standard = (title or "").strip(), (description or "").strip(), (standard or "").strip()
    if not title:
        raise ServiceError(_("请填写专项整治名称。"))
    if len(title) > 100:
        raise ServiceError(_("专项整治名称请控制在100字以内。"))
    if not description:
        raise ServiceError(_("请填写整治要求。"))
    if not standard:
        raise ServiceError(_("请填写完成标准。"))
    if due_on is None or due_on <= timezone.localdate():
        raise ServiceError(_("办结时限应晚于今天。"))
    return title, description, standard[:500], due_on


def _plans_for(problems: list[Problem]) -> dict[int, RectificationPlan]:
    plans = RectificationPlan.objects.select_for_update(of=("self",)).filter(
        feedback__target__in=[p.target_id for p in problems]
    )
    by_target = {plan.feedback.target_id: plan for plan in plans.select_related("feedback")}
    missing = sorted({p.target.unit.name for p in problems if p.target_id not in by_target})
    if missing:
        raise ServiceError(_("以下单位尚未建立整改方案，暂不能纳入专项整治：%(units)s") % {"units": "、".join(missing)})
    return by_target


@transaction.atomic
def campaign_create(
    *,
    actor: Any,
    sector_dept: OrgUnit,
    problems: Iterable[Problem],
    title: str,
    description: str,
    standard: str,
    due_on: date | None,
) -> Campaign:
    """A sector clean-up of ``problems`` (a form's cleaned data fits: its fields are these keywords)."""
    chosen = list(
        Problem.objects.filter(pk__in=[p.pk for p in problems]).select_related("target__unit", "round__jurisdiction")
    )
    if not chosen:
        raise ServiceError(_("请至少选择一个问题。"))
    jurisdictions = {p.round.jurisdiction_id for p in chosen}
    if len(jurisdictions) > 1:
        raise ServiceError(_("一个专项整治只能包含同一地区的问题。"))
    for problem in chosen:
        require(actor, Perm.CAMPAIGN_MANAGE, problem)
    if not has_perm(actor, Perm.CAMPAIGN_MANAGE, sector_dept):
        raise ServiceError(_("请选择本地区的行业主管部门。"))
    title, description, standard, due_on = _clean(title, description, standard, due_on)
    by_target = _plans_for(chosen)
    campaign = Campaign.objects.create(
        jurisdiction=chosen[0].round.jurisdiction,
        sector_dept=sector_dept,
        title=title,
        description=description,
        due_on=due_on,
        created_by=actor,
    )
    campaign.problems.set(chosen)
    for problem in sorted(chosen, key=lambda p: (p.target_id, p.number)):
        plan = by_target[problem.target_id]
        number = (plan.tasks.aggregate(n=Max("number"))["n"] or 0) + 1
        Task.objects.create(
            plan=plan,
            problem=problem,
            number=number,
            measure=_("按照“%(title)s”专项整治要求整改：%(description)s")
            % {"title": title, "description": description},
            standard=standard,
            horizon=Horizon.DEADLINE,
            due_on=due_on,
            lead_dept=sector_dept.name,
            coop_depts=problem.target.unit.name,
            owner=_("单位主要负责人"),
            campaign=campaign,
        )
    audit_record(
        actor=actor,
        action="rectification.campaign.create",
        target=campaign,
        after={"sector_dept": sector_dept.pk, "chosen": [p.pk for p in chosen], "due_on": due_on.isoformat()},
    )
    return campaign


@transaction.atomic
def campaign_report(*, actor: Any, campaign: Campaign, text: str, uploads: list[Any] | None = None) -> CampaignReport:
    campaign = Campaign.objects.select_for_update(of=("self",)).select_related("sector_dept").get(pk=campaign.pk)
    require(actor, Perm.CAMPAIGN_REPORT, campaign)
    if campaign.state != CampaignState.ACTIVE:
        raise ServiceError(_("专项整治已办结。"))
    text = (text or "").replace("\x00", "").strip()
    if not text:
        raise ServiceError(_("请填写整治进展。"))
    if len(text) > MAX_TEXT:
        raise ServiceError(_("内容过长，请精简到%(n)s字以内。") % {"n": MAX_TEXT})
    report = CampaignReport.objects.create(campaign=campaign, text=text, actor=actor)
    if uploads:
        report.files.set(file_store_many(actor=actor, uploads=list(uploads), scope_unit=campaign.sector_dept))
    audit_record(
        actor=actor,
        action="rectification.campaign.report",
        target=campaign,
        after={"report": report.pk, "files": report.files.count()},
    )
    return report


@transaction.atomic
def campaign_close(*, actor: Any, campaign: Campaign) -> Campaign:
    campaign = Campaign.objects.select_for_update(of=("self",)).select_related("sector_dept").get(pk=campaign.pk)
    require(actor, Perm.CAMPAIGN_MANAGE, campaign)
    if campaign.state != CampaignState.ACTIVE:
        raise ServiceError(_("专项整治已办结。"))
    open_units = sorted(
        {
            t.plan.feedback.target.unit.name
            for t in campaign.tasks.exclude(state__in=DONE_TASK_STATES).select_related("plan__feedback__target__unit")
        }
    )
    if open_units:
        raise ServiceError(_("以下单位的整治任务尚未销号：%(units)s") % {"units": "、".join(open_units)})
    campaign.state, campaign.closed_on = CampaignState.CLOSED, timezone.localdate()
    campaign.save(update_fields=["state", "closed_on", "updated_at"])
    audit_record(actor=actor, action="rectification.campaign.close", target=campaign, after={"state": campaign.state})
    return campaign
