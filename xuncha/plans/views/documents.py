"""Downloads of the planning documents (授权书, 进驻通知, 公告), traced per recipient."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from xuncha.accounts.permissions import Perm
from xuncha.documents.views import export_download
from xuncha.plans.access import access_target, access_team
from xuncha.plans.documents.exports import announcement_export, entry_notice_export, team_authorisation_export


@require_GET
@never_cache
def team_authorisation(request: HttpRequest, pk: int) -> HttpResponse:
    team = access_team(request.user, pk, Perm.ROUND_VIEW)
    return export_download(
        request, lambda: team_authorisation_export(actor=request.user, team=team, source=request.get_full_path())
    )


@require_GET
@never_cache
def entry_notice(request: HttpRequest, pk: int) -> HttpResponse:
    target = access_target(request.user, pk, Perm.ROUND_MANAGE)
    return export_download(
        request, lambda: entry_notice_export(actor=request.user, target=target, source=request.get_full_path())
    )


@require_GET
@never_cache
def announcement(request: HttpRequest, pk: int) -> HttpResponse:
    target = access_target(request.user, pk, Perm.ROUND_VIEW)
    return export_download(
        request, lambda: announcement_export(actor=request.user, target=target, source=request.get_full_path())
    )
