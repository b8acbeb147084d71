"""Accountability (问责, domain.md §3.10): for failure to rectify, an organisation or a cadre is held
to account in a form that fits the subject (FORMS_BY_SUBJECT), for named problems of the unit."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from xuncha.accounts.permissions import Perm, require
from xuncha.audit.services import audit_record, changed, snapshot
from xuncha.common.actors import SYSTEM
from xuncha.common.exceptions import ServiceError
from xuncha.rectification.models import (
    FORMS_BY_SUBJECT,
    Accountability,
    AccountabilityForm,
    RectificationPlan,
    SubjectKind,
)
from xuncha.rectification.services.plans import feedback_day
from xuncha.rectification.services.visits import check_not_future, clean_text

FIELDS = ["subject_kind", "subject_name", "position", "form", "deciding_body", "doc_no", "decided_on", "note"]


def _clean(plan: RectificationPlan, data: dict[str, Any]) -> dict[str, Any]:
    kind = data.get("subject_kind")
    if kind not in SubjectKind.values:
        raise ServiceError(_("请选择问责对象类别。"))
    form = data.get("form")
    if form not in AccountabilityForm.values:
        raise ServiceError(_("请选择问责方式。"))
    allowed = FORMS_BY_SUBJECT[SubjectKind(kind)]
    if form not in allowed:
        raise ServiceError(
            _("“%(form)s”不适用于%(kind)s；对%(kind)s可采取：%(allowed)s。")
            % {
                "form": AccountabilityForm(form).label,
                "kind": SubjectKind(kind).label,
                "allowed": "、".join(str(f.label) for f in allowed),
            }
        )
    cleaned = {
        "subject_kind": kind,
        "form": form,
        "subject_name": clean_text(data.get("subject_name"), _("问责对象"), max_length=100),
        "position": clean_text(data.get("position"), _("职务"), required=kind == SubjectKind.CADRE, max_length=100),
        "deciding_body": clean_text(data.get("deciding_body"), _("决定机关"), max_length=100),
        "doc_no": clean_text(data.get("doc_no"), _("决定文号"), max_length=50),
        "note": clean_text(data.get("note"), _("备注"), required=False),
    }
    decided_on: date | None = data.get("decided_on")
    decided_on = check_not_future(decided_on, _("决定日期"))
    if decided_on < feedback_day(plan):
        raise ServiceError(_("决定日期不能早于巡察反馈日期。"))
    cleaned["decided_on"] = decided_on
    return cleaned


def _clean_problems(plan: RectificationPlan, problems: list[Any]) -> list[Any]:
    if not problems:
        raise ServiceError(_("请至少选择一个涉及的问题。"))
    if any(p.target_id != plan.feedback.target_id for p in problems):
        raise ServiceError(_("只能选择反馈给本单位的问题。"))
    return problems


def _locked_plan(plan: RectificationPlan) -> RectificationPlan:
    return RectificationPlan.objects.select_for_update(of=("self",)).select_related("feedback").get(pk=plan.pk)


def _state(record: Accountability) -> dict[str, Any]:
    data = snapshot(record, FIELDS)
    data["problems"] = sorted(record.problems.values_list("pk", flat=True))
    return data


@transaction.atomic
def accountability_create(*, actor: Any, plan: RectificationPlan, problems: list[Any], **data: Any) -> Accountability:
    plan = _locked_plan(plan)
    require(actor, Perm.RECTIFY_SUPERVISE, plan)
    cleaned = _clean(plan, data)
    problems = _clean_problems(plan, list(problems))
    record = Accountability.objects.create(plan=plan, created_by=None if actor is SYSTEM else actor, **cleaned)
    record.problems.set(problems)
    audit_record(actor=actor, action="rectification.accountability.create", target=record, after=_state(record))
    return record


@transaction.atomic
def accountability_update(*, actor: Any, record: Accountability, problems: list[Any], **data: Any) -> Accountability:
    record = Accountability.objects.select_for_update(of=("self",)).select_related("plan").get(pk=record.pk)
    require(actor, Perm.RECTIFY_SUPERVISE, record)
    plan = _locked_plan(record.plan)
    cleaned = _clean(plan, data)
    problems = _clean_problems(plan, list(problems))
    before = _state(record)
    for key, value in cleaned.items():
        setattr(record, key, value)
    record.save(update_fields=[*cleaned.keys(), "updated_at"])
    record.problems.set(problems)
    old, new = changed(before, _state(record))
    if new:
        audit_record(actor=actor, action="rectification.accountability.update", target=record, before=old, after=new)
    return record
