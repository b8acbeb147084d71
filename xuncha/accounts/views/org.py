"""The organisation tree pages. Thin: parse, call one selector or service, render."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from xuncha.accounts import selectors, services
from xuncha.accounts.decorators import perm_required
from xuncha.accounts.filters import UnitFilter
from xuncha.accounts.forms import ReasonForm, UnitForm, UnitMoveForm
from xuncha.accounts.models import OrgUnit
from xuncha.accounts.permissions import Perm, access_unit, has_perm
from xuncha.common.pagination import paginate
from xuncha.common.views_helpers import form_action, post_action


@require_GET
@perm_required(Perm.ORG_VIEW)
def unit_tree(request):
    filterset = UnitFilter(request.GET, selectors.unit_search(user=request.user))
    searching = any(filterset.valid_data.values())
    ctx = {"form": filterset.form, "searching": searching}
    if searching:
        ctx["page"] = paginate(request, filterset.qs)
    else:
        ctx["roots"] = selectors.unit_roots(user=request.user)
    return render(request, "accounts/unit_tree.html", ctx)


@require_GET
def unit_children(request, pk):
    """HTMX: the children of one node, for expanding the tree in place."""
    unit = access_unit(request.user, pk)
    children = selectors.unit_children(user=request.user, parent=unit)
    return render(request, "accounts/unit_tree.html#children", {"children": children, "parent": unit})


@require_GET
def unit_detail(request, pk):
    unit = access_unit(request.user, pk)
    ctx = {
        "unit": unit,
        "ancestors": selectors.unit_visible_ancestors(user=request.user, unit=unit),
        "children_page": paginate(request, selectors.unit_children(user=request.user, parent=unit)),
        "counts": selectors.unit_counts(unit=unit),
        "can_manage": has_perm(request.user, Perm.ORG_MANAGE, unit),
        "can_see_people": has_perm(request.user, Perm.PERSON_VIEW, unit),
    }
    if ctx["can_see_people"]:
        ctx["current_posts"] = selectors.unit_current_posts(unit=unit)
    return render(request, "accounts/unit_detail.html", ctx)


@require_http_methods(["GET", "POST"])
def unit_create(request, parent_pk):
    parent = access_unit(request.user, parent_pk, Perm.ORG_MANAGE)
    form = UnitForm(request.POST or None, user=request.user)
    ok, unit = form_action(request, form, lambda d: services.unit_create(actor=request.user, parent=parent, **d))
    if ok:
        messages.success(request, _("已新增单位“%(name)s”。") % {"name": unit.name})
        return redirect(unit)
    return render(request, "accounts/unit_form.html", {"form": form, "parent": parent, "unit": None})


@require_http_methods(["GET", "POST"])
def unit_edit(request, pk):
    unit = access_unit(request.user, pk, Perm.ORG_MANAGE)
    fields = ("name", "unit_type", "party_org_name", "party_org_kind", "sector_dept")
    form = UnitForm(request.POST or None, initial={f: getattr(unit, f) for f in fields}, user=request.user)
    ok, _unit = form_action(request, form, lambda d: services.unit_update(actor=request.user, unit=unit, **d))
    if ok:
        messages.success(request, _("单位信息已保存。"))
        return redirect(unit)
    ctx = {"form": form, "unit": unit, "parent": OrgUnit.objects.get_parent(unit)}
    return render(request, "accounts/unit_form.html", ctx)


@require_http_methods(["GET", "POST"])
def unit_move(request, pk):
    unit = access_unit(request.user, pk, Perm.ORG_MANAGE)
    form = UnitMoveForm(request.POST or None, user=request.user, unit=unit)
    ok, _unit = form_action(
        request, form, lambda d: services.unit_move(actor=request.user, unit=unit, new_parent=d["new_parent"])
    )
    if ok:
        messages.success(request, _("单位已调整隶属关系。"))
        return redirect(unit)
    return render(request, "accounts/unit_move.html", {"form": form, "unit": unit})


@require_POST
def unit_set_active(request, pk):
    unit = access_unit(request.user, pk, Perm.ORG_MANAGE)
    activate = request.POST.get("active") == "1"
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    done = _("单位已启用。") if activate else _("单位已停用，历史记录保留。")
    return post_action(
        request,
        lambda: services.unit_set_active(actor=request.user, unit=unit, active=activate, reason=reason),
        done,
        unit,
    )
