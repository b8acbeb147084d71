"""Rounds: list, create, the round page (targets, teams, state actions) and its targets."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from xuncha.accounts.decorators import perm_required
from xuncha.accounts.permissions import Perm, has_perm
from xuncha.common.pagination import paginate
from xuncha.common.views_helpers import form_action, post_action
from xuncha.plans import selectors, services
from xuncha.plans.access import access_round, access_target
from xuncha.plans.forms import AnnouncementForm, AssignTeamForm, RoundEditForm, RoundForm, TargetForm, TransitionForm
from xuncha.plans.workflow import EDITABLE_STATES, ROUND_WORKFLOW


@require_GET
@perm_required(Perm.ROUND_VIEW)
def round_list(request):
    page = paginate(request, selectors.round_list(user=request.user))
    return render(
        request, "plans/round_list.html", {"page": page, "can_manage": has_perm(request.user, Perm.ROUND_MANAGE)}
    )


@require_http_methods(["GET", "POST"])
@perm_required(Perm.ROUND_MANAGE)
def round_create(request):
    form = RoundForm(request.POST or None, user=request.user)
    ok, rnd = form_action(request, form, lambda d: services.round_create(actor=request.user, **d))
    if ok:
        messages.success(request, _("已创建“%(name)s”，请确定巡察对象。") % {"name": rnd.name})
        return redirect(rnd)
    return render(request, "plans/round_form.html", {"form": form, "rnd": None})


@require_http_methods(["GET", "POST"])
def round_edit(request, pk):
    rnd = access_round(request.user, pk, Perm.ROUND_MANAGE)
    fields = ("name", "focus_list", "entry_date", "exit_date")
    form = RoundEditForm(request.POST or None, initial={f: getattr(rnd, f) for f in fields}, user=request.user)
    ok, _rnd = form_action(request, form, lambda d: services.round_update(actor=request.user, rnd=rnd, **d))
    if ok:
        messages.success(request, _("轮次信息已保存。"))
        return redirect(rnd)
    return render(request, "plans/round_form.html", {"form": form, "rnd": rnd})


@require_GET
def round_detail(request, pk):
    rnd = access_round(request.user, pk)
    can_manage = has_perm(request.user, Perm.ROUND_MANAGE, rnd)
    ctx = {
        "rnd": rnd,
        "targets": selectors.round_targets(user=request.user, rnd=rnd),
        "teams": selectors.round_teams(user=request.user, rnd=rnd),
        "actions": selectors.round_actions(user=request.user, rnd=rnd),
        "events": rnd.events.select_related("actor"),
        "can_manage": can_manage,
        "editable": can_manage and rnd.state in EDITABLE_STATES,
        "show_transfers": has_perm(request.user, Perm.TRANSFER_VIEW, rnd),
        "transition_form": TransitionForm(),
        "notice_due": selectors.entry_notice_due(rnd=rnd),
        # Briefings are the teams' working material: the leading group sees the round, not them.
        "show_briefings": has_perm(request.user, Perm.FIELDWORK_VIEW, rnd),
        "briefings": selectors.round_briefings(user=request.user, rnd=rnd),
    }
    return render(request, "plans/round_detail.html", ctx)


@require_POST
def round_transition(request, pk, action):
    transition = ROUND_WORKFLOW.get(action)
    if transition is None:
        raise Http404
    rnd = access_round(request.user, pk, transition.perm)
    form = TransitionForm(request.POST)
    data = form.cleaned_data if form.is_valid() else {}
    label = transition.label
    return post_action(
        request,
        lambda: services.round_transition(obj=rnd, action=action, actor=request.user, data=data),
        _("已%(action)s。") % {"action": label},
        rnd,
    )


@require_http_methods(["GET", "POST"])
def target_add(request, pk):
    rnd = access_round(request.user, pk, Perm.ROUND_MANAGE)
    form = TargetForm(request.POST or None, user=request.user, rnd=rnd)
    ok, target = form_action(request, form, lambda d: services.round_target_add(actor=request.user, rnd=rnd, **d))
    if ok:
        messages.success(request, _("已将%(unit)s列为巡察对象。") % {"unit": target.unit.name})
        return redirect(rnd)
    return render(request, "plans/target_form.html", {"form": form, "rnd": rnd})


@require_http_methods(["GET", "POST"])
def target_edit(request, pk):
    target = access_target(request.user, pk, Perm.ROUND_MANAGE)
    initial = {"team": target.team, "entry_date": target.entry_date, "exit_date": target.exit_date}
    form = AssignTeamForm(request.POST or None, initial=initial, rnd=target.round)
    ok, _t = form_action(request, form, lambda d: services.round_target_update(actor=request.user, target=target, **d))
    if ok:
        messages.success(request, _("已保存%(unit)s的安排。") % {"unit": target.unit.name})
        return redirect(target.round)
    return render(request, "plans/target_edit.html", {"form": form, "target": target})


@require_POST
def target_remove(request, pk):
    target = access_target(request.user, pk, Perm.ROUND_MANAGE)
    rnd = target.round
    return post_action(
        request, lambda: services.round_target_remove(actor=request.user, target=target), _("已移出巡察对象。"), rnd
    )


@require_http_methods(["GET", "POST"])
def announcement_edit(request, pk):
    target = access_target(request.user, pk, Perm.TEAM_MANAGE)
    ann = getattr(target, "announcement", None)
    fields = ("phone", "mailbox", "email", "address", "opens_on", "closes_on", "published_on")
    if ann:
        initial = {f: getattr(ann, f) for f in fields}
    else:  # sensible defaults: the team's channels, the on-site period
        team = target.team
        initial = {
            "phone": team.phone if team else "",
            "mailbox": team.mailbox if team else "",
            "email": team.email if team else "",
            "opens_on": target.on_site_from,
            "closes_on": target.on_site_to,
        }
    form = AnnouncementForm(request.POST or None, initial=initial)
    ok, _a = form_action(request, form, lambda d: services.announcement_save(actor=request.user, target=target, **d))
    if ok:
        messages.success(request, _("巡察公告已保存。"))
        return redirect(target.round)
    return render(request, "plans/announcement_form.html", {"form": form, "target": target})
