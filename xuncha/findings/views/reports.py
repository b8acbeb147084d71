"""The team's reports: create, the parts the team writes, new versions, downloads, the comparison
of two versions, the review chain, the office's queue."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from xuncha.accounts.decorators import perm_required
from xuncha.accounts.permissions import Perm
from xuncha.common.exceptions import ServiceError
from xuncha.common.pagination import paginate
from xuncha.common.views_helpers import form_action, form_error_messages, post_action, post_form_action
from xuncha.files.responses import attachment_disposition
from xuncha.findings import selectors
from xuncha.findings.access import access_draft
from xuncha.findings.compare import compare_versions
from xuncha.findings.documents.pdf import report_version_export
from xuncha.findings.forms import DecisionForm, DraftCreateForm, SectionsForm, VersionUploadForm
from xuncha.findings.models import sections_of
from xuncha.findings.services import reports as services
from xuncha.findings.services import sections as section_services
from xuncha.findings.workflow import DRAFT_WORKFLOW
from xuncha.plans.access import access_team


@require_http_methods(["GET", "POST"])
def draft_create(request, pk):
    team = access_team(request.user, pk, Perm.FINDING_VIEW)
    form = DraftCreateForm(request.POST or None, targets=team.targets.select_related("unit"))
    ok, report = form_action(request, form, lambda d: services.draft_create(actor=request.user, team=team, **d))
    if ok:
        if report.versions.exists():
            messages.success(request, _("已生成%(title)s第1稿。") % {"title": report.title})
        else:
            messages.success(request, _("已建立%(title)s，请撰写各部分内容后生成第1稿。") % {"title": report.title})
        return redirect(report)
    return render(request, "findings/draft_form.html", {"form": form, "team": team})


@require_GET
def draft_detail(request, pk):
    report = access_draft(request.user, pk)
    can_write = selectors.can_write(request.user, report.team)
    can_edit = can_write and report.state in ("draft", "returned")
    sections = sections_of(report.kind)
    texts = section_services.current_texts(report) if sections else {}
    ctx = {
        "report": report,
        # the snapshot (every paragraph of the version) is for the comparison page, not the list
        "versions": report.versions.select_related("file", "created_by").defer("snapshot"),
        "sections": [{"section": s, "text": texts.get(s.key, "")} for s in sections],
        "sections_form": SectionsForm(initial=texts, sections=sections) if can_edit and sections else None,
        "decisions": report.decisions.select_related("version", "actor", "minutes"),
        "actions": selectors.draft_actions(user=request.user, report=report),
        "decision_form": DecisionForm(),
        "can_edit": can_edit,
        "upload_form": VersionUploadForm(),
    }
    return render(request, "findings/draft_detail.html", ctx)


@require_POST
def draft_sections(request, pk):
    """Save the parts the team writes; with ``generate``, then make a new version from them."""
    report = access_draft(request.user, pk, Perm.FINDING_EDIT)
    form = SectionsForm(request.POST, sections=sections_of(report.kind))
    if not form.is_valid():
        form_error_messages(request, form)
        return redirect(report)
    try:
        saved = section_services.report_sections_save(actor=request.user, report=report, texts=form.cleaned_data)
    except ServiceError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(report)
    messages.success(request, _("已保存撰写内容。") if saved else _("撰写内容没有改动。"))
    if request.POST.get("generate"):
        _generate(request, report)
    return redirect(report)


def _generate(request, report):
    try:
        version = services.version_generate(actor=request.user, report=report)
    except ServiceError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("已生成第%(n)s稿。") % {"n": version.number})


@require_POST
def version_generate(request, pk):
    report = access_draft(request.user, pk, Perm.FINDING_EDIT)
    _generate(request, report)
    return redirect(report)


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
    export = report_version_export(actor=request.user, report=report, version=version, source=request.get_full_path())
    response = HttpResponse(export.content, content_type=export.content_type)
    response["Content-Disposition"] = attachment_disposition(export.filename)
    return response


@require_GET
def version_compare(request, pk, old, new):
    """What changed from version ``old`` to version ``new``: parts, problems, paragraphs."""
    report = access_draft(request.user, pk)
    if old == new:
        raise Http404
    versions = {v.number: v for v in report.versions.select_related("file", "created_by").filter(number__in=[old, new])}
    if len(versions) != 2:
        raise Http404
    result = compare_versions(report, versions[old], versions[new])
    services.versions_compared(actor=request.user, report=report, old=old, new=new)
    return render(request, "findings/version_compare.html", {"report": report, "cmp": result})


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
