"""The reports and disclosure pages: one plan's two reports (draft, submit, the file as sent) and
its disclosures (draft, approve, return, withdraw), and the public page of approved texts."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from xuncha.accounts.permissions import Perm, has_perm
from xuncha.common.filters import query_value
from xuncha.common.pagination import paginate
from xuncha.common.views_helpers import form_action, post_action, post_form_action
from xuncha.files.responses import attachment_disposition
from xuncha.rectification.access import access_plan, access_plan_record
from xuncha.rectification.forms_letters import DisclosureForm, ReasonForm
from xuncha.rectification.models import Disclosure, PlanReport, PlanState, ReportKind
from xuncha.rectification.selectors import disclosure as selectors
from xuncha.rectification.services import disclosure as disclosure_services
from xuncha.rectification.services import reports as services
from xuncha.rectification.services.plans import report_due

DISCLOSURE_FIELDS = ("channel", "title", "text", "exemptions", "exemption_note")


def _download(export) -> HttpResponse:
    response = HttpResponse(export.content, content_type=export.content_type)
    response["Content-Disposition"] = attachment_disposition(export.filename)
    return response


def _kind(kind: str) -> str:
    if kind not in ReportKind.values:
        raise Http404
    return kind


@require_GET
def plan_reports(request, pk):
    plan = access_plan(request.user, pk)
    approved = plan.state == PlanState.APPROVED
    rows = selectors.plan_reports(plan, report_due(plan))
    for row in rows:
        perm = services.SUBMIT_PERMS[ReportKind(row["kind"])]
        row["can_submit"] = approved and row["report"] is None and has_perm(request.user, perm, plan)
    ctx = {
        "plan": plan,
        "approved": approved,
        "due": report_due(plan),
        "rows": rows,
        "disclosures": selectors.plan_disclosures(plan),
        "can_draft": approved and has_perm(request.user, Perm.RECTIFY_EDIT, plan),
        "can_review": has_perm(request.user, Perm.RECTIFY_REVIEW, plan),
        "form": DisclosureForm(initial={"channel": "public"}),
        "reason_form": ReasonForm(),
    }
    return render(request, "rectification/plan_reports.html", ctx)


@require_GET
def report_docx(request, pk, kind):
    plan = access_plan(request.user, pk)
    return _download(
        services.report_draft(actor=request.user, plan=plan, kind=_kind(kind), source=request.get_full_path())
    )


@require_GET
def plan_docx(request, pk):
    plan = access_plan(request.user, pk)
    return _download(services.plan_docx_export(actor=request.user, plan=plan, source=request.get_full_path()))


@require_POST
def report_submit(request, pk, kind):
    plan = access_plan(request.user, pk)
    label = ReportKind(_kind(kind)).label
    return post_action(
        request,
        lambda: services.report_submit(actor=request.user, plan=plan, kind=kind),
        _("已报送%(kind)s。") % {"kind": label},
        redirect("rectification:plan_reports", plan.pk).url,
    )


@require_GET
def report_file(request, pk):
    report = access_plan_record(request.user, PlanReport, pk)
    return _download(services.report_file_export(actor=request.user, report=report, source=request.get_full_path()))


def _disclosure_data(d: dict) -> dict:
    return {k: d[k] for k in DISCLOSURE_FIELDS}


@require_POST
def disclosure_add(request, pk):
    plan = access_plan(request.user, pk, Perm.RECTIFY_EDIT)
    return post_form_action(
        request,
        DisclosureForm(request.POST),
        lambda d: disclosure_services.disclosure_create(actor=request.user, plan=plan, **_disclosure_data(d)),
        _("已提交公开内容，等待巡察办审核。"),
        redirect("rectification:plan_reports", plan.pk).url,
    )


@require_http_methods(["GET", "POST"])
def disclosure_edit(request, pk):
    disclosure = access_plan_record(request.user, Disclosure, pk, Perm.RECTIFY_EDIT)
    back = redirect("rectification:plan_reports", disclosure.plan_id).url
    initial = {k: getattr(disclosure, k) for k in DISCLOSURE_FIELDS}
    form = DisclosureForm(request.POST or None, initial=initial)
    ok, _row = form_action(
        request,
        form,
        lambda d: disclosure_services.disclosure_update(
            actor=request.user, disclosure=disclosure, **_disclosure_data(d)
        ),
    )
    if ok:
        messages.success(request, _("已修改公开内容，等待巡察办审核。"))
        return redirect(back)
    return render(request, "rectification/disclosure_form.html", {"form": form, "disclosure": disclosure, "back": back})


def _review(request, pk, action, success: str):
    disclosure = access_plan_record(request.user, Disclosure, pk, Perm.RECTIFY_REVIEW)
    back = redirect("rectification:plan_reports", disclosure.plan_id).url
    if action is disclosure_services.disclosure_approve:
        return post_action(request, lambda: action(actor=request.user, disclosure=disclosure), success, back)
    return post_form_action(
        request,
        ReasonForm(request.POST),
        lambda d: action(actor=request.user, disclosure=disclosure, reason=d["reason"]),
        success,
        back,
    )


@require_POST
def disclosure_approve(request, pk):
    return _review(request, pk, disclosure_services.disclosure_approve, _("已审核通过，公开日期为今天。"))


@require_POST
def disclosure_return(request, pk):
    return _review(request, pk, disclosure_services.disclosure_return, _("已退回单位修改，退回理由已告知单位。"))


@require_POST
def disclosure_withdraw(request, pk):
    return _review(request, pk, disclosure_services.disclosure_withdraw, _("已撤回，公众页面不再显示。"))


@login_not_required
@require_GET
def disclosure_public(request):
    """/gongkai/: approved public texts, newest first; no login, nothing about the visitor kept."""
    years = selectors.public_years()
    year = query_value(request, "year", forms.IntegerField(min_value=1, max_value=9999))
    chosen = year if year in years else None
    page = paginate(request, selectors.public_disclosures(year=chosen), per_page=10)
    return render(request, "rectification/disclosure_public.html", {"page": page, "years": years, "year": chosen})
