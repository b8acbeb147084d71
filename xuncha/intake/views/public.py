"""The public pages: open windows, the report form, the receipt, and follow-up by receipt code.

No login. Nothing about the visitor (address, browser) is stored or logged here; the follow-up
session holds only the report's id for a short while. Pages are cached by nobody.
"""

from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods
from django_ratelimit.decorators import ratelimit

from xuncha.common.exceptions import ServiceError
from xuncha.intake import services, throttle
from xuncha.intake.forms import CodeForm, MessageForm, ReportForm
from xuncha.intake.models import Report, ReportMessage
from xuncha.intake.receipts import normalise
from xuncha.intake.windows import open_windows
from xuncha.intake.workflow import FINAL_STATES, PUBLIC_STATUS, PUBLIC_TITLE

SESSION_KEY = "intake_report"
SESSION_SECONDS = 20 * 60


@login_not_required
def rate_limited(request, exception=None) -> HttpResponse:
    return render(request, "intake/public/limited.html", status=429)


@login_not_required
@require_GET
@never_cache
def window_list(request):
    return render(request, "intake/public/windows.html", {"windows": open_windows()})


@login_not_required
@require_http_methods(["GET", "POST"])
@never_cache
@ratelimit(key="ip", rate="20/h", method="POST", block=True)
def report_form(request, pk):
    announcement = get_object_or_404(open_windows(), pk=pk)
    form = ReportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            filed = services.report_file(
                announcement=announcement,
                content={k: d[k] for k in ("people", "what", "when", "where", "amount")},
                contact={k: d[k] for k in ("name", "phone", "address")},
                uploads=d["uploads"],
            )
        except ServiceError as exc:
            form.add_error(None, exc)
        else:
            # The code is shown once, on this response; it is never put in a URL or a redirect.
            return render(request, "intake/public/receipt.html", {"code": filed.code, "report": filed.report})
    return render(request, "intake/public/form.html", {"form": form, "announcement": announcement})


@login_not_required
@require_http_methods(["GET", "POST"])
@never_cache
def follow_up(request):
    form = CodeForm(request.POST or None)
    error = None
    if request.method == "POST" and form.is_valid():
        if throttle.blocked(request):
            error = _("尝试次数过多，请15分钟后再试。")
        else:
            code = normalise(form.cleaned_data["code"])
            report = services.report_by_code(code) if code else None
            if report is None:
                throttle.record_failure(request)
                error = _("受理码不正确，请核对后重新输入。")
            else:
                request.session.cycle_key()
                request.session[SESSION_KEY] = report.pk
                request.session.set_expiry(SESSION_SECONDS)
                return redirect("intake_public:follow_up_view")
    return render(request, "intake/public/follow_up.html", {"form": form, "error": error})


@login_not_required
@require_http_methods(["GET", "POST"])
@never_cache
def follow_up_view(request):
    report = Report.objects.filter(pk=request.session.get(SESSION_KEY)).select_related("target__unit").first()
    if report is None:
        return redirect("intake_public:follow_up")
    can_write = report.state not in FINAL_STATES and not report.purged_at
    form = MessageForm(request.POST or None)
    if request.method == "POST" and can_write and form.is_valid():
        try:
            services.message_add(report=report, side=ReportMessage.Side.REPORTER, text=form.cleaned_data["text"])
        except ServiceError as exc:
            form.add_error(None, exc)
        else:
            return redirect("intake_public:follow_up_view")
    messages_ = [(m, services.message_text(m)) for m in report.messages.all()]
    ctx = {
        "report": report,
        "thread": messages_,
        "form": form,
        "can_write": can_write,
        "status_title": PUBLIC_TITLE[report.state],
        "status_text": PUBLIC_STATUS[report.state],
    }
    return render(request, "intake/public/status.html", ctx)


@login_not_required
@require_GET
def follow_up_end(request):
    request.session.flush()
    return redirect("intake_public:window_list")
