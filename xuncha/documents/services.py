"""Writes of the documents app: exports (each one audited) and replacement templates.

An export is a write in the sense of the house rules: it hands confidential material to a named
person, so it leaves an audit row saying who received which kind, from which template, and the
SHA-256 of the exact bytes (a leaked copy can be matched to its export).
"""

from __future__ import annotations

import hashlib
import io
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from docx import Document

from xuncha.accounts.models import OrgUnit
from xuncha.accounts.permissions import Perm
from xuncha.audit.services import audit_record
from xuncha.common.actors import require
from xuncha.common.exceptions import ServiceError
from xuncha.documents import contexts
from xuncha.documents.kinds import SPECS, DocumentKind
from xuncha.documents.models import DocumentTemplate
from xuncha.documents.rendering import render_docx, stamp_trace, trace_text
from xuncha.documents.resolver import template_source
from xuncha.documents.validation import check_template
from xuncha.files.checks import check_upload
from xuncha.files.services import file_store
from xuncha.files.sniff import KINDS
from xuncha.plans.models import Announcement, RoundTarget, Team

logger = logging.getLogger(__name__)

DOCX_CONTENT_TYPE = KINDS["docx"].content_type
_UNSAFE_IN_FILENAME = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]')


class DocumentUnavailable(ServiceError):
    """The document cannot exist yet (no announcement, no team): the view answers 404."""


@dataclass(frozen=True)
class Export:
    kind: str
    filename: str
    ascii_name: str
    content: bytes
    content_type: str = DOCX_CONTENT_TYPE


def recipient_name(actor: Any) -> str:
    return str(actor.get_full_name() if hasattr(actor, "get_full_name") else actor)


def _filename(*parts: str) -> str:
    return _UNSAFE_IN_FILENAME.sub("_", "-".join(p for p in parts if p)) + ".docx"


def render_for(
    *, actor: Any, kind: str, jurisdiction: OrgUnit, context: Callable[[], dict[str, Any]]
) -> tuple[bytes, Any]:
    """(the .docx for ``actor``, the replacement template used or None): the jurisdiction's
    template in force, rendered in the sandbox with ``context()`` and the recipient's trace line."""
    spec, when = SPECS[kind], timezone.now()
    # A 公文 is Chinese whatever language the reader's screen is in (choice labels, role names).
    with translation.override(settings.LANGUAGE_CODE):
        data = context()
        source, replacement = template_source(kind, jurisdiction)
        try:
            content = render_docx(
                source, data, recipient=recipient_name(actor), when=when, confidential=spec.confidential
            )
        except Exception:
            if replacement is None:
                raise  # our own template is broken: a bug, let it be seen
            # Checked when uploaded, so this is rare (a field whose data changed shape); the office
            # needs to know which template to fix, the log keeps the details.
            logger.exception("Replacement template %s failed to render", replacement.pk)
            raise ServiceError(
                _("本地区替换的%(kind)s模板无法生成文书，请巡察办重新上传或恢复默认模板。") % {"kind": spec.kind.label}
            )
    return content, replacement


def _export(
    *,
    actor: Any,
    kind: str,
    jurisdiction: OrgUnit,
    build: Callable[[], dict[str, Any]],
    filename: str,
    target: Any,
) -> Export:
    content, replacement = render_for(actor=actor, kind=kind, jurisdiction=jurisdiction, context=build)
    after = {
        "kind": kind,
        "recipient": recipient_name(actor),
        "template": replacement.pk if replacement else "default",
        "sha256": hashlib.sha256(content).hexdigest(),
    }
    with transaction.atomic():
        audit_record(actor=actor, action="documents.export", target=target, after=after)
    return Export(kind=kind, filename=filename, ascii_name=SPECS[kind].ascii_name, content=content)


def stored_docx_export(*, actor: Any, data: bytes, kind: str, filename: str, target: Any) -> Export:
    """A stored Word file (a report version, a feedback opinion as sent) handed to ``actor``: a
    trace line for this recipient is added to every footer, and the hand-over is audited."""
    document = Document(io.BytesIO(data))
    stamp_trace(document, trace_text(recipient_name(actor), timezone.now(), confidential=SPECS[kind].confidential))
    buffer = io.BytesIO()
    document.save(buffer)
    content = buffer.getvalue()
    after = {"kind": kind, "recipient": recipient_name(actor), "sha256": hashlib.sha256(content).hexdigest()}
    with transaction.atomic():
        audit_record(actor=actor, action="documents.export", target=target, after=after)
    return Export(kind=kind, filename=filename, ascii_name=SPECS[kind].ascii_name, content=content)


def team_authorisation_export(*, actor: Any, team: Team) -> Export:
    require(actor, Perm.ROUND_VIEW, team)
    rnd = team.round
    return _export(
        actor=actor,
        kind=DocumentKind.TEAM_AUTHORISATION,
        jurisdiction=rnd.jurisdiction,
        build=lambda: contexts.authorisation_context(team, today=timezone.localdate()),
        filename=_filename(_("巡察授权书"), rnd.name, str(team)),
        target=team,
    )


def entry_notice_export(*, actor: Any, target: RoundTarget) -> Export:
    require(actor, Perm.ROUND_MANAGE, target)
    if target.team_id is None:
        raise DocumentUnavailable(_("请先为%(unit)s分配巡察组，再生成进驻通知。") % {"unit": target.unit.name})
    return _export(
        actor=actor,
        kind=DocumentKind.ENTRY_NOTICE,
        jurisdiction=target.round.jurisdiction,
        build=lambda: contexts.entry_notice_context(target, today=timezone.localdate()),
        filename=_filename(_("巡察进驻通知"), target.unit.name),
        target=target,
    )


def announcement_export(*, actor: Any, target: RoundTarget) -> Export:
    require(actor, Perm.ROUND_VIEW, target)
    announcement = Announcement.objects.filter(target=target).first()
    if announcement is None or target.team_id is None:
        raise DocumentUnavailable(_("%(unit)s尚未发布巡察公告，无法生成公告文书。") % {"unit": target.unit.name})
    announcement.target = target  # already loaded with its round, unit and team
    return _export(
        actor=actor,
        kind=DocumentKind.ANNOUNCEMENT,
        jurisdiction=target.round.jurisdiction,
        build=lambda: contexts.announcement_context(announcement, today=timezone.localdate()),
        filename=_filename(_("巡察公告"), target.unit.name),
        target=target,
    )


# --- replacement templates --------------------------------------------------------------------


def _require_template_admin(actor: Any, jurisdiction: OrgUnit | None) -> None:
    if jurisdiction is None:  # installation-wide: only whoever runs the installation
        require(actor, Perm.ADMIN_SITE)
        return
    require(actor, Perm.ROUND_MANAGE, jurisdiction)
    if not jurisdiction.is_jurisdiction:
        raise ServiceError(_("公文模板只能按省、市、县（市、区）设置。"), code="template_scope")


def document_template_upload(*, actor: Any, kind: str, jurisdiction: OrgUnit | None, upload: File) -> DocumentTemplate:
    """Check ``upload`` (a .docx that renders the sample in the sandbox), store it and put it in
    force for ``jurisdiction``; the replacement it supersedes stays on record, inactive."""
    _require_template_admin(actor, jurisdiction)
    if kind not in SPECS:
        raise ServiceError(_("未知的公文种类。"), code="template_kind")
    checked = check_upload(upload)
    if checked.kind != "docx":
        raise ServiceError(_("公文模板须为 Word 文档（.docx）。"), code="template_not_docx")
    upload.seek(0)
    check_template(kind, upload.read())
    upload.seek(0)
    # Stored outside the transaction below: file_store writes the bytes before its own short
    # transaction (see files/services.py), and a template is small, so a failure after this
    # leaves at most an unused, audited file.
    stored = file_store(actor=actor, upload=upload, scope_unit=jurisdiction)
    with transaction.atomic():
        previous = DocumentTemplate.objects.select_for_update().filter(
            kind=kind, jurisdiction=jurisdiction, active=True
        )
        replaced = list(previous.values_list("pk", flat=True))
        previous.update(active=False)
        row = DocumentTemplate.objects.create(
            kind=kind,
            jurisdiction=jurisdiction,
            file=stored,
            uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        after = {"kind": kind, "file": str(stored.pk), "name": stored.original_name, "sha256": stored.sha256}
        audit_record(
            actor=actor, action="documents.template.upload", target=row, before={"active": replaced}, after=after
        )
    return row


def document_template_revert(*, actor: Any, kind: str, jurisdiction: OrgUnit | None) -> None:
    """Take the jurisdiction's own replacement out of force (the parent's or the default applies)."""
    _require_template_admin(actor, jurisdiction)
    with transaction.atomic():
        row = (
            DocumentTemplate.objects.select_for_update()
            .filter(kind=kind, jurisdiction=jurisdiction, active=True)
            .first()
        )
        if row is None:
            raise ServiceError(_("本地区没有在用的替换模板。"), code="template_none")
        row.active = False
        row.save(update_fields=["active"])
        audit_record(
            actor=actor,
            action="documents.template.revert",
            target=row,
            before={"active": True},
            after={"active": False},
        )
