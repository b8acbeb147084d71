"""The reporter's identity: sealed, hidden from every page, shown only to the custodian (the
office head) who unlocks it for a recorded reason. Each look is a row and an audit record."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from xuncha.accounts.permissions import Perm, require
from xuncha.audit.services import audit_record
from xuncha.common.exceptions import ServiceError
from xuncha.intake.models import IdentityUnlock, Report
from xuncha.intake.services.filing import open_json

MIN_REASON = 10


@transaction.atomic
def identity_unlock(*, report: Report, actor: Any, reason: str) -> dict[str, str]:
    """Record the unlock and return the identity (name, phone, address) for this one response."""
    require(actor, Perm.REPORT_UNLOCK, report)
    reason = (reason or "").replace("\x00", "").strip()
    if len(reason) < MIN_REASON:
        raise ServiceError(_("请写明解锁理由（不少于%(n)s字），理由将记入审计日志。") % {"n": MIN_REASON})
    if len(reason) > 500:
        raise ServiceError(_("解锁理由过长，请精简到%(n)s字以内。") % {"n": 500})
    if report.anonymous or not report.contact:
        raise ServiceError(_("该举报为匿名举报，没有可解锁的身份信息。"))
    if report.purged_at:
        raise ServiceError(_("该举报已超过保存期限，内容已清除。"))
    unlock = IdentityUnlock.objects.create(report=report, custodian=actor, reason=reason)
    audit_record(
        actor=actor, action="intake.identity.unlock", target=report, after={"unlock": unlock.pk, "reason": reason}
    )
    return open_json(report, "contact")
