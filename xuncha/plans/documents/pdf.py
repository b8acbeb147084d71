"""The planning documents as PDF (版式文件): the same access check and export as the Word download
(``xuncha.plans.views.documents``), for the worker (``xuncha.documents.pdf_jobs``)."""

from __future__ import annotations

from typing import Any

from xuncha.accounts.permissions import Perm
from xuncha.documents.kinds import DocumentKind
from xuncha.documents.pdf_jobs import PdfSubject, register_pdf_source
from xuncha.plans.access import access_target, access_team
from xuncha.plans.documents.exports import announcement_export, entry_notice_export, team_authorisation_export


def team_authorisation_pdf(user: Any, pk: int) -> PdfSubject:
    team = access_team(user, pk, Perm.ROUND_VIEW)
    return PdfSubject(team, lambda source: team_authorisation_export(actor=user, team=team, source=source))


def entry_notice_pdf(user: Any, pk: int) -> PdfSubject:
    target = access_target(user, pk, Perm.ROUND_MANAGE)
    return PdfSubject(target, lambda source: entry_notice_export(actor=user, target=target, source=source))


def announcement_pdf(user: Any, pk: int) -> PdfSubject:
    target = access_target(user, pk, Perm.ROUND_VIEW)
    return PdfSubject(target, lambda source: announcement_export(actor=user, target=target, source=source))


register_pdf_source(
    "plans.team_authorisation", label=DocumentKind.TEAM_AUTHORISATION.label, fetch=team_authorisation_pdf
)
register_pdf_source("plans.entry_notice", label=DocumentKind.ENTRY_NOTICE.label, fetch=entry_notice_pdf)
register_pdf_source("plans.announcement", label=DocumentKind.ANNOUNCEMENT.label, fetch=announcement_pdf)
