"""The team's reports: create, new versions, downloads, the review chain, the office's queue."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from xuncha.accounts.decorators import perm_required
from xuncha.accounts.permissions import Perm
from xuncha.common.pagination import paginate
from xuncha.common.views_helpers import form_action, post_action, post_form_action
from xuncha.documents.services import stored_docx_export
from xuncha.files.responses import attachment_disposition
from xuncha.files.storage import open_stored
from xuncha.findings import selectors
from xuncha.findings.access import access_draft
from xuncha.findings.forms import DecisionForm, DraftCreateForm, VersionUploadForm
from xuncha.findings.services import reports as services
from xuncha.findings.workflow import DRAFT_WORKFLOW
from xuncha.plans.access import access_team


@require_http_methods(["GET", "POST"])
def draft_create(request, pk):
    team = access_team(request.user, pk, Perm.FINDING_VIEW)
    form = DraftCreateForm(request.POST or None, targets=team.targets.select_related("unit"))
    ok, report = form_action(request, form, lambda d: services.draft_create(actor=request.user, team=team, **d))
    if ok:
        messages.success(request, _("已生成%(title)s第1稿。") % {"title": report.title})
        return redirect(report)
    return render(request, "findings/draft_form.html", {"form": form, "team": team})


@require_GET
def draft_detail(request, pk):
    report = access_draft(request.user, pk)
    can_write = selectors.can_write(request.user, report.team)
    ctx = {
        "report": report,
        "versions": report.versions.select_related("file", "created_by"),
        "decisions": report.decisions.select_related("version", "actor", "minutes"),
        "actions": selectors.draft_actions(user=request.user, report=report),
        "decision_form": DecisionForm(),
        "can_edit": can_write and report.state in ("draft", "returned"),
        "upload_form": VersionUploadForm(),
    }
    return render(request, "findings/draft_detail.html", ctx)


@require_POST
def version_generate(request, pk):
    report = access_draft(request.user, pk, Perm.FINDING_EDIT)
    return post_action(
        request,
        lambda: services.version_generate(actor=request.user, report=report, note=_("按当前问题清单重新生成")),
        _("已按当前问题清单生成新版本。"),
        report,
    )


@require_POST
def version_upload(request, pk):
    report = access_draft(request.user, pk, Perm.FINDING_EDIT)
    form = VersionUploadForm(request.POST, request.FILES)
    return post_form_action(
        request,
        form,
        lambda d: services.version_upload(actor=request.user, report=report, upload=d["upload"][0], note=d["note"]),
        _("已上传新版本。"),
        report,
    )


@require_GET
def version_download(request, pk, number):
    report = access_draft(request.user, pk)
    version = report.versions.select_related("file").filter(number=number).first()
    if version is None:
        raise Http404
    with open_stored(version.file) as fh:
        data = fh.read()
    name = f"{report.title}-第{version.number}稿.docx"
    export = stored_docx_export(
        actor=request.user,
        data=data,
        kind=services.DOC_KIND[report.kind],
        filename=name,
        target=report,
        source=request.get_full_path(),
    )
    response = HttpResponse(export.content, content_type=export.content_type)
    response["Content-Disposition"] = attachment_disposition(export.filename)
    return response


@require_POST
def draft_transition(request, pk, action):
    report = access_draft(request.user, pk)
    transition = DRAFT_WORKFLOW.get(action)
    if transition is None:
        raise Http404
    if action == "submit":
        return post_action(
            request,
            lambda: services.draft_transition(obj=report, action=action, actor=request.user),
            _("已提交组务会审议。"),
            report,
        )
    form = DecisionForm(request.POST, request.FILES)
    return post_form_action(
        request,
        form,
        lambda d: services.draft_transition(obj=report, action=action, actor=request.user, data=d),
        _("已记录：%(action)s。") % {"action": transition.label},
        report,
    )


@require_GET
@perm_required(Perm.DRAFT_REVIEW)
def office_queue(request):
    page = paginate(request, selectors.office_queue(user=request.user))
    return render(request, "findings/office_queue.html", {"page": page})
