"""Filing a report, following it up with the receipt code, and the messages in between.

Every piece of the reporter's text is sealed under the report's own data key before it reaches
the database, with the field's name and the report's id as associated data (a ciphertext cannot
be moved to another field or report). Attachments are sniffed and size-checked like any evidence,
then cleaned of what could identify the sender (``files.scrub``: photo position, device, document
author), whatever the channel, since a letter's scan is the reporter's file as much as an upload;
only the cleaned bytes are sealed and written, so no one ever reads the original.
"""

from __future__ import annotations

import json
import logging
import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import PurePosixPath
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xuncha.accounts.permissions import Perm, require
from xuncha.audit.services import audit_record
from xuncha.common import crypto
from xuncha.common.actors import SYSTEM
from xuncha.common.exceptions import ServiceError
from xuncha.files.checks import CheckedUpload, check_uploads
from xuncha.files.scrub import scrub_upload
from xuncha.files.storage import evidence_storage
from xuncha.intake.models import Channel, Report, ReportAttachment, ReportMessage
from xuncha.intake.receipts import code_hash, new_code
from xuncha.intake.windows import is_open
from xuncha.intake.workflow import FINAL_STATES
from xuncha.plans.models import Announcement, Round

logger = logging.getLogger(__name__)

MAX_TEXT = 10_000
MAX_FILES = 10
CONTENT_FIELDS = ("people", "what", "when", "where", "amount")
CONTACT_FIELDS = ("name", "phone", "address")


@dataclass(frozen=True)
class Filed:
    report: Report
    code: str | None  # the receipt code, to show once (None for reports registered by staff)


def _clean(data: dict[str, Any], fields: tuple[str, ...], limit: int = MAX_TEXT) -> dict[str, str]:
    cleaned = {}
    for name in fields:
        value = str(data.get(name) or "").replace("\x00", "").strip()
        if len(value) > limit:
            raise ServiceError(_("内容过长，请精简到%(n)s字以内。") % {"n": limit})
        cleaned[name] = value
    return cleaned


def _next_number(rnd: Round) -> str:
    Round.objects.select_for_update().filter(pk=rnd.pk).first()  # one number at a time per round
    seq = Report.objects.filter(round=rnd).count() + 1
    return f"{rnd.year}-{rnd.number:02d}-{seq:04d}"


def _seal_json(dek: bytes, report_id: int, field: str, data: dict[str, Any]) -> bytes:
    return crypto.seal(dek, json.dumps(data, ensure_ascii=False).encode(), context=f"report:{report_id}:{field}")


def open_json(report: Report, field: str) -> dict[str, Any]:
    blob = getattr(report, field)
    if not blob:
        return {}
    dek = crypto.unwrap(report.wrapped_key)
    # What _seal_json sealed: a JSON object.
    opened: dict[str, Any] = json.loads(crypto.open_sealed(dek, bytes(blob), context=f"report:{report.pk}:{field}"))
    return opened


@transaction.atomic
def report_file(
    *,
    announcement: Announcement,
    content: dict[str, Any],
    contact: dict[str, Any] | None = None,
    uploads: list[Any] | None = None,
    channel: str = Channel.ONLINE,
    actor: Any = SYSTEM,
    received_on: date | None = None,
) -> Filed:
    """File a report about the announcement's unit. Online reports need the window open.

    ``received_on``: the day a letter, call or visit reached the team (registration may come
    later); online reports are received the moment they are filed.
    """
    announcement = Announcement.objects.select_related("target__round", "target__unit").get(pk=announcement.pk)
    if actor is not SYSTEM:
        # Staff register letters, calls, visits and mailbox reports for units they handle.
        require(actor, Perm.REPORT_HANDLE, announcement)
        if channel == Channel.ONLINE:
            raise ServiceError(_("网上举报由举报人自行提交，请选择来信、来电、来访或意见箱。"))
    if channel not in Channel.values:
        raise ServiceError(_("请选择来源。"))
    if channel == Channel.ONLINE and not is_open(announcement):
        raise ServiceError(_("该巡察组的举报受理期已结束，不再受理网上举报。"))
    today = timezone.localdate()
    received_on = today if channel == Channel.ONLINE or received_on is None else received_on
    if received_on > today:
        raise ServiceError(_("收到日期不能晚于今天。"))
    if received_on < today - timedelta(days=366):
        raise ServiceError(_("收到日期早于一年前，请核对。"))
    body = _clean(content, CONTENT_FIELDS)
    if not body["what"]:
        raise ServiceError(_("请写明反映的问题。"))
    who = _clean(contact or {}, CONTACT_FIELDS, limit=200)
    anonymous = not any(who.values())
    uploads = list(uploads or [])
    if len(uploads) > MAX_FILES:
        raise ServiceError(_("一次最多上传%(n)s个附件。") % {"n": MAX_FILES})
    checked = check_uploads(uploads) if uploads else []
    rnd = announcement.target.round
    key = crypto.new_data_key()
    code = new_code() if channel == Channel.ONLINE else None
    report = Report.objects.create(
        round=rnd,
        target=announcement.target,
        intake_no=_next_number(rnd),
        channel=channel,
        anonymous=anonymous,
        wrapped_key=key.wrapped,
        content=b"",
        receipt_hash=code_hash(code) if code else None,
        received_on=received_on,
        registered_by=None if actor is SYSTEM else actor,
    )
    report.content = _seal_json(key.plain, report.pk, "content", body)
    report.contact = None if anonymous else _seal_json(key.plain, report.pk, "contact", who)
    report.save(update_fields=["content", "contact"])
    written: list[str] = []
    try:
        for number, item in enumerate(checked, start=1):
            written.append(_store_attachment(report, key.plain, item, number).storage_name)
    except BaseException:
        # A later file that cannot be cleaned refuses the report: the files before it must go too.
        _remove_files(written)
        raise
    # The audit row names the report, never its content or who sent it.
    audit_record(
        actor=actor, action="intake.report.file", target=report, after={"channel": channel, "files": len(checked)}
    )
    return Filed(report, code)


def _remove_files(names: list[str]) -> None:
    storage = evidence_storage()
    for name in names:
        try:
            storage.delete(name)
        except OSError:
            logger.exception("Could not remove %s after a refused report", name)


def neutral_name(checked: CheckedUpload, number: int) -> str:
    """The name the team sees: "附件1.jpg". A phone or chat app names a photo after the moment it
    was taken (IMG_20260912_102030.jpg, mmexport1694…) or after the device, and a document after
    its author's habits: the original name is as identifying as the metadata, so it is dropped."""
    suffix = PurePosixPath(checked.name).suffix.lower()
    return _("附件%(n)d") % {"n": number} + (suffix if suffix.isascii() and len(suffix) <= 6 else "")


def _store_attachment(report: Report, dek: bytes, checked: CheckedUpload, number: int) -> ReportAttachment:
    data = scrub_upload(checked)  # before the row: a file that cannot be cleaned leaves nothing
    row = ReportAttachment.objects.create(
        report=report, storage_name=f"reports/{uuid.uuid4().hex}", name=b"", kind=checked.kind, size=len(data)
    )
    sealed = crypto.seal(dek, data, context=f"report:{report.pk}:file:{row.pk}")
    saved = evidence_storage().save(row.storage_name, ContentFile(sealed))
    row.storage_name = saved
    name = neutral_name(checked, number)
    row.name = crypto.seal(dek, name.encode(), context=f"report:{report.pk}:filename:{row.pk}")
    row.save(update_fields=["storage_name", "name"])
    return row


def attachment_open(attachment: ReportAttachment) -> tuple[str, bytes]:
    """(original name, plaintext bytes) of an attachment, for an authorised staff view."""
    dek = crypto.unwrap(attachment.report.wrapped_key)
    with evidence_storage().open(attachment.storage_name, "rb") as fh:
        sealed = fh.read()
    data = crypto.open_sealed(dek, sealed, context=f"report:{attachment.report_id}:file:{attachment.pk}")
    name = crypto.open_sealed(
        dek, bytes(attachment.name), context=f"report:{attachment.report_id}:filename:{attachment.pk}"
    )
    return name.decode(), data


def report_by_code(code: str) -> Report | None:
    return Report.objects.filter(receipt_hash=code_hash(code)).select_related("target__unit", "round").first()


@transaction.atomic
def message_add(*, report: Report, side: str, text: str, actor: Any = SYSTEM) -> ReportMessage:
    text = (text or "").replace("\x00", "").strip()
    if report.purged_at:
        raise ServiceError(_("该举报已超过保存期限，内容已清除。"))
    if side == ReportMessage.Side.REPORTER and report.state in FINAL_STATES:
        raise ServiceError(_("该举报已办理完毕，不再接收补充材料；如有新的问题，请重新举报。"))
    if not text:
        raise ServiceError(_("请填写内容。"))
    if len(text) > 5000:
        raise ServiceError(_("内容过长，请精简到%(n)s字以内。") % {"n": 5000})
    dek = crypto.unwrap(report.wrapped_key)
    msg = ReportMessage.objects.create(report=report, side=side, body=b"", author=None if actor is SYSTEM else actor)
    msg.body = crypto.seal(dek, text.encode(), context=f"report:{report.pk}:message:{msg.pk}")
    msg.save(update_fields=["body"])
    audit_record(actor=actor, action=f"intake.message.{side}", target=report, after={"message": msg.pk})
    return msg


def message_text(msg: ReportMessage) -> str:
    dek = crypto.unwrap(msg.report.wrapped_key)
    return crypto.open_sealed(dek, bytes(msg.body), context=f"report:{msg.report_id}:message:{msg.pk}").decode()
