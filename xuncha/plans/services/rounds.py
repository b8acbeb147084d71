"""Rounds, their targets and the round's state machine."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from xuncha.accounts.models import OrgUnit
from xuncha.accounts.models.org import JURISDICTION_TYPES
from xuncha.accounts.permissions import Perm, require
from xuncha.audit.services import audit_record, changed, snapshot
from xuncha.common.exceptions import ServiceError
from xuncha.plans.models import Round, RoundMode, RoundTarget, Team
from xuncha.plans.workflow import EDITABLE_STATES, ROUND_WORKFLOW
from xuncha.workflow import Step

ROUND_FIELDS = ["name", "year", "number", "focus_list", "entry_date", "exit_date", "term_plan"]
TARGET_FIELDS = ["unit", "mode", "theme", "original_round", "team", "entry_date", "exit_date"]


def _check_dates(entry: date, exit: date) -> None:
    if exit < entry:
        raise ServiceError(_("撤离日期不能早于进驻日期。"))


def _check_editable(rnd: Round) -> None:
    if rnd.state not in EDITABLE_STATES:
        raise ServiceError(_("“%(round)s”已进驻，巡察对象和巡察组不能再调整。") % {"round": rnd.name})


@transaction.atomic
def round_create(
    *,
    actor: Any,
    jurisdiction: OrgUnit,
    year: int,
    number: int,
    name: str,
    entry_date: date,
    exit_date: date,
    focus_list: Any = None,
    term_plan: Any = None,
) -> Round:
    require(actor, Perm.ROUND_MANAGE, jurisdiction)
    _check_focus_list(focus_list, jurisdiction)
    if jurisdiction.unit_type not in JURISDICTION_TYPES:
        raise ServiceError(_("巡察轮次须由县（市、区）以上行政区域安排。"))
    _check_dates(entry_date, exit_date)
    if not (name or "").strip():
        raise ServiceError(_("请填写轮次名称。"))
    if Round.objects.filter(jurisdiction=jurisdiction, year=year, number=number).exists():
        raise ServiceError(_("%(year)s年第%(n)s轮巡察已经存在。") % {"year": year, "n": number})
    rnd = Round.objects.create(
        jurisdiction=jurisdiction,
        year=year,
        number=number,
        name=name.strip(),
        entry_date=entry_date,
        exit_date=exit_date,
        focus_list=focus_list,
        term_plan=term_plan,
    )
    audit_record(actor=actor, action="plans.round.create", target=rnd, after=snapshot(rnd, ROUND_FIELDS))
    return rnd


def _check_focus_list(focus_list: Any, jurisdiction: OrgUnit) -> None:
    """A round uses an offered list of the installation or of its own jurisdiction's line."""
    if focus_list is None:
        return
    focus_list = type(focus_list).objects.select_related("jurisdiction").get(pk=focus_list.pk)  # as stored now
    own = focus_list.jurisdiction is None or jurisdiction.path.startswith(focus_list.jurisdiction.path)
    if not own or not focus_list.active:
        raise ServiceError(_("所选监督重点清单不适用于本地区或已停用。"))


@transaction.atomic
def round_update(*, actor: Any, rnd: Round, **data: Any) -> Round:
    require(actor, Perm.ROUND_MANAGE, rnd)
    rnd = Round.objects.select_for_update().get(pk=rnd.pk)
    allowed = {"name", "focus_list", "entry_date", "exit_date", "term_plan"}
    if set(data) - allowed:
        raise ServiceError(_("不能修改的字段：%(fields)s") % {"fields": ", ".join(sorted(set(data) - allowed))})
    if "focus_list" in data and data["focus_list"] != rnd.focus_list:
        _check_focus_list(data["focus_list"], rnd.jurisdiction)
        if rnd.problems.exists():
            raise ServiceError(_("本轮已有按监督重点归类的问题，不能再更换监督重点清单。"))
    if ("entry_date" in data or "exit_date" in data) and rnd.state not in EDITABLE_STATES:
        raise ServiceError(_("“%(round)s”已进驻，巡察对象和巡察组不能再调整。") % {"round": rnd.name})
    before = snapshot(rnd, ROUND_FIELDS)
    for key, value in data.items():
        setattr(rnd, key, value)
    _check_dates(rnd.entry_date, rnd.exit_date)
    for target in rnd.targets.select_related("unit"):
        _check_overlap(target.unit, target.entry_date or rnd.entry_date, target.exit_date or rnd.exit_date, rnd)
    rnd.save(update_fields=[*data.keys(), "updated_at"])
    old, new = changed(before, snapshot(rnd, ROUND_FIELDS))
    if new:
        audit_record(actor=actor, action="plans.round.update", target=rnd, before=old, after=new)
    return rnd


def _check_overlap(unit: OrgUnit, start: date, end: date, rnd: Round) -> None:
    """A unit may not be on site in two rounds whose periods overlap."""
    others = (
        RoundTarget.objects.filter(unit=unit)
        .exclude(round=rnd)
        .select_related("round")
        .filter(Q(entry_date__lte=end) | Q(entry_date__isnull=True, round__entry_date__lte=end))
        .filter(Q(exit_date__gte=start) | Q(exit_date__isnull=True, round__exit_date__gte=start))
    )
    clash = others.first()
    if clash:
        raise ServiceError(
            _("%(unit)s已列入“%(round)s”（%(start)s至%(end)s），与本轮时间重叠。")
            % {"unit": unit.name, "round": clash.round.name, "start": clash.on_site_from, "end": clash.on_site_to}
        )


def _check_target(rnd: Round, unit: OrgUnit, mode: str, theme: str, original_round: Round | None) -> None:
    if not unit.path.startswith(rnd.jurisdiction.path) and mode not in (RoundMode.CROSS, RoundMode.ESCALATED):
        raise ServiceError(_("%(unit)s不在本行政区域内；跨区域只能采用交叉巡察或提级巡察。") % {"unit": unit.name})
    if unit.pk == rnd.jurisdiction_id or unit.unit_type in JURISDICTION_TYPES:
        raise ServiceError(_("行政区域本身不能作为巡察对象，请选择具体单位。"))
    if not unit.is_active:
        raise ServiceError(_("%(unit)s已停用。") % {"unit": unit.name})
    if mode == RoundMode.THEMATIC and not (theme or "").strip():
        raise ServiceError(_("专项巡察须写明专项主题。"))
    if mode == RoundMode.LOOK_BACK:
        if original_round is None:
            raise ServiceError(_("巡察“回头看”须选择原巡察轮次。"))
        if not original_round.targets.filter(unit=unit).exists():
            raise ServiceError(
                _("%(unit)s不在原巡察轮次“%(round)s”的巡察对象中。") % {"unit": unit.name, "round": original_round.name}
            )


@transaction.atomic
def round_target_add(
    *,
    actor: Any,
    rnd: Round,
    unit: OrgUnit,
    mode: str = RoundMode.REGULAR,
    theme: str = "",
    original_round: Round | None = None,
    entry_date: date | None = None,
    exit_date: date | None = None,
) -> RoundTarget:
    require(actor, Perm.ROUND_MANAGE, rnd)
    rnd = Round.objects.select_for_update().select_related("jurisdiction").get(pk=rnd.pk)
    _check_editable(rnd)
    if mode not in RoundMode.values:
        raise ServiceError(_("请选择巡察方式。"))
    _check_target(rnd, unit, mode, theme, original_round)
    if rnd.targets.filter(unit=unit).exists():
        raise ServiceError(_("%(unit)s已是本轮巡察对象。") % {"unit": unit.name})
    start, end = entry_date or rnd.entry_date, exit_date or rnd.exit_date
    _check_dates(start, end)
    _check_overlap(unit, start, end, rnd)
    target = RoundTarget.objects.create(
        round=rnd,
        unit=unit,
        mode=mode,
        theme=(theme or "").strip(),
        original_round=original_round,
        entry_date=entry_date,
        exit_date=exit_date,
    )
    audit_record(actor=actor, action="plans.target.add", target=target, after=snapshot(target, TARGET_FIELDS))
    return target


@transaction.atomic
def round_target_update(*, actor: Any, target: RoundTarget, justification: str = "", **data: Any) -> RoundTarget:
    """Assign the team, or change the target's dates, mode or theme. ``justification``: the
    office head's reason for keeping a team member despite a recusal conflict with this unit."""
    require(actor, Perm.ROUND_MANAGE, target)
    target = RoundTarget.objects.select_for_update().select_related("round__jurisdiction", "unit").get(pk=target.pk)
    _check_editable(target.round)
    before = snapshot(target, TARGET_FIELDS)
    for key, value in data.items():
        if key not in {"mode", "theme", "original_round", "team", "entry_date", "exit_date"}:
            raise ServiceError(_("不能修改的字段：%(fields)s") % {"fields": key})
        setattr(target, key, value)
    _check_target(target.round, target.unit, target.mode, target.theme, target.original_round)
    _check_dates(target.on_site_from, target.on_site_to)
    _check_overlap(target.unit, target.on_site_from, target.on_site_to, target.round)
    if "team" in data and data["team"] is not None:
        _check_team_for_target(actor, target, data["team"], justification)
    target.save(update_fields=[*data.keys(), "updated_at"])
    old, new = changed(before, snapshot(target, TARGET_FIELDS))
    if new:
        audit_record(actor=actor, action="plans.target.update", target=target, before=old, after=new)
    return target


def _check_team_for_target(actor: Any, target: RoundTarget, team: Team, justification: str) -> None:
    if team.round_id != target.round_id:
        raise ServiceError(_("只能分配本轮的巡察组。"))
    from xuncha.plans.services.teams import check_members_against_unit

    check_members_against_unit(actor=actor, team=team, unit=target.unit, justification=justification)


@transaction.atomic
def round_target_remove(*, actor: Any, target: RoundTarget) -> None:
    require(actor, Perm.ROUND_MANAGE, target)
    target = RoundTarget.objects.select_for_update().select_related("round", "unit").get(pk=target.pk)
    _check_editable(target.round)
    audit_record(actor=actor, action="plans.target.remove", target=target, before=snapshot(target, TARGET_FIELDS))
    target.delete()


@transaction.atomic
def round_transition(*, obj: Round, action: str, actor: Any, data: dict[str, Any] | None = None) -> Round:
    """Move the round along its state machine (the engine locks, checks and records the step)."""
    # Applied.obj is Any: the row it moved.
    moved: Round = ROUND_WORKFLOW.apply(obj, action, actor=actor, data=data, effect=_round_step).obj
    return moved


def _round_step(step: Step) -> None:
    if step.action == "approve":
        step.set(approved_on=step.data["approved_on"], approval_meeting=step.data["approval_meeting"].strip())
    if step.action == "feedback":
        step.set(feedback_date=step.data["feedback_date"])
