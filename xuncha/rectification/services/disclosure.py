"""Disclosure of rectification (domain.md §3.7): the unit drafts a notice inside the Party or a text
for the public, naming what it holds back under the five exemptions; the office approves it (a
public text then appears on /gongkai/), returns it with a reason, or withdraws it once published."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xuncha.accounts.permissions import Perm, require
from xuncha.audit.services import audit_record
from xuncha.common.actors import SYSTEM
from xuncha.common.exceptions import ServiceError
from xuncha.rectification.models import (
    Disclosure,
    DisclosureChannel,
    DisclosureState,
    Exemption,
    PlanState,
    RectificationPlan,
)

FIELDS = ("channel", "title", "text", "exemptions", "exemption_note")
MAX_TEXT = 20000
MAX_REASON = 1000


def _text(value: Any) -> str:
    return (value or "").replace("\x00", "").strip()


def _clean(data: dict[str, Any]) -> dict[str, Any]:
    channel = data.get("channel")
    if channel not in DisclosureChannel.values:
        raise ServiceError(_("请选择公开范围。"))
    title, text, note = _text(data.get("title")), _text(data.get("text")), _text(data.get("exemption_note"))
    exemptions = list(dict.fromkeys(data.get("exemptions") or []))
    if not title:
        raise ServiceError(_("请填写标题。"))
    if len(title) > 150:
        raise ServiceError(_("标题过长，请控制在150字以内。"))
    if not text:
        if channel == DisclosureChannel.PUBLIC:
            raise ServiceError(_("向社会公开的内容不能为空。"))
        raise ServiceError(_("请填写公开内容。"))
    if len(text) > MAX_TEXT:
        raise ServiceError(_("公开内容过长，请精简到%(n)s字以内。") % {"n": MAX_TEXT})
    if any(code not in Exemption.values for code in exemptions):
        raise ServiceError(_("不予公开的理由不正确。"))
    if exemptions and not note:
        raise ServiceError(_("选择了不予公开的理由，请在“不予公开说明”中写明不予公开的事项。"))
    if note and not exemptions:
        raise ServiceError(_("写了不予公开说明，请选择对应的不予公开理由（五种情形之一）。"))
    if len(note) > 300:
        raise ServiceError(_("不予公开说明过长，请控制在300字以内。"))
    return {"channel": channel, "title": title, "text": text, "exemptions": exemptions, "exemption_note": note}


def _snapshot(disclosure: Disclosure) -> dict[str, Any]:
    return {
        "channel": disclosure.channel,
        "title": disclosure.title,
        "exemptions": list(disclosure.exemptions),
        "exemption_note": disclosure.exemption_note,
        "state": disclosure.state,
        "text_length": len(disclosure.text),
    }


def _locked(disclosure: Disclosure) -> Disclosure:
    return (
        Disclosure.objects.select_for_update(of=("self",))
        .select_related("plan__feedback__target__unit", "plan__feedback__target__round__jurisdiction")
        .get(pk=disclosure.pk)
    )


@transaction.atomic
def disclosure_create(*, actor: Any, plan: RectificationPlan, **data: Any) -> Disclosure:
    plan = (
        RectificationPlan.objects.select_for_update(of=("self",))
        .select_related("feedback__target__unit")
        .get(pk=plan.pk)
    )
    require(actor, Perm.RECTIFY_EDIT, plan)
    if plan.state != PlanState.APPROVED:
        raise ServiceError(_("整改方案审核通过后才能公开整改情况。"))
    cleaned = _clean(data)
    disclosure = Disclosure.objects.create(plan=plan, created_by=None if actor is SYSTEM else actor, **cleaned)
    audit_record(actor=actor, action="rectification.disclosure.create", target=disclosure, after=_snapshot(disclosure))
    return disclosure


@transaction.atomic
def disclosure_update(*, actor: Any, disclosure: Disclosure, **data: Any) -> Disclosure:
    """The unit rewrites a draft (typically after the office returned it)."""
    disclosure = _locked(disclosure)
    require(actor, Perm.RECTIFY_EDIT, disclosure)
    if disclosure.state != DisclosureState.DRAFT:
        raise ServiceError(_("已审核公开或已撤回的内容不能再修改。"))
    before, cleaned = _snapshot(disclosure), _clean(data)
    for key, value in cleaned.items():
        setattr(disclosure, key, value)
    disclosure.save(update_fields=[*cleaned.keys(), "updated_at"])
    audit_record(
        actor=actor,
        action="rectification.disclosure.update",
        target=disclosure,
        before=before,
        after=_snapshot(disclosure),
    )
    return disclosure


def _review(actor: Any, disclosure: Disclosure, state: str) -> Disclosure:
    disclosure = _locked(disclosure)
    require(actor, Perm.RECTIFY_REVIEW, disclosure)
    if disclosure.state != state:
        raise ServiceError(
            _("该公开事项当前为“%(state)s”，不能执行该操作。") % {"state": disclosure.get_state_display()}
        )
    return disclosure


def _reason(reason: str, what: str) -> str:
    reason = _text(reason)
    if not reason:
        raise ServiceError(_("请填写%(what)s。") % {"what": what})
    if len(reason) > MAX_REASON:
        raise ServiceError(_("%(what)s过长，请精简到%(n)s字以内。") % {"what": what, "n": MAX_REASON})
    return reason


@transaction.atomic
def disclosure_approve(*, actor: Any, disclosure: Disclosure) -> Disclosure:
    disclosure = _review(actor, disclosure, DisclosureState.DRAFT)
    _clean(_snapshot(disclosure) | {"text": disclosure.text})  # a row written before the rules tightened
    disclosure.state = DisclosureState.APPROVED
    disclosure.published_on = timezone.localdate()
    disclosure.approved_by = None if actor is SYSTEM else actor
    disclosure.save(update_fields=["state", "published_on", "approved_by", "updated_at"])
    audit_record(
        actor=actor,
        action="rectification.disclosure.approve",
        target=disclosure,
        before={"state": DisclosureState.DRAFT},
        after={"state": disclosure.state, "published_on": disclosure.published_on.isoformat()},
    )
    return disclosure


@transaction.atomic
def disclosure_return(*, actor: Any, disclosure: Disclosure, reason: str) -> Disclosure:
    """Back to the unit with the reason; it stays a draft the unit rewrites (the reason is kept in
    the audit log and shown on the page until the unit saves again)."""
    disclosure = _review(actor, disclosure, DisclosureState.DRAFT)
    reason = _reason(reason, _("退回理由"))
    audit_record(
        actor=actor,
        action="rectification.disclosure.return",
        target=disclosure,
        before={"state": disclosure.state},
        after={"state": DisclosureState.DRAFT, "reason": reason},
    )
    return disclosure


@transaction.atomic
def disclosure_withdraw(*, actor: Any, disclosure: Disclosure, reason: str) -> Disclosure:
    disclosure = _review(actor, disclosure, DisclosureState.APPROVED)
    reason = _reason(reason, _("撤回理由"))
    disclosure.state = DisclosureState.WITHDRAWN
    disclosure.save(update_fields=["state", "updated_at"])
    audit_record(
        actor=actor,
        action="rectification.disclosure.withdraw",
        target=disclosure,
        before={"state": DisclosureState.APPROVED},
        after={"state": disclosure.state, "reason": reason},
    )
    return disclosure
