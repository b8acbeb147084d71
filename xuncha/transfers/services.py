"""Transfers: send one (with its letter and package), then each step of TRANSFER_WORKFLOW.

Sending checks that the receiving body has someone to receive it (an active account holding the
receiver role for that kind over that body): a transfer nobody can open would be dropped.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from xuncha.accounts.models import OrgUnit, RoleAssignment
from xuncha.accounts.permissions import Perm, Role, require
from xuncha.audit.services import audit_record
from xuncha.common.actors import SYSTEM
from xuncha.common.exceptions import ServiceError
from xuncha.documents.kinds import DocumentKind
from xuncha.documents.services import render_for
from xuncha.files.services import file_store_many
from xuncha.transfers.documents import transfer_letter_context
from xuncha.transfers.models import Disposal, Transfer, TransferAttachment, TransferKind
from xuncha.transfers.workflow import TRANSFER_WORKFLOW
from xuncha.workflow import Step

# Keyed by the stored value (a TransferKind is a str).
RECEIVER_ROLES: dict[str, set[Role]] = {
    TransferKind.CLUE: {Role.DISCIPLINE_RECEIVER},
    TransferKind.PERSONNEL: {Role.ORGANISATION_RECEIVER},
    TransferKind.SECTOR: {Role.SECTOR_RECEIVER},
    TransferKind.OTHER: {Role.DISCIPLINE_RECEIVER, Role.ORGANISATION_RECEIVER, Role.SECTOR_RECEIVER},
}
MAX_TEXT = 10_000


def has_receiver(unit: OrgUnit, kind: str) -> bool:
    """Is there an active account that receives ``kind`` for ``unit`` (a grant over it or above)?"""
    paths = [unit.path[:end] for end in range(unit.steplen, len(unit.path) + 1, unit.steplen)]
    return RoleAssignment.objects.filter(
        Q(scope__path__in=paths),
        role__in=RECEIVER_ROLES[kind],
        revoked_at__isnull=True,
        user__is_active=True,
        scope__is_active=True,
    ).exists()


def _check(round_: Any, target: Any, kind: str, receiver: OrgUnit, data: dict[str, Any]) -> None:
    if kind not in TransferKind.values:
        raise ServiceError(_("请选择移交类别。"))
    if not receiver.path.startswith(round_.jurisdiction.path):
        raise ServiceError(_("接收单位须在本地区内。"))
    if not has_receiver(receiver, kind):
        raise ServiceError(
            _("%(unit)s没有可以接收%(kind)s的承办人账户，请先为其授予相应角色。")
            % {"unit": receiver.name, "kind": TransferKind(kind).label}
        )
    if target is not None and target.round_id != round_.pk:
        raise ServiceError(_("被巡察单位须是本轮的巡察对象。"))
    if not (data.get("title") or "").strip() or not (data.get("summary") or "").strip():
        raise ServiceError(_("请填写事由和主要内容。"))
    if len(data.get("summary") or "") > MAX_TEXT:
        raise ServiceError(_("主要内容过长，请精简到%(n)s字以内。") % {"n": MAX_TEXT})


@transaction.atomic
def transfer_send(
    *,
    actor: Any,
    round: Any,
    kind: str,
    receiver: OrgUnit,
    title: str,
    summary: str,
    target: Any = None,
    persons: str = "",
    persons_count: int = 0,
    doc_no: str = "",
    secrecy: str = "机密",
    problems: list[Any] | None = None,
    papers: list[Any] | None = None,
    uploads: list[Any] | None = None,
    sent_on: date | None = None,
) -> Transfer:
    require(actor, Perm.TRANSFER_SEND, round)
    data = {"title": title, "summary": summary}
    _check(round, target, kind, receiver, data)
    problems, papers = list(problems or []), list(papers or [])
    if any(p.round_id != round.pk for p in problems) or any(p.team.round_id != round.pk for p in papers):
        raise ServiceError(_("相关问题和底稿须属于本轮巡察。"))
    sent_on = sent_on or timezone.localdate()
    if sent_on > timezone.localdate():
        raise ServiceError(_("移交日期不能晚于今天。"))
    transfer = Transfer.objects.create(
        round=round,
        team=target.team if target is not None else None,
        target=target,
        kind=kind,
        receiver=receiver,
        doc_no=doc_no.strip(),
        secrecy=secrecy,
        title=title.strip()[:200],
        summary=summary.strip(),
        persons=persons.strip()[:500],
        persons_count=max(0, int(persons_count or 0)),
        sent_on=sent_on,
        sent_by=None if actor is SYSTEM else actor,
    )
    transfer.problems.set(problems)
    transfer.papers.set(papers)
    if uploads:
        for stored in file_store_many(actor=actor, uploads=uploads, scope_unit=receiver):
            TransferAttachment.objects.create(transfer=transfer, file=stored, description=stored.original_name)
    content, _template = render_for(
        kind=DocumentKind.TRANSFER_LETTER,
        jurisdiction=round.jurisdiction,
        context=lambda: transfer_letter_context(transfer),
    )
    name = _("移交函-%(title)s.docx") % {"title": transfer.title[:40]}
    transfer.letter = file_store_many(
        actor=actor, uploads=[ContentFile(content, name=name)], scope_unit=round.jurisdiction
    )[0]
    transfer.save(update_fields=["letter"])
    audit_record(
        actor=actor,
        action="transfers.transfer.send",
        target=transfer,
        after={
            "kind": kind,
            "receiver": receiver.pk,
            "persons": transfer.persons_count,
            "problems": [p.pk for p in problems],
            "papers": [p.pk for p in papers],
        },
    )
    return transfer


@transaction.atomic
def transfer_transition(*, obj: Transfer, action: str, actor: Any, data: dict[str, Any] | None = None) -> Transfer:
    moved: Transfer = TRANSFER_WORKFLOW.apply(
        obj,
        action,
        actor=actor,
        data=data,
        queryset=Transfer.objects.select_related("receiver"),
        check=_check_step,
        effect=_transfer_step,
    ).obj  # Applied.obj is Any: the row it moved
    return moved


def _check_step(step: Step) -> None:
    if step.action == "report" and len(str(step.data.get("result") or "").strip()) > MAX_TEXT:
        raise ServiceError(_("办理结果过长，请精简到%(n)s字以内。") % {"n": MAX_TEXT})


def _transfer_step(step: Step) -> None:
    today = timezone.localdate()
    if step.action == "acknowledge":
        step.set(acknowledged_on=today)
    if step.action == "dispose":
        step.set(disposal=step.data["disposal"])
        step.comment = step.comment or str(Disposal(step.obj.disposal).label)
    if step.action == "report":
        step.set(result=str(step.data["result"]).strip(), reported_on=today)
    if step.action == "close":
        step.set(closed_on=today)
    step.audit["disposal"] = step.obj.disposal
