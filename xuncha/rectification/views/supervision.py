"""Supervision pages: the key items county leaders lead (领衔督办) and the sector clean-ups (专项整治)."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from xuncha.accounts.decorators import perm_required
from xuncha.accounts.models import User
from xuncha.accounts.permissions import Perm, has_perm
from xuncha.common.pagination import paginate
from xuncha.common.views_helpers import form_action, post_action, post_form_action
from xuncha.findings.access import access_problem
from xuncha.rectification.access import access_assignment, access_campaign
from xuncha.rectification.filters import AssignmentFilter, CampaignFilter
from xuncha.rectification.forms_supervision import (
    AssignmentForm,
    CampaignForm,
    CampaignReportForm,
    CommentForm,
    OpinionForm,
    RevokeForm,
)
from xuncha.rectification.models import CampaignState, TaskState, TaskUpdate
from xuncha.rectification.selectors import supervision as selectors
from xuncha.rectification.services import campaigns as campaign_services
from xuncha.rectification.services import supervision as services


@require_GET
@perm_required(Perm.SUPERVISE_VIEW)
def assignment_list(request):
    filterset = AssignmentFilter(request.GET, selectors.assignment_list(user=request.user))
    leader = None
    if leader_pk := filterset.valid_data.get("leader"):
        leader = User.objects.filter(pk=leader_pk).first()
    page = paginate(request, filterset.qs)
    ctx = {
        "page": page,
        "rows": selectors.annotate_assignments(list(page)),
        "is_office": has_perm(request.user, Perm.SUPERVISE_ASSIGN),
        "leader": leader,
    }
    return render(request, "rectification/assignment_list.html", ctx)


@require_http_methods(["GET", "POST"])
def assignment_add(request, problem_pk):
    problem = access_problem(request.user, problem_pk, Perm.SUPERVISE_ASSIGN)
    form = AssignmentForm(request.POST or None, leaders=services.eligible_leaders(problem.round.jurisdiction))
    done, row = form_action(
        request,
        form,
        lambda d: services.assignment_create(actor=request.user, problem=problem, leader=d["leader"], note=d["note"]),
    )
    if done:
        messages.success(request, _("已交由%(leader)s领衔督办。") % {"leader": form.cleaned_data["leader"]})
        return redirect(row)
    current = problem.leader_assignments.filter(revoked_at__isnull=True).select_related("leader")
    return render(request, "rectification/assignment_form.html", {"form": form, "problem": problem, "current": current})


@require_GET
def assignment_detail(request, pk):
    assignment = access_assignment(request.user, pk)
    row = selectors.annotate_assignments([assignment])[0]
    # What the unit said when asking for closure: the leader co-reviews on it.
    asking = [t for t, _w in row["tasks"] if t.state == TaskState.CLOSURE_REQUESTED]
    requests = TaskUpdate.objects.filter(task__in=asking, kind=TaskUpdate.Kind.REQUEST).prefetch_related("files")
    latest = {u.task_id: u for u in requests.order_by("created_at", "id")}
    for task in asking:
        task.latest_request = latest.get(task.pk)
    can_comment = assignment.revoked_at is None and has_perm(request.user, Perm.SUPERVISE_COMMENT, assignment)
    ctx = {
        "a": assignment,
        "row": row,
        "comments": assignment.comments.select_related("actor", "task"),
        "can_comment": can_comment,
        "comment_form": CommentForm() if can_comment else None,
        "opinion_tasks": [t for t, _w in row["tasks"] if t.state == TaskState.CLOSURE_REQUESTED] if can_comment else [],
        "opinion_form": OpinionForm(),
        "can_revoke": assignment.revoked_at is None and has_perm(request.user, Perm.SUPERVISE_ASSIGN, assignment),
        "revoke_form": RevokeForm(),
    }
    return render(request, "rectification/assignment_detail.html", ctx)


@require_POST
def assignment_comment(request, pk):
    assignment = access_assignment(request.user, pk, Perm.SUPERVISE_COMMENT)
    task_pk = request.POST.get("task", "")
    task = assignment.problem.tasks.filter(pk=task_pk).first() if task_pk.isdigit() else None
    form = OpinionForm(request.POST) if task is not None else CommentForm(request.POST)
    return post_form_action(
        request,
        form,
        lambda d: services.leader_comment(
            actor=request.user, assignment=assignment, text=d["text"], kind=d.get("kind", "comment"), task=task
        ),
        _("已签署督办意见。"),
        assignment,
    )


@require_POST
def assignment_revoke(request, pk):
    assignment = access_assignment(request.user, pk, Perm.SUPERVISE_ASSIGN)
    return post_form_action(
        request,
        RevokeForm(request.POST),
        lambda d: services.assignment_revoke(actor=request.user, assignment=assignment, reason=d["reason"]),
        _("已撤销该督办事项。"),
        "rectification:assignment_list",
    )


# --- sector clean-ups -------------------------------------------------------------------------


@require_GET
@perm_required(Perm.CAMPAIGN_VIEW)
def campaign_list(request):
    filterset = CampaignFilter(request.GET, selectors.campaign_list(user=request.user))
    page = paginate(request, filterset.qs)
    ctx = {
        "page": page,
        "state": filterset.valid_data.get("state") or "",
        "states": CampaignState.choices,
        "can_manage": has_perm(request.user, Perm.CAMPAIGN_MANAGE),
    }
    return render(request, "rectification/campaign_list.html", ctx)


@require_http_methods(["GET", "POST"])
def campaign_add(request, problem_pk):
    source = access_problem(request.user, problem_pk, Perm.CAMPAIGN_MANAGE)
    candidates = selectors.campaign_candidates(user=request.user, source=source)
    scores = {p.pk: score for p, score in candidates}
    departments = selectors.sector_departments(user=request.user, jurisdiction=source.round.jurisdiction)
    problems = source.__class__.objects.filter(pk__in=scores).select_related("target__unit")
    initial = {"problems": [source.pk], "title": source.title[:100]}
    if source.target.unit.sector_dept_id and departments.filter(pk=source.target.unit.sector_dept_id).exists():
        initial["sector_dept"] = source.target.unit.sector_dept_id
    form = CampaignForm(request.POST or None, initial=initial, problems=problems, departments=departments)
    # Most similar first: the checkboxes follow the scores, the source at the top.
    form.fields["problems"].queryset = problems
    form.fields["problems"].choices = [
        (
            p.pk,
            f"{p.target.unit.name} · {p.number}. {p.title}" + (f"（{_('相似度')} {score:.0%}）" if p != source else ""),
        )
        for p, score in candidates
    ]
    response = campaign_form_submit(request, form)
    if response is not None:
        return response
    return render(request, "rectification/campaign_form.html", {"form": form, "source": source})


def campaign_form_submit(request, form: CampaignForm):
    """Deploy the clean-up a valid CampaignForm describes and go to it; None to show the form again."""
    done, campaign = form_action(
        request,
        form,
        lambda d: campaign_services.campaign_create(actor=request.user, **d),
    )
    if not done:
        return None
    messages.success(request, _("已部署专项整治，并向各单位整改方案添加了整治任务。"))
    return redirect(campaign)


@require_GET
def campaign_detail(request, pk):
    campaign = access_campaign(request.user, pk)
    tasks = selectors.campaign_tasks(campaign)
    active = campaign.state == CampaignState.ACTIVE
    can_report = active and has_perm(request.user, Perm.CAMPAIGN_REPORT, campaign)
    ctx = {
        "campaign": campaign,
        "tasks": tasks,
        "done": sum(1 for t, _w in tasks if t.state in ("closed", "ongoing")),
        "reports": campaign.reports.select_related("actor").prefetch_related("files"),
        "problems": campaign.problems.select_related("target__unit").order_by("target__unit__name", "number"),
        "report_form": CampaignReportForm() if can_report else None,
        "can_close": active and has_perm(request.user, Perm.CAMPAIGN_MANAGE, campaign),
        "can_open_tasks": has_perm(request.user, Perm.RECTIFY_VIEW),
    }
    return render(request, "rectification/campaign_detail.html", ctx)


@require_POST
def campaign_report(request, pk):
    campaign = access_campaign(request.user, pk, Perm.CAMPAIGN_REPORT)
    return post_form_action(
        request,
        CampaignReportForm(request.POST, request.FILES),
        lambda d: campaign_services.campaign_report(
            actor=request.user, campaign=campaign, text=d["text"], uploads=d["uploads"]
        ),
        _("已报告整治进展。"),
        campaign,
    )


@require_POST
def campaign_close(request, pk):
    campaign = access_campaign(request.user, pk, Perm.CAMPAIGN_MANAGE)
    return post_action(
        request,
        lambda: campaign_services.campaign_close(actor=request.user, campaign=campaign),
        _("专项整治已办结。"),
        campaign,
    )
