"""Evaluation (整改评估, domain.md §3.9): the office scores an approved plan on the sheet in force for
the plan's jurisdiction; a "差" proposes a look-back round (巡察“回头看”), created through the plans
app's own round services. Offices version their own sheet: a new version replaces the old one."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from xuncha.accounts.models.org import JURISDICTION_TYPES
from xuncha.accounts.permissions import Perm, require
from xuncha.audit.services import audit_record
from xuncha.common.actors import SYSTEM
from xuncha.common.exceptions import ServiceError
from xuncha.plans.models import Round, RoundMode
from xuncha.plans.services import round_create, round_target_add
from xuncha.rectification.models import Evaluation, EvaluationSheet, Grade, PlanState, RectificationPlan
from xuncha.rectification.selectors.evaluation import sheet_for
from xuncha.rectification.services.plans import feedback_day
from xuncha.rectification.services.visits import check_not_future, clean_text

ONE_PLACE = Decimal("0.1")
# The look-back round's dates are placeholders the office then edits on the round's page.
LOOKBACK_STARTS_IN = timedelta(days=30)
LOOKBACK_LASTS = timedelta(days=29)


def _decimal(value: Any, label: str) -> Decimal:
    try:
        number = Decimal(str(value if value not in (None, "") else 0))
    except (InvalidOperation, ValueError):
        raise ServiceError(_("%(item)s：扣分须为数字。") % {"item": label}) from None
    if not number.is_finite():
        raise ServiceError(_("%(item)s：扣分须为数字。") % {"item": label})
    return number


def clean_deductions(sheet: EvaluationSheet, deductions: dict[str, Any]) -> dict[str, dict[str, str]]:
    """Per item: 0 ≤ deduction ≤ the item's points, one decimal place, a reason when deducting.
    Only the items with a deduction are kept."""
    items = {item["code"]: item for item in sheet.items}
    unknown = sorted(set(deductions) - set(items))
    if unknown:
        raise ServiceError(_("评估指标表中没有这些指标：%(codes)s。") % {"codes": "、".join(unknown)})
    cleaned: dict[str, dict[str, str]] = {}
    for code, item in items.items():
        row = deductions.get(code) or {}
        label = f"{code} {item['label']}"
        deduct = _decimal(row.get("deduct"), label)
        if deduct < 0 or deduct > item["points"]:
            raise ServiceError(_("%(item)s：扣分须在0至%(points)s分之间。") % {"item": label, "points": item["points"]})
        if deduct != deduct.quantize(ONE_PLACE):
            raise ServiceError(_("%(item)s：扣分最多保留一位小数。") % {"item": label})
        reason = clean_text(row.get("reason"), _("扣分理由"), required=False, max_length=500)
        if deduct > 0 and not reason:
            raise ServiceError(_("%(item)s：扣分须写明理由。") % {"item": label})
        if deduct > 0:
            cleaned[code] = {"deduct": str(deduct.quantize(ONE_PLACE)), "reason": reason}
    return cleaned


def _state(evaluation: Evaluation) -> dict[str, Any]:
    return {
        "evaluated_on": evaluation.evaluated_on,
        "deductions": evaluation.deductions,
        "comment": evaluation.comment,
        "total": evaluation.total,
        "grade": evaluation.grade,
        "sheet": evaluation.sheet_id,
    }


@transaction.atomic
def evaluation_save(
    *,
    actor: Any,
    plan: RectificationPlan,
    evaluated_on: date,
    deductions: dict[str, Any],
    comment: str = "",
) -> Evaluation:
    """Score the plan (one evaluation per plan; saving again edits it, keeping its sheet)."""
    plan = (
        RectificationPlan.objects.select_for_update(of=("self",))
        .select_related("feedback__target__round__jurisdiction", "feedback__target__unit")
        .get(pk=plan.pk)
    )
    require(actor, Perm.RECTIFY_SUPERVISE, plan)
    if plan.state != PlanState.APPROVED:
        raise ServiceError(_("整改方案审核通过后才能开展整改评估。"))
    check_not_future(evaluated_on, _("评估日期"))
    if evaluated_on < feedback_day(plan):
        raise ServiceError(_("评估日期不能早于反馈日期。"))
    evaluation = Evaluation.objects.select_related("sheet").filter(plan=plan).first()
    sheet = evaluation.sheet if evaluation else sheet_for(plan.feedback.target.round.jurisdiction)
    if sheet is None:
        raise ServiceError(_("尚无启用的整改评估指标表，请先建立指标表。"))
    cleaned = clean_deductions(sheet, deductions or {})
    comment = clean_text(comment, _("评估意见"), required=False)
    before = _state(evaluation) if evaluation else None
    if evaluation is None:
        evaluation = Evaluation(plan=plan, sheet=sheet)
    evaluation.evaluated_on, evaluation.deductions, evaluation.comment = evaluated_on, cleaned, comment
    evaluation.evaluator = None if actor is SYSTEM else actor
    if evaluation.pk:
        evaluation.save(update_fields=["evaluated_on", "deductions", "comment", "evaluator", "updated_at"])
    else:
        evaluation.save()
    audit_record(
        actor=actor, action="rectification.evaluation.save", target=evaluation, before=before, after=_state(evaluation)
    )
    return evaluation


@transaction.atomic
def evaluation_propose_lookback(*, actor: Any, evaluation: Evaluation) -> Round:
    """ "差" → a draft look-back round for the unit in the same jurisdiction, linked to the evaluation."""
    evaluation = (
        Evaluation.objects.select_for_update(of=("self",))
        .select_related("sheet", "plan__feedback__target__round__jurisdiction", "plan__feedback__target__unit")
        .get(pk=evaluation.pk)
    )
    require(actor, Perm.RECTIFY_SUPERVISE, evaluation)
    if evaluation.lookback_round_id is not None:
        raise ServiceError(_("已提请开展“回头看”，不能重复提请。"))
    if evaluation.grade != Grade.POOR:
        raise ServiceError(_("评估等次为“差”时才提请开展“回头看”。"))
    target = evaluation.plan.feedback.target
    jurisdiction = target.round.jurisdiction
    entry = timezone.localdate() + LOOKBACK_STARTS_IN
    taken = Round.objects.filter(jurisdiction=jurisdiction, year=entry.year).aggregate(n=Max("number"))["n"] or 0
    number = taken + 1
    rnd = round_create(
        actor=actor,
        jurisdiction=jurisdiction,
        year=entry.year,
        number=number,
        name=_("%(year)s年第%(n)s轮巡察“回头看”") % {"year": entry.year, "n": number},
        entry_date=entry,
        exit_date=entry + LOOKBACK_LASTS,
        focus_list=focus if (focus := target.round.focus_list) is not None and focus.active else None,
    )
    round_target_add(actor=actor, rnd=rnd, unit=target.unit, mode=RoundMode.LOOK_BACK, original_round=target.round)
    evaluation.lookback_round = rnd
    evaluation.save(update_fields=["lookback_round", "updated_at"])
    audit_record(
        actor=actor,
        action="rectification.evaluation.lookback",
        target=evaluation,
        after={"round": rnd.pk, "name": rnd.name, "total": evaluation.total, "grade": evaluation.grade},
    )
    return rnd


def _clean_items(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    if not items:
        raise ServiceError(_("请至少填写一项评估指标。"))
    cleaned: list[dict[str, Any]] = []
    codes: set[str] = set()
    for index, item in enumerate(items, start=1):
        code = clean_text(item.get("code"), _("第%(n)s行的编号") % {"n": index}, max_length=10)
        label = clean_text(item.get("label"), _("第%(n)s行的指标名称") % {"n": index}, max_length=100)
        guidance = clean_text(item.get("guidance"), _("扣分标准"), required=False, max_length=500)
        points = item.get("points")
        if isinstance(points, bool) or not isinstance(points, int) or points <= 0:
            raise ServiceError(_("第%(n)s行：分值须为正整数。") % {"n": index})
        if code in codes:
            raise ServiceError(_("第%(n)s行：编号“%(code)s”重复。") % {"n": index, "code": code})
        codes.add(code)
        cleaned.append({"code": code, "label": label, "points": points, "guidance": guidance})
    total = sum(item["points"] for item in cleaned)
    if total != 100:
        raise ServiceError(_("各项分值合计须为100分，现为%(total)s分。") % {"total": total})
    return cleaned


def _check_thresholds(good_from: int, fair_from: int, pass_from: int) -> None:
    if not (100 >= good_from > fair_from > pass_from > 0):
        raise ServiceError(_("等次分数线须满足：100 ≥ “好” > “较好” > “一般” > 0。"))


@transaction.atomic
def sheet_create(
    *,
    actor: Any,
    jurisdiction: Any,
    name: str,
    items: list[dict[str, Any]],
    good_from: int,
    fair_from: int,
    pass_from: int,
) -> EvaluationSheet:
    """A new version of the jurisdiction's sheet; the versions before it stop being used."""
    require(actor, Perm.RECTIFY_SUPERVISE, jurisdiction)
    if jurisdiction.unit_type not in JURISDICTION_TYPES:
        raise ServiceError(_("评估指标表须由县（市、区）以上行政区域制定。"))
    name = clean_text(name, _("名称"), max_length=100)
    cleaned = _clean_items(list(items or []))
    _check_thresholds(good_from, fair_from, pass_from)
    previous = list(EvaluationSheet.objects.select_for_update().filter(jurisdiction=jurisdiction))
    version = max((s.version for s in previous), default=0) + 1
    deactivated = [s.pk for s in previous if s.is_active]
    EvaluationSheet.objects.filter(pk__in=deactivated).update(is_active=False, updated_at=timezone.now())
    sheet = EvaluationSheet.objects.create(
        jurisdiction=jurisdiction,
        name=name,
        version=version,
        items=cleaned,
        good_from=good_from,
        fair_from=fair_from,
        pass_from=pass_from,
    )
    audit_record(
        actor=actor,
        action="rectification.sheet.create",
        target=sheet,
        scope_unit=jurisdiction,
        after={
            "version": version,
            "items": cleaned,
            "grades": [good_from, fair_from, pass_from],
            "replaced": deactivated,
        },
    )
    return sheet
