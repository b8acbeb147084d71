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

from xuncha.common.error_pages import error_response
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
def rate_limited(request) -> HttpResponse:
    """A flood of submissions from one client (throttle.report_post_allowed)."""
    return error_response(request, "intake/public/limited.html", 429)


@login_not_required
@require_GET
@never_cache
def window_list(request):
    return render(request, "intake/public/windows.html", {"windows": open_windows()})


@login_not_required
@require_http_methods(["GET", "POST"])
@never_cache
def report_form(request, pk):
    announcement = get_object_or_404(open_windows(), pk=pk)
    if request.method == "POST" and not throttle.report_post_allowed(request):
        return rate_limited(request)
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


def _follow_up_page(request, *, form=None, code="", captcha=False, error=None, status=200) -> HttpResponse:
    form = form or CodeForm(initial={"code": code}, captcha=captcha)
    return render(request, "intake/public/follow_up.html", {"form": form, "error": error}, status=status)


def _open_follow_up(request, report: Report) -> HttpResponse:
    request.session.cycle_key()
    request.session[SESSION_KEY] = report.pk
    request.session.set_expiry(SESSION_SECONDS)
    return redirect("intake_public:follow_up_view")


@login_not_required
@require_http_methods(["GET", "POST"])
@never_cache
def follow_up(request):
    """Follow-up by receipt code. The throttle decides before the code is looked at (see throttle.py)."""
    if request.method == "GET":
        return _follow_up_page(request, captcha=throttle.gate(request).captcha)
    raw = request.POST.get("code", "")
    code = normalise(raw)
    gate = throttle.gate(request, code)
    if gate.refused:
        return _follow_up_page(request, captcha=True, error=_("尝试次数过多，请15分钟后再试。"), status=429)
    shown = "captcha_0" in request.POST  # the form this visitor filled in had the captcha
    if gate.captcha and not shown:
        return _follow_up_page(request, code=raw, captcha=True)  # nothing checked, nothing counted
    form = CodeForm(request.POST, captcha=shown)
    if form.is_valid():
        report = services.report_by_code(code) if code else None
        if report is not None:
            return _open_follow_up(request, report)
        throttle.record_failure(request, code)
    elif "captcha" not in form.errors:  # only the code left blank: not a guess, the field says so
        return _follow_up_page(request, form=form)
    # One sentence for a wrong code, a malformed one and a wrong captcha alike.
    error = _("受理码或验证码不正确，请核对后重新输入。") if shown else _("受理码不正确，请核对后重新输入。")
    return _follow_up_page(request, code=raw, captcha=shown or throttle.gate(request, code).captcha, error=error)


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
