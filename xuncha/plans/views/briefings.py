"""Pre-entry briefings, recusal declarations, team particulars, the term plan's minutes."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from xuncha.accounts.decorators import perm_required
from xuncha.accounts.permissions import Perm, has_perm, scope_queryset
from xuncha.common.pagination import paginate
from xuncha.common.views_helpers import form_action, post_action
from xuncha.files.responses import stored_file_response
from xuncha.plans import services
from xuncha.plans.access import access_round, access_team, access_term
from xuncha.plans.forms import BriefingForm, DeclarationForm, ReasonForm, TeamForm
from xuncha.plans.models import Briefing, RecusalDeclaration


@require_http_methods(["GET", "POST"])
def briefing_add(request, pk):
    rnd = access_round(request.user, pk, Perm.ROUND_MANAGE)
    form = BriefingForm(request.POST or None, request.FILES or None)
    ok, briefing = form_action(request, form, lambda d: services.briefing_add(actor=request.user, rnd=rnd, **d))
    if ok:
        messages.success(request, _("已登记情况通报：%(title)s。") % {"title": briefing.title})
        return redirect(rnd)
    return render(request, "plans/briefing_form.html", {"form": form, "rnd": rnd})


@require_GET
def briefing_file(request, pk, file_pk):
    # The briefings are working material for the teams (the commission's and the organisation
    # department's account of the unit's cadres): the fieldwork code, not the round's, opens them.
    briefing = scope_queryset(request.user, Perm.FIELDWORK_VIEW, Briefing.objects.all()).filter(pk=pk).first()
    stored = briefing.attachments.filter(pk=file_pk).first() if briefing else None
    if stored is None:
        raise Http404
    return stored_file_response(request, stored, target=briefing.round, what=f"briefing {briefing.pk}")


@require_GET
def term_minutes(request, pk):
    plan = access_term(request.user, pk)
    if plan.minutes is None:
        raise Http404
    return stored_file_response(request, plan.minutes, target=plan, what="minutes")


@require_http_methods(["GET", "POST"])
def team_edit(request, pk):
    team = access_team(request.user, pk, Perm.TEAM_MANAGE)
    initial = {f: getattr(team, f) for f in ("branch_secretary", "phone", "mailbox", "email")}
    form = TeamForm(request.POST or None, initial=initial, team=team)
    ok, _team = form_action(request, form, lambda d: services.team_update(actor=request.user, team=team, **d))
    if ok:
        messages.success(request, _("巡察组信息已保存。"))
        return redirect(team)
    return render(request, "plans/team_form.html", {"form": form, "team": team})


@require_GET
@perm_required(Perm.TEAM_MANAGE)
def declaration_list(request):
    qs = scope_queryset(request.user, Perm.TEAM_MANAGE, RecusalDeclaration.objects.all())
    page = paginate(request, qs.select_related("person__unit", "unit").order_by("withdrawn", "-created_at"))
    return render(request, "plans/declaration_list.html", {"page": page})


@require_http_methods(["GET", "POST"])
@perm_required(Perm.TEAM_MANAGE)
def declaration_add(request):
    form = DeclarationForm(request.POST or None, user=request.user)
    ok, _d = form_action(request, form, lambda d: services.declaration_add(actor=request.user, **d))
    if ok:
        messages.success(request, _("回避申报已登记，编组时将据此审查。"))
        return redirect("plans:declaration_list")
    return render(request, "plans/declaration_form.html", {"form": form})


@require_POST
def declaration_withdraw(request, pk):
    declaration = scope_queryset(request.user, Perm.TEAM_MANAGE, RecusalDeclaration.objects.all()).filter(pk=pk).first()
    if declaration is None or not has_perm(request.user, Perm.TEAM_MANAGE, declaration):
        raise Http404
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    return post_action(
        request,
        lambda: services.declaration_withdraw(actor=request.user, declaration=declaration, reason=reason),
        _("回避申报已撤回。"),
        "plans:declaration_list",
    )
