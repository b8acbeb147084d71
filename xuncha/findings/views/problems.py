"""The team's findings hub and its problems: list per unit, assemble from signed papers, edit."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from xuncha.accounts.permissions import Perm, has_perm
from xuncha.common.classification import Discipline, Responsibility
from xuncha.common.views_helpers import form_action, post_action
from xuncha.findings import selectors
from xuncha.findings.access import access_problem
from xuncha.findings.forms import DraftCreateForm, ProblemForm
from xuncha.findings.services import problems as services
from xuncha.plans.access import access_target, access_team

FORM_FIELDS = ("title", "description", "disciplines", "responsibilities", "severity", "people")


@require_GET
def team_findings(request, pk):
    team = access_team(request.user, pk, Perm.FINDING_VIEW)
    can_write = selectors.can_write(request.user, team)
    ctx = {
        "team": team,
        "rows": selectors.team_targets(user=request.user, team=team),
        "can_write": can_write,
        "can_feedback": has_perm(request.user, Perm.FEEDBACK_SEND, team),
        "draft_form": DraftCreateForm(targets=team.targets.select_related("unit")) if can_write else None,
    }
    return render(request, "findings/team_findings.html", ctx)


@require_GET
def problem_list(request, pk):
    target = access_target(request.user, pk, Perm.FINDING_VIEW)
    ctx = {
        "target": target,
        "problems": selectors.problem_list(user=request.user, target=target),
        "can_write": target.team_id and selectors.can_write(request.user, target.team),
        "free_papers": selectors.signed_papers_free(target=target).count(),
    }
    return render(request, "findings/problem_list.html", ctx)


def _form(request, target, problem=None, initial=None):
    papers = selectors.signed_papers_free(target=target, problem=problem)
    return ProblemForm(request.POST or None, papers=papers, focus_list=target.round.focus_list, initial=initial)


@require_http_methods(["GET", "POST"])
def problem_create(request, pk):
    target = access_target(request.user, pk, Perm.FINDING_VIEW)
    form = _form(request, target)

    def create(d):
        return services.problem_create(
            actor=request.user,
            target=target,
            papers=list(d["papers"]),
            focus_items=list(d["focus_items"]),
            tags=list(d["tags"]),
            **{k: d[k] for k in FORM_FIELDS},
        )

    ok, problem = form_action(request, form, create)
    if ok:
        messages.success(request, _("已形成问题 %(n)s。") % {"n": problem.number})
        return redirect("findings:problem_list", target.pk)
    return render(request, "findings/problem_form.html", {"form": form, "target": target, "problem": None})


@require_GET
def problem_detail(request, pk):
    problem = access_problem(request.user, pk)
    ctx = {
        "problem": problem,
        "papers": problem.papers.select_related("team"),
        "focus_items": problem.focus_items.select_related("parent"),
        "tags": problem.tags.all(),
        "disciplines": [Discipline(d).label for d in problem.disciplines if d in Discipline.values],
        "responsibilities": [Responsibility(r).label for r in problem.responsibilities if r in Responsibility.values],
        "can_write": selectors.can_write(request.user, problem.team),
        "can_see_papers": has_perm(request.user, Perm.FIELDWORK_VIEW, problem.round),
    }
    return render(request, "findings/problem_detail.html", ctx)


@require_http_methods(["GET", "POST"])
def problem_edit(request, pk):
    problem = access_problem(request.user, pk, Perm.FINDING_EDIT)
    initial = {f: getattr(problem, f) for f in FORM_FIELDS} | {
        "papers": list(problem.papers.all()),
        "focus_items": list(problem.focus_items.all()),
        "tags": list(problem.tags.all()),
    }
    form = _form(request, problem.target, problem, initial)

    def save(d):
        return services.problem_update(
            actor=request.user,
            problem=problem,
            papers=list(d["papers"]),
            focus_items=list(d["focus_items"]),
            tags=list(d["tags"]),
            **{k: d[k] for k in FORM_FIELDS},
        )

    if form_action(request, form, save)[0]:
        messages.success(request, _("问题已保存。"))
        return redirect(problem)
    return render(request, "findings/problem_form.html", {"form": form, "target": problem.target, "problem": problem})


@require_POST
def problem_delete(request, pk):
    problem = access_problem(request.user, pk, Perm.FINDING_EDIT)
    target = problem.target
    return post_action(
        request,
        lambda: services.problem_delete(actor=request.user, problem=problem),
        _("问题已删除。"),
        reverse("findings:problem_list", args=[target.pk]),
    )
