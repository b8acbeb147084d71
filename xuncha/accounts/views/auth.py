"""Sign-in, sign-out and one's own password."""

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect, render
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from xuncha.accounts import services
from xuncha.accounts.forms import LoginForm, PasswordResetForm
from xuncha.common.exceptions import ServiceError


@method_decorator(login_not_required, name="dispatch")
class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    pass


@require_http_methods(["GET", "POST"])
def password_change(request):
    form = PasswordResetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if not request.user.check_password(request.POST.get("old_password", "")):
            form.add_error(None, _("原密码不正确。"))
        else:
            try:
                services.user_set_password(
                    actor=request.user, user=request.user, password=form.cleaned_data["password1"]
                )
            except ServiceError as exc:
                form.add_error("password1", exc)
            else:
                request.user.refresh_from_db()
                update_session_auth_hash(request, request.user)
                messages.success(request, _("密码已修改。"))
                return redirect("home")
    return render(request, "accounts/password_change.html", {"form": form})
