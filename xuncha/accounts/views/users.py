"""User accounts and role assignments."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from xuncha.accounts import selectors, services
from xuncha.accounts.decorators import perm_required
from xuncha.accounts.filters import UserFilter
from xuncha.accounts.forms import PasswordResetForm, RoleGrantForm, UserCreateForm, UserForm
from xuncha.accounts.permissions import (
    Perm,
    Role,
    access_role_assignment,
    access_user,
    can_grant,
    has_perm,
)
from xuncha.accounts.twofactor import policy as twofactor
from xuncha.accounts.twofactor.decorators import require_fresh_otp
from xuncha.common.pagination import paginate
from xuncha.common.views_helpers import form_action, post_action


@require_GET
@perm_required(Perm.USER_VIEW)
def user_list(request):
    filterset = UserFilter(request.GET, selectors.user_list(user=request.user), user=request.user)
    page = paginate(request, filterset.qs)
    ctx = {"form": filterset.form, "page": page, "can_manage": has_perm(request.user, Perm.USER_MANAGE)}
    return render(request, "accounts/user_list.html", ctx)


@require_GET
def user_detail(request, pk):
    target = access_user(request.user, pk)
    assignments = list(selectors.user_assignments(target=target))
    for a in assignments:
        a.can_revoke = a.is_active and a.user_id != request.user.pk and can_grant(request.user, Role(a.role), a.scope)
    can_manage = has_perm(request.user, Perm.USER_MANAGE, target)
    ctx = {
        "target": target,
        "assignments": assignments,
        "can_manage": can_manage,
        "can_grant": can_manage and has_perm(request.user, Perm.ROLE_ASSIGN),
        "twofactor": twofactor.user_status(target),
    }
    return render(request, "accounts/user_detail.html", ctx)


def _create_user(actor, d):
    password = d.pop("password1")
    d.pop("password2")
    return services.user_create(actor=actor, password=password, **d)


@require_http_methods(["GET", "POST"])
@perm_required(Perm.USER_MANAGE)
def user_create(request):
    form = UserCreateForm(request.POST or None, user=request.user)
    ok, target = form_action(request, form, lambda d: _create_user(request.user, dict(d)))
    if ok:
        messages.success(request, _("账户“%(name)s”已创建，请为其分配角色。") % {"name": target.username})
        return redirect(target)
    return render(request, "accounts/user_form.html", {"form": form, "target": None})


@require_http_methods(["GET", "POST"])
def user_edit(request, pk):
    target = access_user(request.user, pk, Perm.USER_MANAGE)
    fields = ("full_name", "unit", "person", "email", "phone")
    form = UserForm(request.POST or None, initial={f: getattr(target, f) for f in fields}, user=request.user)
    ok, _user = form_action(request, form, lambda d: services.user_update(actor=request.user, user=target, **d))
    if ok:
        messages.success(request, _("账户信息已保存。"))
        return redirect(target)
    return render(request, "accounts/user_form.html", {"form": form, "target": target})


@require_POST
def user_set_active(request, pk):
    target = access_user(request.user, pk, Perm.USER_MANAGE)
    active = request.POST.get("active") == "1"
    return post_action(
        request,
        lambda: services.user_set_active(actor=request.user, user=target, active=active),
        _("账户已启用。") if active else _("账户已停用。"),
        target,
    )


@require_http_methods(["GET", "POST"])
def user_password(request, pk):
    target = access_user(request.user, pk, Perm.USER_MANAGE)
    form = PasswordResetForm(request.POST or None)
    ok, _user = form_action(
        request, form, lambda d: services.user_set_password(actor=request.user, user=target, password=d["password1"])
    )
    if ok:
        messages.success(request, _("密码已重置。请将新密码告知本人，本人下次登录时须先修改密码。"))
        return redirect(target)
    return render(request, "accounts/user_password.html", {"form": form, "target": target})


@require_http_methods(["GET", "POST"])
@require_fresh_otp(methods=("GET", "POST"))  # a fresh code before the form, and again if it took long
def role_grant(request, pk):
    target = access_user(request.user, pk, Perm.USER_MANAGE)
    form = RoleGrantForm(request.POST or None, user=request.user, initial={"scope": target.unit})
    ok, _grant = form_action(request, form, lambda d: services.role_grant(actor=request.user, user=target, **d))
    if ok:
        messages.success(request, _("角色已授予。"))
        return redirect(target)
    return render(request, "accounts/role_form.html", {"form": form, "target": target})


@require_POST
def role_revoke(request, pk):
    assignment = access_role_assignment(request.user, pk)
    return post_action(
        request,
        lambda: services.role_revoke(actor=request.user, assignment=assignment),
        _("授权已撤销。"),
        assignment.user,
    )
