"""What rectification produced, entered by the unit (the office may enter it too): the special
democratic life meeting, rules made or revised (建章立制) and money recovered (挽回经济损失)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from xuncha.accounts.permissions import Perm, has_perm
from xuncha.audit.services import audit_record, changed, snapshot
from xuncha.common.actors import SYSTEM
from xuncha.common.exceptions import ServiceError
from xuncha.rectification.models import LifeMeeting, Mechanism, MoneyRecovery, RectificationPlan, Task
from xuncha.rectification.services.plans import feedback_day
from xuncha.rectification.services.visits import check_not_future, clean_text

MEETING_FIELDS = ["held_on", "place", "chaired_by", "attendees", "supervisors", "summary"]
MAX_AMOUNT = Decimal("999999999999.99")  # max_digits=14, decimal_places=2


def may_enter_results(actor: Any, plan: RectificationPlan) -> bool:
    """The unit enters its own results; the office may enter them for it."""
    if actor is SYSTEM:
        return True
    return has_perm(actor, Perm.RECTIFY_EDIT, plan) or has_perm(actor, Perm.RECTIFY_SUPERVISE, plan)


def _plan_for_results(actor: Any, plan: RectificationPlan) -> RectificationPlan:
    plan = RectificationPlan.objects.select_for_update(of=("self",)).select_related("feedback").get(pk=plan.pk)
    if not may_enter_results(actor, plan):
        raise PermissionDenied
    return plan


def _check_date(plan: RectificationPlan, day: date | None, label: str) -> None:
    day = check_not_future(day, label)
    if day < feedback_day(plan):
        raise ServiceError(_("%(field)s不能早于巡察反馈日期。") % {"field": label})


def _check_task(plan: RectificationPlan, task: Task | None) -> None:
    if task is not None and task.plan_id != plan.pk:
        raise ServiceError(_("只能关联本单位整改方案中的任务。"))


@transaction.atomic
def life_meeting_save(*, actor: Any, plan: RectificationPlan, **data: Any) -> LifeMeeting:
    """Record the meeting (one per plan; saving again corrects it)."""
    plan = _plan_for_results(actor, plan)
    _check_date(plan, data.get("held_on"), _("召开日期"))
    cleaned = {
        "held_on": data["held_on"],
        "place": clean_text(data.get("place"), _("地点"), max_length=100),
        "chaired_by": clean_text(data.get("chaired_by"), _("主持人"), max_length=50),
        "attendees": clean_text(data.get("attendees"), _("参会人员"), max_length=300),
        "supervisors": clean_text(data.get("supervisors"), _("督导人员"), required=False, max_length=200),
        "summary": clean_text(data.get("summary"), _("会议情况")),
    }
    meeting = LifeMeeting.objects.select_for_update().filter(plan=plan).first()
    before = snapshot(meeting, MEETING_FIELDS) if meeting else {}
    if meeting is None:
        meeting = LifeMeeting.objects.create(plan=plan, **cleaned)
    else:
        for key, value in cleaned.items():
            setattr(meeting, key, value)
        meeting.save(update_fields=[*cleaned.keys(), "updated_at"])
    old, new = changed(before, snapshot(meeting, MEETING_FIELDS))
    if new:
        audit_record(actor=actor, action="rectification.life_meeting.save", target=meeting, before=old, after=new)
    return meeting


@transaction.atomic
def mechanism_create(
    *,
    actor: Any,
    plan: RectificationPlan,
    title: str,
    kind: str,
    issued_on: date,
    doc_no: str = "",
    task: Task | None = None,
) -> Mechanism:
    plan = _plan_for_results(actor, plan)
    if kind not in Mechanism.Kind.values:
        raise ServiceError(_("请选择新建或修订。"))
    _check_date(plan, issued_on, _("印发日期"))
    _check_task(plan, task)
    mechanism = Mechanism.objects.create(
        plan=plan,
        task=task,
        title=clean_text(title, _("制度名称"), max_length=150),
        kind=kind,
        doc_no=clean_text(doc_no, _("文号"), required=False, max_length=50),
        issued_on=issued_on,
    )
    audit_record(
        actor=actor,
        action="rectification.mechanism.create",
        target=mechanism,
        after=snapshot(mechanism, ["title", "kind", "doc_no", "issued_on", "task"]),
    )
    return mechanism


def _amount(value: Any) -> Decimal:
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise ServiceError(_("金额须为数字（元）。")) from None
    if not amount.is_finite() or amount <= 0:
        raise ServiceError(_("金额须大于0元。"))
    if amount != amount.quantize(Decimal("0.01")):
        raise ServiceError(_("金额最多保留两位小数（元、角、分）。"))
    if amount > MAX_AMOUNT:
        raise ServiceError(_("金额过大，请核对（单位为元）。"))
    return amount.quantize(Decimal("0.01"))


@transaction.atomic
def recovery_create(
    *,
    actor: Any,
    plan: RectificationPlan,
    amount: Any,
    description: str,
    recovered_on: date,
    task: Task | None = None,
) -> MoneyRecovery:
    plan = _plan_for_results(actor, plan)
    amount = _amount(amount)
    _check_date(plan, recovered_on, _("日期"))
    _check_task(plan, task)
    recovery = MoneyRecovery.objects.create(
        plan=plan,
        task=task,
        amount=amount,
        description=clean_text(description, _("事项"), max_length=200),
        recovered_on=recovered_on,
    )
    audit_record(
        actor=actor,
        action="rectification.recovery.create",
        target=recovery,
        after=snapshot(recovery, ["amount", "description", "recovered_on", "task"]),
    )
    return recovery
