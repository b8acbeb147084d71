"""Exports of the planning documents, each traced and audited (see ``xuncha.documents.services``)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from xuncha.accounts.permissions import Perm, require
from xuncha.documents.kinds import DocumentKind
from xuncha.documents.services import DocumentUnavailable, Export, docx_filename, traced_export
from xuncha.plans.documents import contexts
from xuncha.plans.models import Announcement, RoundTarget, Team


def team_authorisation_export(*, actor: Any, team: Team, source: str = "") -> Export:
    require(actor, Perm.ROUND_VIEW, team)
    rnd = team.round
    return traced_export(
        actor=actor,
        kind=DocumentKind.TEAM_AUTHORISATION,
        jurisdiction=rnd.jurisdiction,
        build=lambda: contexts.authorisation_context(team, today=timezone.localdate()),
        filename=docx_filename(_("巡察授权书"), rnd.name, str(team)),
        target=team,
        source=source,
    )


def entry_notice_export(*, actor: Any, target: RoundTarget, source: str = "") -> Export:
    require(actor, Perm.ROUND_MANAGE, target)
    if target.team_id is None:
        raise DocumentUnavailable(_("请先为%(unit)s分配巡察组，再生成进驻通知。") % {"unit": target.unit.name})
    return traced_export(
        actor=actor,
        kind=DocumentKind.ENTRY_NOTICE,
        jurisdiction=target.round.jurisdiction,
        build=lambda: contexts.entry_notice_context(target, today=timezone.localdate()),
        filename=docx_filename(_("巡察进驻通知"), target.unit.name),
        target=target,
        source=source,
    )


def announcement_export(*, actor: Any, target: RoundTarget, source: str = "") -> Export:
    require(actor, Perm.ROUND_VIEW, target)
    announcement = Announcement.objects.filter(target=target).first()
    if announcement is None or target.team_id is None:
        raise DocumentUnavailable(_("%(unit)s尚未发布巡察公告，无法生成公告文书。") % {"unit": target.unit.name})
    announcement.target = target  # already loaded with its round, unit and team
    return traced_export(
        actor=actor,
        kind=DocumentKind.ANNOUNCEMENT,
        jurisdiction=target.round.jurisdiction,
        build=lambda: contexts.announcement_context(announcement, today=timezone.localdate()),
        filename=docx_filename(_("巡察公告"), target.unit.name),
        target=target,
        source=source,
    )
