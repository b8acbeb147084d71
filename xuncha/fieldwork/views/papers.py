"""Working papers: list, write, evidence, the review chain, immediate-fix notices from a paper."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from xuncha.accounts.permissions import Perm, scope_queryset
from xuncha.common.pagination import paginate
from xuncha.common.views_helpers import form_action, post_action, post_form_action
from xuncha.fieldwork import selectors, services
from xuncha.fieldwork.access import access_paper
from xuncha.fieldwork.filters import PaperFilter
from xuncha.fieldwork.forms import CommentForm, EvidenceForm, FixIssueForm, PaperForm
from xuncha.fieldwork.models import PaperState
from xuncha.fieldwork.workflow import EDITABLE, PAPER_WORKFLOW
from xuncha.files.responses import stored_file_response
from xuncha.plans.access import access_team

PAPER_FIELDS = (
    "target",
    "title",
    "occurred",
    "place",
    "people_involved",
    "amount",
    "facts",
    "basis",
    "resp_principal",
    "resp_first",
    "resp_leading",
    "resp_supervisory",
    "responsibility",
    "finder",
    "writer",
)


@require_GET
def paper_list(request, pk):
    team = access_team(request.user, pk, Perm.FIELDWORK_VIEW)
    filterset = PaperFilter(request.GET, selectors.paper_list(user=request.user, team=team))
    ctx = {
        "team": team,
        "page": paginate(request, filterset.qs),
        "state": filterset.valid_data.get("state") or "",
        "states": PaperState.choices,
        "can_write": selectors.can_write(request.user, team),
    }
    return render(request, "fieldwork/paper_list.html", ctx)


@require_http_methods(["GET", "POST"])
def paper_create(request, pk):
    team = access_team(request.user, pk, Perm.FIELDWORK_VIEW)
    form = PaperForm(request.POST or None, team=team, initial={"writer": request.user.person})
    ok, paper = form_action(request, form, lambda d: services.paper_create(actor=request.user, team=team, **d))
    if ok:
        messages.success(request, _("已建立底稿 %(code)s，请补充证据材料。") % {"code": paper.code})
        return redirect(paper)
    return render(request, "fieldwork/paper_form.html", {"form": form, "team": team, "paper": None})


@require_http_methods(["GET", "POST"])
def paper_edit(request, pk):
    paper = access_paper(request.user, pk, Perm.FIELDWORK_EDIT)
    initial = {f: getattr(paper, f) for f in PAPER_FIELDS} | {"sources": list(paper.sources.all())}
    form = PaperForm(request.POST or None, initial=initial, team=paper.team)

    def save(d):
        d.pop("target")
        return services.paper_update(actor=request.user, paper=paper, **d)

    if form_action(request, form, save)[0]:
        messages.success(request, _("底稿已保存。"))
        return redirect(paper)
    return render(request, "fieldwork/paper_form.html", {"form": form, "team": paper.team, "paper": paper})


@require_GET
def paper_detail(request, pk):
    paper = access_paper(request.user, pk)
    can_write = selectors.can_write(request.user, paper.team)
    ctx = {
        "paper": paper,
        "evidence": paper.evidence.select_related("file"),
        "sources": paper.sources.select_related("target__unit"),
        "events": paper.events.select_related("actor"),
        "fixes": paper.fix_notices.select_related("unit"),
        # The public reports this paper took in, for those who may read reports (not every viewer).
        "reports": scope_queryset(request.user, Perm.REPORT_VIEW, paper.reports.all()).order_by("id"),
        "actions": selectors.paper_actions(user=request.user, paper=paper),
        "can_write": can_write,
        "editable": can_write and paper.state in EDITABLE,
        "evidence_form": EvidenceForm(),
        "fix_form": FixIssueForm() if can_write and paper.state != PaperState.DRAFT else None,
    }
    return render(request, "fieldwork/paper_detail.html", ctx)


@require_POST
def paper_evidence_add(request, pk):
    paper = access_paper(request.user, pk, Perm.FIELDWORK_EDIT)
    form = EvidenceForm(request.POST, request.FILES)
    ok, items = form_action(request, form, lambda d: services.paper_evidence_add(actor=request.user, paper=paper, **d))
    if ok:
        messages.success(request, _("已添加 %(n)s 份证据材料。") % {"n": len(items)})
    else:
        for error in [*form.non_field_errors(), *[e for f in form.errors.values() for e in f]]:
            messages.error(request, error)
    return redirect(paper)


@require_GET
def paper_evidence_file(request, pk, number):
    """Serve one evidence file to someone who may read the paper; every view is logged."""
    paper = access_paper(request.user, pk)
    item = paper.evidence.select_related("file").filter(number=number).first()
    if item is None:
        raise Http404
    return stored_file_response(request, item.file, target=paper, what=f"evidence {number}")


@require_POST
def paper_transition(request, pk, action):
    paper = access_paper(request.user, pk, Perm.FIELDWORK_EDIT)
    transition = PAPER_WORKFLOW.get(action)
    if transition is None:
        raise Http404
    form = CommentForm(request.POST)
    data = form.cleaned_data if form.is_valid() else {}
    return post_action(
        request,
        lambda: services.paper_transition(obj=paper, action=action, actor=request.user, data=data),
        _("已%(action)s。") % {"action": transition.label},
        paper,
    )


@require_POST
def fix_issue(request, pk):
    paper = access_paper(request.user, pk, Perm.FIELDWORK_EDIT)
    return post_form_action(
        request,
        FixIssueForm(request.POST),
        lambda d: services.fix_issue(actor=request.user, paper=paper, **d),
        _("已向%(unit)s下发立行立改通知。") % {"unit": paper.target.unit.name},
        paper,
    )
