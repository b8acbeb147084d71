"""Two-factor sign-in: the code step of the login, enrolment and one's own status, fresh codes for
sensitive actions, the office's rules per role and its reset of a user's authenticator."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from xuncha.accounts.decorators import perm_required
from xuncha.accounts.permissions import Perm, Role, access_user
from xuncha.accounts.twofactor import enrolment, policy, services, signin
from xuncha.accounts.twofactor.decorators import require_fresh_otp
from xuncha.accounts.twofactor.forms import CodeForm, RuleForm
from xuncha.accounts.views.auth import LoginView
from xuncha.common.exceptions import ServiceError
from xuncha.common.views_helpers import form_action, post_action


def _next(request) -> str:
    url = request.POST.get("next") or request.GET.get("next") or ""
    ok = url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}, require_https=request.is_secure())
    # A path of this site only: redirect() would take a bare word ("abc") for a URL name to reverse.
    return url if ok and url.startswith("/") and url.isprintable() and len(url) <= 2000 else ""


def _wrong_code(exc: ServiceError) -> str:
    limit = _("连续失败%(n)d次，账户将被暂时锁定。") % {"n": settings.AXES_FAILURE_LIMIT}
    return " ".join(exc.messages) + limit


def _fresh_minutes() -> int:
    return max(1, round(settings.XUNCHA_2FA_FRESH_SECONDS / 60))


def _say_recovery(request, result: services.Verification) -> None:
    if not result.recovery:
        return
    text = _("您使用了一个恢复码，还剩 %(n)d 个。") % {"n": result.remaining}
    if result.low:
        messages.warning(request, text + _("恢复码即将用完，请尽快在“双因素认证”页面重新生成。"))
    else:
        messages.info(request, text)


# --- signing in -----------------------------------------------------------------------------


@method_decorator(login_not_required, name="dispatch")
class TwoFactorLoginView(LoginView):
    """The password step. A user with an authenticator is not signed in yet: the code comes next."""

    def form_valid(self, form):
        user = form.get_user()
        if not policy.has_device(user):
            return super().form_valid(form)
        signin.pending_start(self.request, user, self.get_success_url())
        return redirect("accounts:twofactor_verify")


@login_not_required
@require_http_methods(["GET", "POST"])
def verify(request):
    """The code step: the session is signed in only when the code (or a recovery code) is right."""
    found = signin.pending(request)
    if found is None:
        messages.info(request, _("登录已超时，请重新输入用户名和密码。"))
        return redirect("accounts:login")
    user, backend, next_url = found
    if signin.is_locked(request, user):
        signin.pending_clear(request)
        return signin.lockout_response(request, user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            result = services.verify_code(user=user, code=form.cleaned_data["code"])
        except ServiceError as exc:
            signin.count_failure(request, user)
            if getattr(request, "axes_locked_out", False):
                signin.pending_clear(request)  # AxesMiddleware answers with the lockout page
            form.add_error("code", _wrong_code(exc))
        else:
            signin.complete_login(request, user, backend, result.device)
            _say_recovery(request, result)
            return redirect(next_url or resolve_url(settings.LOGIN_REDIRECT_URL))
    return render(request, "accounts/twofactor/verify.html", {"form": form, "pending_user": user})


@require_http_methods(["GET", "POST"])
def confirm(request):
    """A fresh code for a sensitive action, or the first code of a session that has none."""
    request.nav_section = "twofactor"  # no menu item lights up
    next_url = _next(request) or reverse("home")
    if not policy.has_device(request.user):
        return redirect(next_url)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            result = services.verify_code(user=request.user, code=form.cleaned_data["code"])
        except ServiceError as exc:
            signin.count_failure(request, request.user)
            if getattr(request, "axes_locked_out", False):
                logout(request)  # AxesMiddleware answers with the lockout page
            form.add_error("code", _wrong_code(exc))
        else:
            signin.mark_verified(request, result.device)
            _say_recovery(request, result)
            return redirect(next_url)
    ctx = {
        "form": form,
        "next": next_url,
        "first": not policy.session_verified(request),
        "fresh_minutes": _fresh_minutes(),
    }
    return render(request, "accounts/twofactor/confirm.html", ctx)


# --- one's own authenticator ----------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def setup(request):
    """Enrolment (QR code, secret, first code, then the recovery codes once), or the status."""
    request.nav_section = "twofactor"
    user, next_url = request.user, _next(request)
    if policy.has_device(user):
        ctx = {"status": policy.user_status(user), "roles": _required_roles(user), "fresh_minutes": _fresh_minutes()}
        return render(request, "accounts/twofactor/status.html", ctx)
    device = services.totp_enrol_start(user=user)
    form = CodeForm(request.POST or None, recovery=False)
    ok, result = form_action(request, form, lambda d: services.totp_enrol_confirm(user=user, token=d["code"]))
    if ok:
        device, codes = result
        signin.mark_verified(request, device)
        messages.success(request, _("双因素认证已启用。今后登录时，输入密码后还须输入验证码。"))
        return render(request, "accounts/twofactor/recovery_codes.html", {"codes": codes, "next": next_url})
    ctx = {
        "form": form,
        "next": next_url,
        "qr": enrolment.qr_svg(enrolment.otpauth_uri(device)),
        "secret_groups": enrolment.secret_groups(device),
        "required": policy.is_required(user),
        "roles": _required_roles(user),
    }
    return render(request, "accounts/twofactor/setup.html", ctx)


def _required_roles(user) -> list[str]:
    rules = {r.role: r.required for r in policy.role_rules()}
    held = policy.roles_of(user)
    return [str(role.label) for role in Role if role in held and rules.get(role)]


@require_POST
@require_fresh_otp(back="accounts:twofactor_setup")
def recovery(request):
    request.nav_section = "twofactor"
    try:
        codes = services.recovery_codes_regenerate(user=request.user)
    except ServiceError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("accounts:twofactor_setup")
    messages.success(request, _("已生成新的恢复码，原有恢复码全部作废。"))
    return render(request, "accounts/twofactor/recovery_codes.html", {"codes": codes, "regenerated": True})


@require_POST
@require_fresh_otp(back="accounts:twofactor_setup")
def disable(request):
    rebind = request.POST.get("rebind") == "1"
    done = _("原验证器已解除，请用新手机扫描二维码。") if rebind else _("双因素认证已停用。")
    return post_action(
        request,
        lambda: services.twofactor_disable(user=request.user, rebind=rebind),
        done,
        "accounts:twofactor_setup",
    )


# --- the office -----------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@perm_required(Perm.USER_VIEW)
@require_fresh_otp(back="accounts:twofactor_rules")
def rules(request):
    """Which roles must sign in with a second factor (installation-wide)."""
    request.nav_section = "users"
    can_edit = policy.can_manage_rules(request.user)
    if request.method == "POST" and not can_edit:
        raise PermissionDenied
    rows = policy.role_rules()
    form = RuleForm(request.POST or None, rules=rows)
    ok, changed = form_action(
        request, form, lambda d: services.twofactor_rules_set(actor=request.user, rules=form.changes())
    )
    if ok:
        messages.success(request, _("已保存，%(n)d 个角色的要求有变化。") % {"n": changed})
        return redirect("accounts:twofactor_rules")
    ctx = {
        "form": form,
        "rows": [(r, form[r.role.value]) for r in rows],
        "can_edit": can_edit,
        "fresh_minutes": _fresh_minutes(),
    }
    return render(request, "accounts/twofactor/rules.html", ctx)


def _user_page(request, pk) -> str:
    return reverse("accounts:user_detail", args=[pk])


@require_POST
@require_fresh_otp(back=_user_page)
def reset(request, pk):
    target = access_user(request.user, pk, Perm.USER_MANAGE)
    return post_action(
        request,
        lambda: services.twofactor_reset(actor=request.user, user=target),
        _("已重置该账户的双因素认证，本人下次登录时须重新绑定手机。"),
        target,
    )
