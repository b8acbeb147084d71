"""The term plan and its coverage page (全覆盖: the gaps first)."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from xuncha.accounts.decorators import perm_required
from xuncha.accounts.permissions import Perm, has_perm
from xuncha.common.views_helpers import form_action
from xuncha.plans import selectors, services
from xuncha.plans.access import access_term
from xuncha.plans.forms import TermApproveForm, TermPlanForm


@require_GET
@perm_required(Perm.ROUND_VIEW)
def term_list(request):
    ctx = {
        "plans": selectors.term_plan_list(user=request.user),
        "can_manage": has_perm(request.user, Perm.ROUND_MANAGE),
    }
    return render(request, "plans/term_list.html", ctx)


@require_http_methods(["GET", "POST"])
@perm_required(Perm.ROUND_MANAGE)
def term_create(request):
    form = TermPlanForm(request.POST or None, user=request.user)
    ok, plan = form_action(request, form, lambda d: services.term_plan_create(actor=request.user, **d))
    if ok:
        messages.success(request, _("已建立届内巡察规划，列入 %(n)s 个单位。") % {"n": plan.plan_units.count()})
        return redirect(plan)
    return render(request, "plans/term_form.html", {"form": form})


@require_http_methods(["GET", "POST"])
def term_detail(request, pk):
    plan = access_term(request.user, pk)
    can_manage = has_perm(request.user, Perm.ROUND_MANAGE, plan)
    form = TermApproveForm(request.POST or None) if can_manage else None
    if form is not None:
        ok, _plan = form_action(
            request,
            form,
            lambda d: services.term_plan_approve(
                actor=request.user, plan=plan, meeting=d["meeting"], approved_on=d["approved_on"]
            ),
        )
        if ok:
            messages.success(request, _("已记录领导小组审议情况。"))
            return redirect(plan)
    rows = selectors.term_coverage(plan=plan)
    covered = sum(1 for r in rows if r.covered)
    ctx = {"plan": plan, "rows": rows, "covered": covered, "total": len(rows), "form": form}
    return render(request, "plans/term_detail.html", ctx)
