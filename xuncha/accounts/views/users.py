"""User accounts and role assignments."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from xuncha.accounts import selectors, services
from xuncha.accounts.forms import PasswordResetForm, RoleGrantForm, UserCreateForm, UserFilterForm, UserForm
from xuncha.accounts.permissions import (
    Perm,
    Role,
    access_role_assignment,
    access_user,
    can_grant,
    has_perm,
)
from xuncha.common.decorators import perm_required
from xuncha.common.exceptions import ServiceError
from xuncha.common.pagination import paginate


@require_GET
@perm_required(Perm.USER_VIEW)
def user_list(request):
    form = UserFilterForm(request.GET or None, user=request.user)
    filters = form.cleaned_data if form.is_valid() else {}
    page = paginate(request, selectors.user_list(user=request.user, filters=filters))
    ctx = {"form": form, "page": page, "can_manage": has_perm(request.user, Perm.USER_MANAGE)}
    return render(request, "accounts/user_list.html", ctx)


@require_GET
def user_detail(request, pk):
    target = access_user(request.user, pk)
    assignments = list(selectors.user_assignments(target=target))
    for a in assignments:
        a.can_revoke = a.is_active and a.user_id != request.user.pk and can_grant(request.user, Role(a.role), a.scope)
    ctx = {
        "target": target,
        "assignments": assignments,
        "can_manage": has_perm(request.user, Perm.USER_MANAGE, target),
        "can_grant": has_perm(request.user, Perm.ROLE_ASSIGN) and has_perm(request.user, Perm.USER_MANAGE, target),
    }
    return render(request, "accounts/user_detail.html", ctx)


@require_http_methods(["GET", "POST"])
@perm_required(Perm.USER_MANAGE)
def user_create(request):
    form = UserCreateForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            target = services.user_create(
                actor=request.user,
                username=data["username"],
                full_name=data["full_name"],
                unit=data["unit"],
                person=data["person"],
                email=data["email"],
                phone=data["phone"],
                password=data["password1"],
            )
        except ServiceError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("账户“%(name)s”已创建，请为其分配角色。") % {"name": target.username})
            return redirect(target)
    return render(request, "accounts/user_form.html", {"form": form, "target": None})


@require_http_methods(["GET", "POST"])
def user_edit(request, pk):
    target = access_user(request.user, pk, Perm.USER_MANAGE)
    initial = {
        "full_name": target.full_name,
        "unit": target.unit,
        "person": target.person,
        "email": target.email,
        "phone": target.phone,
    }
    form = UserForm(request.POST or None, initial=initial, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_update(actor=request.user, user=target, **form.cleaned_data)
        except ServiceError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("账户信息已保存。"))
            return redirect(target)
    return render(request, "accounts/user_form.html", {"form": form, "target": target})


@require_POST
def user_set_active(request, pk):
    target = access_user(request.user, pk, Perm.USER_MANAGE)
    active = request.POST.get("active") == "1"
    try:
        services.user_set_active(actor=request.user, user=target, active=active)
    except ServiceError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("账户已启用。") if active else _("账户已停用。"))
    return redirect(target)


@require_http_methods(["GET", "POST"])
def user_password(request, pk):
    target = access_user(request.user, pk, Perm.USER_MANAGE)
    form = PasswordResetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_set_password(actor=request.user, user=target, password=form.cleaned_data["password1"])
        except ServiceError as exc:
            form.add_error("password1", exc)
        else:
            messages.success(request, _("密码已重置，请通知本人登录后及时修改。"))
            return redirect(target)
    return render(request, "accounts/user_password.html", {"form": form, "target": target})


@require_http_methods(["GET", "POST"])
def role_grant(request, pk):
    target = access_user(request.user, pk, Perm.USER_MANAGE)
    form = RoleGrantForm(request.POST or None, user=request.user, initial={"scope": target.unit})
    if request.method == "POST" and form.is_valid():
        try:
            services.role_grant(actor=request.user, user=target, **form.cleaned_data)
        except ServiceError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("角色已授予。"))
            return redirect(target)
    return render(request, "accounts/role_form.html", {"form": form, "target": target})


@require_POST
def role_revoke(request, pk):
    assignment = access_role_assignment(request.user, pk)
    try:
        services.role_revoke(actor=request.user, assignment=assignment)
    except ServiceError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("授权已撤销。"))
    return redirect(assignment.user)
