"""Accountability pages: record and correct a decision for a plan; the office's list with statistics."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from xuncha.accounts.decorators import perm_required
from xuncha.accounts.permissions import Perm
from xuncha.common.pagination import paginate
from xuncha.common.views_helpers import form_action
from xuncha.rectification.access import access_plan, access_plan_record
from xuncha.rectification.filters import AccountabilityFilter
from xuncha.rectification.forms_followup import AccountabilityRecordForm
from xuncha.rectification.models import Accountability
from xuncha.rectification.selectors import accountability as selectors
from xuncha.rectification.services import accountability as services
from xuncha.rectification.views.followup import followup_url


def _fields(d):
    return {k: v for k, v in d.items() if k != "problems"}


@require_http_methods(["GET", "POST"])
def accountability_add(request, pk):
    plan = access_plan(request.user, pk, Perm.RECTIFY_SUPERVISE)
    form = AccountabilityRecordForm(request.POST or None, plan=plan, initial={"decided_on": timezone.localdate()})
    done, _record = form_action(
        request,
        form,
        lambda d: services.accountability_create(
            actor=request.user, plan=plan, problems=list(d["problems"]), **_fields(d)
        ),
    )
    if done:
        messages.success(request, _("已登记问责情况。"))
        return redirect(followup_url(plan))
    return render(request, "rectification/accountability_form.html", {"plan": plan, "form": form, "record": None})


@require_http_methods(["GET", "POST"])
def accountability_edit(request, pk):
    record = access_plan_record(request.user, Accountability, pk, Perm.RECTIFY_SUPERVISE)
    plan = record.plan
    form = AccountabilityRecordForm(
        request.POST or None, plan=plan, initial=AccountabilityRecordForm.initial_from(record)
    )
    done, _record = form_action(
        request,
        form,
        lambda d: services.accountability_update(
            actor=request.user, record=record, problems=list(d["problems"]), **_fields(d)
        ),
    )
    if done:
        messages.success(request, _("已修改问责情况。"))
        return redirect(followup_url(plan))
    return render(request, "rectification/accountability_form.html", {"plan": plan, "form": form, "record": record})


@require_GET
@perm_required(Perm.RECTIFY_SUPERVISE)
def accountability_list(request):
    every = selectors.accountability_list(user=request.user)
    rounds, units = selectors.filter_choices(every)
    filterset = AccountabilityFilter(request.GET, every, rounds=rounds, units=units)
    qs = filterset.qs
    page = paginate(request, qs.prefetch_related("problems"))
    ctx = {"form": filterset.form, "page": page, "stats": selectors.accountability_stats(qs)}
    return render(request, "rectification/accountability_list.html", ctx)
