"""A plan's follow-up page (整改成效与督查), return visits, and the results the unit enters: the
life meeting, rules made, money recovered."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from xuncha.accounts.permissions import Perm
from xuncha.common.exceptions import ServiceError
from xuncha.common.views_helpers import form_action
from xuncha.rectification.access import access_plan
from xuncha.rectification.forms_followup import (
    FindingFormSet,
    LifeMeetingForm,
    MechanismForm,
    RecoveryForm,
    VisitForm,
    reopenable,
)
from xuncha.rectification.models import LifeMeeting
from xuncha.rectification.selectors import followup as selectors
from xuncha.rectification.services import results as results_services
from xuncha.rectification.services import visits as visit_services


def followup_url(plan) -> str:
    return reverse("rectification:plan_followup", args=[plan.pk])


@require_GET
def plan_followup(request, pk):
    plan = access_plan(request.user, pk)
    return render(
        request, "rectification/plan_followup.html", {"plan": plan, **selectors.followup(user=request.user, plan=plan)}
    )


@require_http_methods(["GET", "POST"])
def visit_add(request, pk):
    plan = access_plan(request.user, pk, Perm.RECTIFY_SUPERVISE)
    form = VisitForm(request.POST or None, initial={"visited_on": timezone.localdate()})
    findings = FindingFormSet(request.POST or None, prefix="findings", form_kwargs={"plan": plan})
    if request.method == "POST" and form.is_valid() and findings.is_valid():
        try:
            visit = visit_services.visit_record(
                actor=request.user, plan=plan, findings=findings.rows(), **form.cleaned_data
            )
        except ServiceError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("已记录回访督查情况。"))
            return redirect(visit)
    ctx = {"plan": plan, "form": form, "findings": findings, "reopenable": reopenable(plan)}
    return render(request, "rectification/visit_form.html", ctx)


@require_GET
def visit_detail(request, pk):
    visit = selectors.visit_get(user=request.user, pk=pk)
    findings = visit.findings.select_related("task")
    return render(
        request, "rectification/visit_detail.html", {"visit": visit, "plan": visit.plan, "findings": findings}
    )


def _results_plan(request, pk):
    """The unit enters its own results; the office may too. Anyone else: 404."""
    plan = access_plan(request.user, pk)
    if not results_services.may_enter_results(request.user, plan):
        raise Http404
    return plan


@require_http_methods(["GET", "POST"])
def life_meeting_edit(request, pk):
    plan = _results_plan(request, pk)
    meeting = LifeMeeting.objects.filter(plan=plan).first()
    initial = {f: getattr(meeting, f) for f in results_services.MEETING_FIELDS} if meeting else {}
    form = LifeMeetingForm(request.POST or None, initial=initial)
    done, _meeting = form_action(
        request, form, lambda d: results_services.life_meeting_save(actor=request.user, plan=plan, **d)
    )
    if done:
        messages.success(request, _("已保存专题民主生活会情况。"))
        return redirect(followup_url(plan))
    ctx = {"plan": plan, "form": form, "due": selectors.meeting_due(plan, meeting)}
    return render(request, "rectification/results_life_meeting.html", ctx)


@require_http_methods(["GET", "POST"])
def mechanism_add(request, pk):
    plan = _results_plan(request, pk)
    form = MechanismForm(request.POST or None, plan=plan)
    done, _m = form_action(
        request, form, lambda d: results_services.mechanism_create(actor=request.user, plan=plan, **d)
    )
    if done:
        messages.success(request, _("已登记建章立制情况。"))
        return redirect(followup_url(plan))
    return render(request, "rectification/results_mechanism.html", {"plan": plan, "form": form})


@require_http_methods(["GET", "POST"])
def recovery_add(request, pk):
    plan = _results_plan(request, pk)
    form = RecoveryForm(request.POST or None, plan=plan)
    done, _r = form_action(
        request, form, lambda d: results_services.recovery_create(actor=request.user, plan=plan, **d)
    )
    if done:
        messages.success(request, _("已登记挽回经济损失情况。"))
        return redirect(followup_url(plan))
    return render(request, "rectification/results_recovery.html", {"plan": plan, "form": form})
