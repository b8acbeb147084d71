"""Focus lists: the versions in use, and a new version written by the office."""

from django.contrib import messages
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from xuncha.accounts.decorators import perm_required
from xuncha.accounts.models import OrgUnit
from xuncha.accounts.permissions import Perm, has_perm, perm_paths
from xuncha.common.filters import IdField, query_value
from xuncha.common.views_helpers import form_action, post_action
from xuncha.findings.forms import FocusListForm
from xuncha.findings.models import FocusItem, FocusList
from xuncha.findings.services import focus as services


def _visible(user):
    """National lists and the lists of the jurisdictions the user manages or works in."""
    paths = perm_paths(user, Perm.FOCUS_MANAGE) or perm_paths(user, Perm.FINDING_VIEW)
    lists = FocusList.objects.filter(jurisdiction__isnull=True)
    for path in paths:
        lists = lists | FocusList.objects.filter(jurisdiction__path__startswith=path)
    return lists.distinct()


@require_GET
@perm_required(Perm.FOCUS_MANAGE)
def focus_list_index(request):
    lists = (
        _visible(request.user)
        .select_related("jurisdiction")
        .annotate(n_items=Count("items", distinct=True), n_rounds=Count("rounds", distinct=True))
        .order_by("name", "-version")
    )
    return render(request, "findings/focus_list_index.html", {"lists": lists})


@require_GET
@perm_required(Perm.FOCUS_MANAGE)
def focus_list_detail(request, pk):
    focus = get_object_or_404(_visible(request.user).select_related("jurisdiction"), pk=pk)
    items = FocusItem.objects.filter(focus_list=focus, parent=None).prefetch_related("children").order_by("position")
    can_change = (
        has_perm(request.user, Perm.ADMIN_SITE)
        if focus.jurisdiction_id is None
        else has_perm(request.user, Perm.FOCUS_MANAGE, focus.jurisdiction)
    )
    return render(
        request, "findings/focus_list_detail.html", {"focus": focus, "items": items, "can_change": can_change}
    )


@require_http_methods(["GET", "POST"])
@perm_required(Perm.FOCUS_MANAGE)
def focus_list_create(request):
    """A new version, prefilled from the list it follows (?from=<pk>)."""
    jurisdictions = OrgUnit.objects.none()
    for path in perm_paths(request.user, Perm.FOCUS_MANAGE):
        jurisdictions = jurisdictions | OrgUnit.objects.filter(
            path__startswith=path, unit_type__in=["county", "city", "province"]
        )
    initial = {}
    source_pk = query_value(request, "from", IdField())
    source = _visible(request.user).filter(pk=source_pk).first() if source_pk else None
    if source is not None:
        lines = []
        for item in (
            FocusItem.objects.filter(focus_list=source, parent=None).prefetch_related("children").order_by("position")
        ):
            lines += [item.text, *(f"- {c.text}" for c in item.children.order_by("position"))]
        initial = {"name": source.name, "applies_to": source.applies_to, "items_text": "\n".join(lines)}
    form = FocusListForm(request.POST or None, jurisdictions=jurisdictions.order_by("path"), initial=initial)
    ok, focus = form_action(request, form, lambda d: services.focus_list_create(actor=request.user, **d))
    if ok:
        messages.success(request, _("已建立“%(list)s”，新的巡察轮次可以选用。") % {"list": focus})
        return redirect("findings:focus_list_detail", focus.pk)
    return render(request, "findings/focus_list_form.html", {"form": form, "source": source})


@require_POST
def focus_list_toggle(request, pk):
    focus = get_object_or_404(_visible(request.user), pk=pk)
    active = not focus.active
    return post_action(
        request,
        lambda: services.focus_list_set_active(actor=request.user, focus_list=focus, active=active),
        _("已设为可选用。") if active else _("已停用，已使用该清单的轮次不受影响。"),
        f"/findings/focus/{focus.pk}/",
    )
