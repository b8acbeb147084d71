"""On-site records of a team."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from xuncha.accounts.permissions import Perm
from xuncha.common.pagination import paginate
from xuncha.common.views_helpers import form_action
from xuncha.fieldwork import selectors, services
from xuncha.fieldwork.access import access_record
from xuncha.fieldwork.filters import RecordFilter
from xuncha.fieldwork.forms import RecordForm
from xuncha.fieldwork.models import RecordKind
from xuncha.plans.access import access_team


@require_GET
def record_list(request, pk):
    team = access_team(request.user, pk, Perm.FIELDWORK_VIEW)
    filterset = RecordFilter(request.GET, selectors.record_list(user=request.user, team=team))
    ctx = {
        "team": team,
        "page": paginate(request, filterset.qs),
        "kind": filterset.valid_data.get("kind") or "",
        "kinds": RecordKind.choices,
        "can_write": selectors.can_write(request.user, team),
    }
    return render(request, "fieldwork/record_list.html", ctx)


def _kind(request) -> str:
    kind = request.GET.get("kind", "")
    if kind not in RecordKind.values:
        raise Http404
    return kind


@require_http_methods(["GET", "POST"])
def record_create(request, pk):
    team = access_team(request.user, pk, Perm.FIELDWORK_VIEW)
    kind = _kind(request)
    form = RecordForm(request.POST or None, request.FILES or None, team=team, kind=kind)
    ok, record = form_action(
        request, form, lambda d: services.record_create(actor=request.user, team=team, kind=kind, **d)
    )
    if ok:
        messages.success(request, _("已记录：%(title)s。") % {"title": record.title})
        return redirect(record)
    return render(
        request, "fieldwork/record_form.html", {"form": form, "team": team, "kind": RecordKind(kind), "record": None}
    )


@require_GET
def record_detail(request, pk):
    record = access_record(request.user, pk)
    ctx = {"record": record, "can_write": selectors.can_write(request.user, record.team)}
    return render(request, "fieldwork/record_detail.html", ctx)


@require_http_methods(["GET", "POST"])
def record_edit(request, pk):
    record = access_record(request.user, pk, Perm.FIELDWORK_EDIT)
    fields = (
        "target",
        "title",
        "planned",
        "occurred_on",
        "place",
        "interviewee",
        "interviewee_name",
        "category",
        "provider",
        "handed_over_on",
        "returned_on",
        "content",
        "confirmed_on",
    )
    initial = {f: getattr(record, f) for f in fields} | {"interviewers": list(record.interviewers.all())}
    form = RecordForm(request.POST or None, request.FILES or None, initial=initial, team=record.team, kind=record.kind)

    def save(d):
        d.pop("target")
        return services.record_update(actor=request.user, record=record, **d)

    ok, _r = form_action(request, form, save)
    if ok:
        messages.success(request, _("记录已保存。"))
        return redirect(record)
    ctx = {"form": form, "team": record.team, "kind": RecordKind(record.kind), "record": record}
    return render(request, "fieldwork/record_form.html", ctx)
