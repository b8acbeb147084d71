"""Immediate-fix notices: the unit's inbox, the office's tracking list."""

from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from xuncha.accounts.decorators import perm_required
from xuncha.accounts.permissions import Perm, has_perm
from xuncha.common.pagination import paginate
from xuncha.common.views_helpers import post_form_action
from xuncha.fieldwork import selectors, services
from xuncha.fieldwork.access import access_fix
from xuncha.fieldwork.filters import FixFilter
from xuncha.fieldwork.forms import FixRespondForm, FixReviewForm
from xuncha.fieldwork.models import FixState


@require_GET
@perm_required(Perm.FIX_VIEW)
def fix_list(request):
    filterset = FixFilter(request.GET, selectors.fix_list(user=request.user))
    ctx = {
        "page": paginate(request, filterset.qs),
        "state": filterset.valid_data.get("state") or "",
        "states": FixState.choices,
    }
    return render(request, "fieldwork/fix_list.html", ctx)


@require_GET
def fix_detail(request, pk):
    notice = access_fix(request.user, pk)
    can_respond = has_perm(request.user, Perm.FIX_RESPOND, notice) and notice.state in (
        FixState.ISSUED,
        FixState.RETURNED,
    )
    can_review = has_perm(request.user, Perm.FIX_REVIEW, notice) and notice.state == FixState.ANSWERED
    # The unit sees the requirement, never the paper behind it.
    show_paper = has_perm(request.user, Perm.FIELDWORK_VIEW, notice.paper)
    ctx = {
        "notice": notice,
        "respond_form": FixRespondForm() if can_respond else None,
        "review_form": FixReviewForm() if can_review else None,
        "show_paper": show_paper,
    }
    return render(request, "fieldwork/fix_detail.html", ctx)


@require_POST
def fix_respond(request, pk):
    notice = access_fix(request.user, pk, Perm.FIX_RESPOND)
    return post_form_action(
        request,
        FixRespondForm(request.POST),
        lambda d: services.fix_respond(actor=request.user, notice=notice, **d),
        _("已反馈整改情况。"),
        notice,
    )


@require_POST
def fix_review(request, pk):
    notice = access_fix(request.user, pk, Perm.FIX_REVIEW)
    return post_form_action(
        request,
        FixReviewForm(request.POST),
        lambda d: services.fix_review(actor=request.user, notice=notice, **d),
        _("验收意见已保存。"),
        notice,
    )
