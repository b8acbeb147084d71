"""The team's and the office's register of reports: read, answer the reporter, open attachments.

Reading a report's content or an attachment is a view of sensitive material and is audited.
The reporter's identity is shown to nobody but the custodian, on the response to an unlock.
"""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from xuncha.accounts.decorators import perm_required
from xuncha.accounts.permissions import Perm, has_perm, scope_queryset
from xuncha.accounts.twofactor.decorators import require_fresh_otp
from xuncha.audit.services import audit_record
from xuncha.common.exceptions import ServiceError
from xuncha.common.pagination import paginate
from xuncha.common.views_helpers import form_action, post_form_action
from xuncha.fieldwork.models import WorkingPaper
from xuncha.files.responses import attachment_disposition
from xuncha.intake import selectors, services
from xuncha.intake.access import access_report
from xuncha.intake.filters import ReportFilter
from xuncha.intake.forms import RegisterForm, TeamMessageForm, TriageForm, UnlockForm
from xuncha.intake.models import Discipline, ReportMessage
from xuncha.intake.workflow import DEFAULT_REPLIES, REPORT_WORKFLOW
from xuncha.plans.models import Announcement


@require_GET
@perm_required(Perm.REPORT_VIEW)
def report_list(request):
    clock = selectors.Clock()
    filterset = ReportFilter(request.GET, selectors.report_list(user=request.user), clock=clock)
    page = paginate(request, filterset.qs)
    clock.preload(list({r.round.jurisdiction_id: r.round.jurisdiction for r in page}.values()))
    ctx = {
        "page": page,
        "rows": [(r, clock.due(r)) for r in page],
        "form": filterset.form,
        "can_register": has_perm(request.user, Perm.REPORT_HANDLE),
    }
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
            received_on=d["received_on"],
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


def _detail(request, report, *, identity=None, unlock_form=None, status=200):
    """The report page: content, deadlines, triage actions, duplicates, messages, history."""
    can_handle = has_perm(request.user, Perm.REPORT_HANDLE, report) and not report.purged_at
    candidates = selectors.duplicate_candidates(user=request.user, report=report) if can_handle else []
    actions = []
    if can_handle:
        # The usual next step first (and open); the side exits (forward, decline, merge) after it.
        for t in sorted(REPORT_WORKFLOW.actions_from(report.state), key=lambda t: t.style != "primary"):
            form = _triage_form(request, report, t.action)
            if t.action == "merge" and not form.fields["into"].queryset.exists():
                continue  # nothing to merge into
            actions.append((t, form))
    ctx = {
        "report": report,
        "content": services.open_json(report, "content") if not report.purged_at else {},
        "attachments": report.attachments.all(),
        "thread": [(m, services.message_text(m)) for m in report.messages.select_related("author")],
        "events": report.events.select_related("actor"),
        "papers": report.papers.select_related("team"),
        "duplicates": report.duplicates.order_by("id"),
        "disciplines": [Discipline(d).label for d in report.disciplines if d in Discipline.values],
        "unlocks": report.unlocks.select_related("custodian"),
        "due": selectors.Clock().due(report),
        "can_reply": can_handle,
        "can_unlock": has_perm(request.user, Perm.REPORT_UNLOCK, report) and not report.anonymous,
        "actions": actions,
        "candidates": candidates,
        "identity": identity,
        "unlock_form": unlock_form or UnlockForm(),
        "form": TeamMessageForm(),
    }
    return render(request, "intake/staff/detail.html", ctx, status=status)


def _triage_form(request, report, action, *, data=None):
    papers = scope_queryset(request.user, Perm.FIELDWORK_VIEW, WorkingPaper.objects.filter(target=report.target_id))
    papers = papers.exclude(reports=report).select_related("team").order_by("number")
    reports = selectors.merge_targets(user=request.user, report=report)
    initial = {"reply": DEFAULT_REPLIES.get(action, ""), "subject": report.subject, "disciplines": report.disciplines}
    return TriageForm(data, action=action, papers=papers, reports=reports, initial=initial, prefix=action)


@require_GET
def report_detail(request, pk):
    report = access_report(request.user, pk)
    audit_record(actor=request.user, action="intake.report.view", target=report)
    return _detail(request, report)


@require_POST
def report_transition(request, pk, action):
    report = access_report(request.user, pk, Perm.REPORT_HANDLE)
    transition = REPORT_WORKFLOW.get(action)
    if transition is None:
        raise Http404
    form = _triage_form(request, report, action, data=request.POST)
    return post_form_action(
        request,
        form,
        lambda d: services.report_transition(obj=report, action=action, actor=request.user, data=d),
        _("已%(action)s。") % {"action": transition.label},
        report,
    )


@require_http_methods(["GET", "POST"])
@require_fresh_otp  # back to the report page (this URL's GET) for a fresh code first
def identity_unlock(request, pk):
    """The custodian sees the identity on this one response; each look is recorded.

    A GET (a bookmark, or the address bar after an unlock) goes back to the report page.
    """
    report = access_report(request.user, pk, Perm.REPORT_UNLOCK)
    if request.method == "GET":
        return redirect(report)
    form = UnlockForm(request.POST)
    if not form.is_valid():
        return _detail(request, report, unlock_form=form, status=400)
    try:
        identity = services.identity_unlock(report=report, actor=request.user, reason=form.cleaned_data["reason"])
    except ServiceError as exc:
        form.add_error(None, exc)
        return _detail(request, report, unlock_form=form, status=400)
    return _detail(request, report, identity=identity)


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
