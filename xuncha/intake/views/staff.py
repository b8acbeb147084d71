"""The team's and the office's register of reports: read, answer the reporter, open attachments.

Reading a report's content or an attachment is a view of sensitive material and is audited.
The reporter's identity is not shown here (unlocking it by a custodian comes with triage).
"""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from xuncha.accounts.permissions import Perm, access_report, has_perm, scope_queryset
from xuncha.audit.services import audit_record
from xuncha.common.decorators import perm_required
from xuncha.common.exceptions import ServiceError
from xuncha.common.pagination import paginate
from xuncha.common.views_helpers import form_action
from xuncha.files.responses import attachment_disposition
from xuncha.intake import services
from xuncha.intake.forms import RegisterForm, TeamMessageForm
from xuncha.intake.models import Report, ReportMessage
from xuncha.plans.models import Announcement


@require_GET
@perm_required(Perm.REPORT_VIEW)
def report_list(request):
    qs = scope_queryset(request.user, Perm.REPORT_VIEW, Report.objects.all())
    qs = qs.select_related("target__unit", "target__team", "round").order_by("-created_at", "-id")
    ctx = {"page": paginate(request, qs), "can_register": has_perm(request.user, Perm.REPORT_HANDLE)}
    return render(request, "intake/staff/list.html", ctx)


@require_http_methods(["GET", "POST"])
@perm_required(Perm.REPORT_HANDLE)
def report_register(request):
    announcements = scope_queryset(request.user, Perm.REPORT_HANDLE, Announcement.objects.all())
    announcements = announcements.select_related("target__unit", "target__round", "target__team").order_by(
        "-target__round__id"
    )
    form = RegisterForm(request.POST or None, request.FILES or None, announcements=announcements)

    def register(d):
        return services.report_file(
            announcement=d["announcement"],
            channel=d["channel"],
            actor=request.user,
            uploads=d["uploads"],
            content={k: d[k] for k in ("people", "what", "when", "where", "amount")},
            contact={k: d[k] for k in ("name", "phone", "address")},
        )

    ok, filed = form_action(request, form, register)
    if ok:
        messages.success(request, _("已登记，受理编号 %(no)s。") % {"no": filed.report.intake_no})
        return redirect(filed.report)
    return render(request, "intake/staff/register.html", {"form": form})


@require_GET
def report_detail(request, pk):
    report = access_report(request.user, pk)
    audit_record(actor=request.user, action="intake.report.view", target=report)
    ctx = {
        "report": report,
        "content": services.open_json(report, "content"),
        "attachments": report.attachments.all(),
        "thread": [(m, services.message_text(m)) for m in report.messages.select_related("author")],
        "can_reply": has_perm(request.user, Perm.REPORT_HANDLE, report),
        "form": TeamMessageForm(),
    }
    return render(request, "intake/staff/detail.html", ctx)


@require_POST
def report_reply(request, pk):
    report = access_report(request.user, pk, Perm.REPORT_HANDLE)
    form = TeamMessageForm(request.POST)
    if form.is_valid():
        try:
            services.message_add(
                report=report, side=ReportMessage.Side.TEAM, text=form.cleaned_data["text"], actor=request.user
            )
        except ServiceError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("已发送，举报人凭受理码可以看到。"))
    else:
        messages.error(request, _("请填写内容。"))
    return redirect(report)


@require_GET
def attachment_download(request, pk, attachment_pk):
    report = access_report(request.user, pk)
    attachment = report.attachments.filter(pk=attachment_pk).first()
    if attachment is None:
        raise Http404
    name, data = services.attachment_open(attachment)
    audit_record(
        actor=request.user, action="intake.attachment.view", target=report, after={"attachment": attachment.pk}
    )
    response = HttpResponse(data, content_type="application/octet-stream")
    response["Content-Disposition"] = attachment_disposition(name)
    return response
