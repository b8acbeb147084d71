"""Transfer pages: the register (office, team, receivers — each sees its own), sending, the
detail with the package and the steps, the letter, the round's statistics."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from xuncha.accounts.decorators import perm_required
from xuncha.accounts.permissions import Perm, has_perm
from xuncha.common.pagination import paginate
from xuncha.common.views_helpers import form_action, post_form_action
from xuncha.files.responses import attachment_disposition, stored_file_response
from xuncha.plans.access import access_round
from xuncha.transfers import selectors, services
from xuncha.transfers.access import access_transfer
from xuncha.transfers.filters import TransferFilter
from xuncha.transfers.forms import StepForm, TransferForm
from xuncha.transfers.pdf import transfer_letter_export
from xuncha.transfers.workflow import TRANSFER_WORKFLOW


@require_GET
@perm_required(Perm.TRANSFER_VIEW)
def transfer_list(request):
    clock = selectors.Clock()
    filterset = TransferFilter(request.GET, selectors.transfer_list(user=request.user), clock=clock)
    page = paginate(request, filterset.qs)
    clock.preload(list({t.round.jurisdiction_id: t.round.jurisdiction for t in page}.values()))
    ctx = {"page": page, "rows": [(t, clock.due(t)) for t in page], "form": filterset.form}
    return render(request, "transfers/list.html", ctx)


@require_http_methods(["GET", "POST"])
def transfer_create(request, round_pk):
    rnd = access_round(request.user, round_pk, Perm.TRANSFER_SEND)
    form = TransferForm(request.POST or None, request.FILES or None, rnd=rnd, initial={"sent_on": timezone.localdate()})

    def send(d):
        return services.transfer_send(
            actor=request.user,
            round=rnd,
            **{k: d[k] for k in ("kind", "receiver", "target", "title", "summary", "persons", "persons_count")},
            doc_no=d["doc_no"],
            secrecy=d["secrecy"],
            problems=list(d["problems"]),
            papers=list(d["papers"]),
            uploads=d["uploads"],
            sent_on=d["sent_on"],
        )

    ok, transfer = form_action(request, form, send)
    if ok:
        messages.success(request, _("已移交%(unit)s，移交函已生成。") % {"unit": transfer.receiver.name})
        return redirect(transfer)
    return render(request, "transfers/form.html", {"form": form, "rnd": rnd})


@require_GET
def transfer_detail(request, pk):
    transfer = access_transfer(request.user, pk)
    ctx = {
        "transfer": transfer,
        "problems": transfer.problems.select_related("target__unit").order_by("number"),
        "papers": transfer.papers.select_related("team").order_by("number"),
        "attachments": transfer.attachments.select_related("file"),
        "events": transfer.events.select_related("actor"),
        "due": selectors.Clock().due(transfer),
        "actions": [
            (t, StepForm(action=t.action, prefix=t.action))
            for t in selectors.transfer_actions(user=request.user, transfer=transfer)
        ],
        "can_open_papers": has_perm(request.user, Perm.FIELDWORK_VIEW, transfer.round),
    }
    return render(request, "transfers/detail.html", ctx)


@require_POST
def transfer_transition(request, pk, action):
    transfer = access_transfer(request.user, pk)
    transition = TRANSFER_WORKFLOW.get(action)
    if transition is None:
        raise Http404
    form = StepForm(request.POST, action=action, prefix=action)
    return post_form_action(
        request,
        form,
        lambda d: services.transfer_transition(obj=transfer, action=action, actor=request.user, data=d),
        _("已%(action)s。") % {"action": transition.label},
        transfer,
    )


@require_GET
def transfer_letter(request, pk):
    transfer = access_transfer(request.user, pk)
    export = transfer_letter_export(actor=request.user, transfer=transfer, source=request.get_full_path())
    response = HttpResponse(export.content, content_type=export.content_type)
    response["Content-Disposition"] = attachment_disposition(export.filename)
    return response


@require_GET
def transfer_attachment(request, pk, attachment_pk):
    transfer = access_transfer(request.user, pk)
    attachment = transfer.attachments.select_related("file").filter(pk=attachment_pk).first()
    if attachment is None:
        raise Http404
    return stored_file_response(request, attachment.file, target=transfer, what="transfer_attachment")


@require_GET
def round_stats(request, round_pk):
    rnd = access_round(request.user, round_pk, Perm.TRANSFER_VIEW)
    stats = selectors.transfer_stats(user=request.user, round_id=rnd.pk)
    return render(
        request,
        "transfers/stats.html",
        {"rnd": rnd, "stats": stats, "can_send": has_perm(request.user, Perm.TRANSFER_SEND, rnd)},
    )
