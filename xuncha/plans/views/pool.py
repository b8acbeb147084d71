"""The talent pool (巡察人才库)."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from xuncha.accounts.decorators import perm_required
from xuncha.accounts.permissions import Perm, has_perm
from xuncha.common.pagination import paginate
from xuncha.common.views_helpers import form_action, post_form_action
from xuncha.plans import selectors, services
from xuncha.plans.access import access_pool_entry
from xuncha.plans.filters import PoolFilter
from xuncha.plans.forms import PoolEntryForm, TrainingForm


@require_GET
@perm_required(Perm.POOL_VIEW)
def pool_list(request):
    filterset = PoolFilter(request.GET, selectors.pool_list(user=request.user))
    page = paginate(request, filterset.qs)
    ctx = {"form": filterset.form, "page": page, "can_manage": has_perm(request.user, Perm.POOL_MANAGE)}
    return render(request, "plans/pool_list.html", ctx)


@require_http_methods(["GET", "POST"])
@perm_required(Perm.POOL_MANAGE)
def pool_create(request):
    return _pool_form(request, None)


@require_http_methods(["GET", "POST"])
def pool_edit(request, pk):
    return _pool_form(request, access_pool_entry(request.user, pk, Perm.POOL_MANAGE))


def _pool_form(request, entry):
    initial = {}
    if entry:
        fields = (
            "person",
            "jurisdiction",
            "in_leader_pool",
            "in_specialist_pool",
            "in_staff_pool",
            "available",
            "availability_note",
        )
        initial = {f: getattr(entry, f) for f in fields} | {"expertise": list(entry.expertise.all())}
    form = PoolEntryForm(request.POST or None, initial=initial, user=request.user)
    ok, saved = form_action(request, form, lambda d: services.pool_entry_save(actor=request.user, **d))
    if ok:
        messages.success(request, _("已保存%(name)s的人才库信息。") % {"name": saved.person.name})
        return redirect("plans:pool_list")
    ctx = {"form": form, "entry": entry}
    if entry:
        ctx["trainings"] = entry.trainings.all()
        served = entry.person.team_memberships.select_related("team__round", "team__appraisal")  # 巡后评估
        ctx["served"] = served.order_by("-team__round__year")
        ctx["training_form"] = TrainingForm()
    return render(request, "plans/pool_form.html", ctx)


@require_POST
def training_add(request, pk):
    entry = access_pool_entry(request.user, pk, Perm.POOL_MANAGE)
    return post_form_action(
        request,
        TrainingForm(request.POST),
        lambda d: services.training_add(actor=request.user, entry=entry, **d),
        _("培训记录已添加。"),
        reverse("plans:pool_edit", args=[entry.pk]),
    )
