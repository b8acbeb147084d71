"""The office's replacement templates: upload (checked in the sandbox) and revert."""

from __future__ import annotations

import hashlib
from typing import Any

from django.core.files import File
from django.db import transaction
from django.utils.translation import gettext as _

from xuncha.accounts.models import OrgUnit
from xuncha.accounts.permissions import Perm, require
from xuncha.audit.services import audit_record
from xuncha.common.exceptions import ServiceError
from xuncha.documents.kinds import SPECS
from xuncha.documents.models import DocumentTemplate
from xuncha.documents.validation import check_template, template_limits
from xuncha.files.checks import check_upload, clean_original_name
from xuncha.files.services import file_store


def _require_template_admin(actor: Any, jurisdiction: OrgUnit | None) -> None:
    if jurisdiction is None:  # installation-wide: only whoever runs the installation
        require(actor, Perm.ADMIN_SITE)
        return
    require(actor, Perm.ROUND_MANAGE, jurisdiction)
    if not jurisdiction.is_jurisdiction:
        raise ServiceError(_("公文模板只能按省、市、县（市、区）设置。"), code="template_scope")


def _record_refusal(
    *, actor: Any, kind: str, jurisdiction: OrgUnit | None, upload: File, refusal: ServiceError
) -> None:
    """A refused template is kept on record (who tried what, and why), though nothing is stored:
    a template that tries to reach Python internals is worth knowing about."""
    upload.seek(0)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="documents.template.refused",
            target_type=DocumentTemplate._meta.label_lower,
            target_repr=str(SPECS[kind].kind.label),
            scope_unit=jurisdiction,
            after={
                "kind": kind,
                "name": clean_original_name(upload.name or "")[:200],
                "size": upload.size,
                "sha256": digest.hexdigest(),
                "code": getattr(refusal, "code", None) or "",
                "reason": " ".join(refusal.messages)[:1000],
            },
        )


def document_template_upload(*, actor: Any, kind: str, jurisdiction: OrgUnit | None, upload: File) -> DocumentTemplate:
    """Check ``upload`` (a .docx; every branch read, the sample and its variants rendered in the
    sandbox under the render limits, the result in GB/T 9704 form: ``validation.check_template``),
    store it and put it in force for ``jurisdiction``; the replacement it supersedes stays on
    record, inactive. A refusal stores nothing and is audited."""
    _require_template_admin(actor, jurisdiction)
    if kind not in SPECS:
        raise ServiceError(_("未知的公文种类。"), code="template_kind")
    try:
        checked = check_upload(upload, limits=template_limits())
        if checked.kind != "docx":
            raise ServiceError(_("公文模板须为 Word 文档（.docx）。"), code="template_not_docx")
        upload.seek(0)
        check_template(kind, upload.read(), name=checked.name)
    except ServiceError as exc:
        _record_refusal(actor=actor, kind=kind, jurisdiction=jurisdiction, upload=upload, refusal=exc)
        raise
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
