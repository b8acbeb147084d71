"""Feedback pages: the team's (prepare, record, send) and the unit's own (its list and problems)."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from xuncha.accounts.decorators import perm_required
from xuncha.accounts.permissions import Perm, has_perm
from xuncha.common.exceptions import ServiceError
from xuncha.common.pagination import paginate
from xuncha.common.views_helpers import post_form_action
from xuncha.files.responses import attachment_disposition
from xuncha.findings import selectors
from xuncha.findings.access import access_feedback
from xuncha.findings.documents.pdf import feedback_document_export
from xuncha.findings.forms import FeedbackForm, SectionsForm, SendForm
from xuncha.findings.models import FEEDBACK, CopyKind, FeedbackState, sections_of
from xuncha.findings.services import feedback as services
from xuncha.findings.services import sections as section_services
from xuncha.plans.access import access_target


@require_POST
def feedback_prepare(request, pk):
    target = access_target(request.user, pk, Perm.FEEDBACK_SEND)
    try:
        feedback = services.feedback_prepare(actor=request.user, target=target)
    except ServiceError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("findings:team_findings", target.team_id)
    return redirect(feedback)


def _form(feedback, data=None):
    copies = {c.kind: c for c in feedback.copies.select_related("unit", "person")}
    initial = {
        "doc_no": feedback.doc_no,
        "meeting_on": feedback.meeting_on,
        "meeting_place": feedback.meeting_place,
        "attendees": feedback.attendees,
        "main_leader": feedback.main_leader,
        "main_leader_on": feedback.main_leader_on,
        "copy_discipline": getattr(copies.get(CopyKind.DISCIPLINE), "unit", None),
        "copy_organisation": getattr(copies.get(CopyKind.ORGANISATION), "unit", None),
        "copy_sector": getattr(copies.get(CopyKind.SECTOR), "unit", None),
        "copy_leader": getattr(copies.get(CopyKind.SUPERVISING_LEADER), "person", None),
    }
    target = feedback.target
    return FeedbackForm(data, initial=initial, jurisdiction=target.round.jurisdiction, unit=target.unit)


@require_GET
def feedback_detail(request, pk):
    # The inspection side's page (drafts included); units and copied leaders use the unit pages.
    feedback = access_feedback(request.user, pk, Perm.FINDING_VIEW)
    can_send = has_perm(request.user, Perm.FEEDBACK_SEND, feedback) and feedback.state == FeedbackState.DRAFT
    texts = section_services.current_texts(feedback)
    ctx = {
        "sections": [{"section": s, "text": texts.get(s.key, "")} for s in sections_of(FEEDBACK)],
        "sections_form": SectionsForm(initial=texts, sections=sections_of(FEEDBACK)) if can_send else None,
        "feedback": feedback,
        "problems": selectors.problem_list(user=request.user, target=feedback.target),
        "copies": feedback.copies.select_related("unit", "person"),
        "clock": selectors.feedback_clock(feedback),
        "form": _form(feedback) if can_send else None,
        "send_form": SendForm(initial={"sent_on": timezone.localdate()}) if can_send else None,
    }
    return render(request, "findings/feedback_detail.html", ctx)


@require_POST
def feedback_update(request, pk):
    feedback = access_feedback(request.user, pk, Perm.FEEDBACK_SEND)
    form = _form(feedback, request.POST)

    def save(d):
        fields = ("doc_no", "meeting_on", "meeting_place", "attendees", "main_leader", "main_leader_on")
        return services.feedback_update(
            actor=request.user, feedback=feedback, copies=form.copies(), **{k: d[k] for k in fields}
        )

    return post_form_action(request, form, save, _("反馈记录已保存。"), feedback)


@require_POST
def feedback_sections(request, pk):
    feedback = access_feedback(request.user, pk, Perm.FEEDBACK_SEND)
    form = SectionsForm(request.POST, sections=sections_of(FEEDBACK))
    return post_form_action(
        request,
        form,
        lambda d: section_services.feedback_sections_save(actor=request.user, feedback=feedback, texts=d),
        _("已保存反馈意见的撰写内容。"),
        feedback,
    )


@require_POST
def feedback_send(request, pk):
    feedback = access_feedback(request.user, pk, Perm.FEEDBACK_SEND)
    form = SendForm(request.POST)
    return post_form_action(
        request,
        form,
        lambda d: services.feedback_send(actor=request.user, feedback=feedback, sent_on=d["sent_on"]),
        _("已反馈。被巡察单位可在“巡察反馈”中查看问题清单，整改期限自反馈日期起算。"),
        feedback,
    )


def _document(request, feedback):
    export = feedback_document_export(actor=request.user, feedback=feedback, source=request.get_full_path())
    response = HttpResponse(export.content, content_type=export.content_type)
    response["Content-Disposition"] = attachment_disposition(export.filename)
    return response


@require_GET
def feedback_document(request, pk):
    return _document(request, access_feedback(request.user, pk, sent_only=True))


# --- the inspected unit's own view --------------------------------------------------------


@require_GET
@perm_required(Perm.FEEDBACK_VIEW)
def unit_feedback_list(request):
    page = paginate(request, selectors.unit_feedback_list(user=request.user))
    return render(request, "findings/unit_feedback_list.html", {"page": page})


@require_GET
def unit_feedback_detail(request, pk):
    """A unit's view: the opinion and its problem list, never the papers or anything behind them."""
    feedback = access_feedback(request.user, pk, sent_only=True)
    ctx = {
        "feedback": feedback,
        "problems": feedback.target.problems.order_by("number"),
        "clock": selectors.feedback_clock(feedback),
        "can_plan": has_perm(request.user, Perm.RECTIFY_EDIT, feedback),
    }
    return render(request, "findings/unit_feedback_detail.html", ctx)
