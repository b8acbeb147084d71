"""Teams: create, the team page (members, units, rotation warnings), members in and out."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from xuncha.accounts.permissions import Perm, has_perm
from xuncha.common.filters import IdField, query_value
from xuncha.common.views_helpers import form_action, post_action, post_form_action
from xuncha.plans import selectors, services
from xuncha.plans.access import access_member, access_round, access_team
from xuncha.plans.forms import AppraisalForm, MemberForm, SuggestForm, TeamAccessForm
from xuncha.plans.models import RoundState
from xuncha.plans.workflow import EDITABLE_STATES


@require_POST
def team_create(request, pk):
    rnd = access_round(request.user, pk, Perm.TEAM_MANAGE)
    return post_action(request, lambda: services.team_create(actor=request.user, rnd=rnd), _("已新建巡察组。"), rnd)


@require_GET
def team_detail(request, pk):
    team = access_team(request.user, pk)
    can_manage = has_perm(request.user, Perm.TEAM_MANAGE, team) and team.round.state in EDITABLE_STATES
    suggest = SuggestForm(request.GET or None)
    ctx = {
        "team": team,
        "members": selectors.team_members(team=team),
        "targets": team.targets.select_related("unit").order_by("unit__path"),
        "warnings": selectors.rotation_warnings(team=team),
        "can_manage": can_manage,
        "show_fieldwork": has_perm(request.user, Perm.FIELDWORK_VIEW, team),
        "show_findings": has_perm(request.user, Perm.FINDING_VIEW, team),
        "can_appraise": has_perm(request.user, Perm.TEAM_MANAGE, team) and team.round.state not in EDITABLE_STATES,
        "grades": AppraisalForm.base_fields["grade"].choices,
        "member_form": MemberForm(user=request.user) if can_manage else None,
        "access_form": _access_form(request.user, team),
        "suggest_form": suggest,
    }
    if can_manage and suggest.is_valid() and "tags" in request.GET:
        ctx["suggestions"] = selectors.suggest_members(team=team, tags=list(suggest.cleaned_data["tags"]))
    return render(request, "plans/team_detail.html", ctx)


def _access_form(user, team):
    if team.round.state != RoundState.ARCHIVED or not has_perm(user, Perm.TEAM_MANAGE, team):
        return None
    return TeamAccessForm(initial={"until": team.access_until, "reason": team.access_reason})


@require_POST
def team_access(request, pk):
    team = access_team(request.user, pk, Perm.TEAM_MANAGE)
    return post_form_action(
        request,
        TeamAccessForm(request.POST),
        lambda d: services.team_access_grant(actor=request.user, team=team, until=d["until"], reason=d["reason"]),
        _("已更新本组成员对本轮材料的查阅授权。"),
        team,
    )


@require_http_methods(["GET", "POST"])
def member_add(request, pk):
    team = access_team(request.user, pk, Perm.TEAM_MANAGE)
    form = MemberForm(
        request.POST or None, user=request.user, initial={"person": query_value(request, "person", IdField())}
    )
    ok, member = form_action(request, form, lambda d: services.team_member_add(actor=request.user, team=team, **d))
    if ok:
        messages.success(request, _("%(name)s已编入%(team)s。") % {"name": member.person.name, "team": team})
        return redirect(team)
    ctx = {"form": form, "team": team, "can_override": has_perm(request.user, Perm.RECUSAL_OVERRIDE, team)}
    return render(request, "plans/member_form.html", ctx)


@require_POST
def member_remove(request, pk):
    member = access_member(request.user, pk)
    team = member.team
    return post_action(
        request, lambda: services.team_member_remove(actor=request.user, member=member), _("已调出该成员。"), team
    )


@require_POST
def member_appraise(request, pk):
    member = access_member(request.user, pk)
    return post_form_action(
        request,
        AppraisalForm(request.POST),
        lambda d: services.member_appraise(actor=request.user, member=member, **d),
        _("已记录%(name)s的考核等次。") % {"name": member.person.name},
        member.team,
    )
