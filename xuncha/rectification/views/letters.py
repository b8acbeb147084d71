"""Escalation letter pages (五书制): the office's register, one plan's ladder, issuing a letter,
reading it, its Word file, and the formal talk of an accountability letter."""

from datetime import timedelta

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from xuncha.accounts.decorators import perm_required
from xuncha.accounts.permissions import Perm, has_perm
from xuncha.common.pagination import paginate
from xuncha.common.views_helpers import form_action, post_form_action
from xuncha.files.responses import attachment_disposition
from xuncha.rectification.access import access_plan, access_plan_record
from xuncha.rectification.filters import LetterFilter
from xuncha.rectification.forms_letters import LetterForm, TalkForm
from xuncha.rectification.models import LETTER_ORDER, EscalationLetter, LetterKind, PlanState
from xuncha.rectification.selectors import letters as selectors
from xuncha.rectification.services import letters as services


@require_GET
@perm_required(Perm.RECTIFY_VIEW)
def letter_list(request):
    units = selectors.letter_units(user=request.user)
    filterset = LetterFilter(request.GET, selectors.letter_list(user=request.user), units=units)
    ctx = {"page": paginate(request, filterset.qs), "form": filterset.form}
    return render(request, "rectification/letter_list.html", ctx)


@require_GET
def plan_letters(request, pk):
    plan = access_plan(request.user, pk)
    letters = selectors.plan_letters(plan)
    ctx = {
        "plan": plan,
        "letters": letters,
        "steps": selectors.ladder_steps(letters),
        "next_kind": LetterKind(services.next_kind(plan)),
        "can_issue": has_perm(request.user, Perm.RECTIFY_SUPERVISE, plan) and plan.state == PlanState.APPROVED,
        "approved": plan.state == PlanState.APPROVED,
    }
    return render(request, "rectification/plan_letters.html", ctx)


def _initial(plan, kind: str) -> dict:
    today = timezone.localdate()
    tasks = services.default_tasks(plan, today)
    initial = {
        "doc_no": services.suggest_doc_no(plan, today),
        "issued_on": today,
        "tasks": [t.pk for t in tasks],
        "body": services.default_body(plan, kind, tasks, today),
    }
    if kind == LetterKind.WARNING:
        initial["final_due"] = today + timedelta(days=15)
    return initial


@require_http_methods(["GET", "POST"])
def letter_add(request, pk):
    plan = access_plan(request.user, pk, Perm.RECTIFY_SUPERVISE)
    if plan.state != PlanState.APPROVED:
        messages.error(request, _("整改方案审核通过后才能发出督办文书。"))
        return redirect("rectification:plan_letters", plan.pk)
    kind = request.POST.get("kind") or request.GET.get("kind") or services.next_kind(plan)
    if kind not in LETTER_ORDER:
        kind = services.next_kind(plan)
    warning = services.order_warning(plan, kind)
    tasks = plan.tasks.exclude(state__in=("closed",)).select_related("problem").order_by("number")
    form = LetterForm(request.POST or None, kind=kind, tasks=tasks, skipped=bool(warning), initial=_initial(plan, kind))

    def issue(d):
        talk = {k: d.get(k) for k in LetterForm.TALK if k in d}
        return services.letter_issue(
            actor=request.user,
            plan=plan,
            kind=kind,
            doc_no=d["doc_no"],
            body=d["body"],
            tasks=list(d["tasks"]),
            issued_on=d["issued_on"],
            final_due=d.get("final_due"),
            confirm_order=d.get("confirm_order", False),
            **talk,
        )

    ok, letter = form_action(request, form, issue)
    if ok:
        messages.success(
            request, _("已发出%(kind)s（%(no)s）。") % {"kind": letter.get_kind_display(), "no": letter.doc_no}
        )
        return redirect(letter)
    kinds = [
        {"kind": k, "label": LetterKind(k).label, "active": k == kind, "suggested": k == services.next_kind(plan)}
        for k in LETTER_ORDER
    ]
    ctx = {"plan": plan, "form": form, "kind": LetterKind(kind), "kinds": kinds, "warning": warning}
    return render(request, "rectification/letter_form.html", ctx)


@require_GET
def letter_detail(request, pk):
    letter = access_plan_record(request.user, EscalationLetter, pk)
    can_talk = letter.kind == LetterKind.ACCOUNTABILITY and has_perm(request.user, Perm.RECTIFY_SUPERVISE, letter)
    initial = {k: getattr(letter, k) for k in LetterForm.TALK}
    ctx = {
        "letter": letter,
        "plan": letter.plan,
        "tasks": letter.tasks.select_related("problem").order_by("number"),
        "paragraphs": [line for line in letter.body.splitlines() if line.strip()],
        "talk_form": TalkForm(initial=initial) if can_talk else None,
        # A county leader reads a letter on his items without reaching the unit's plan.
        "can_see_plan": has_perm(request.user, Perm.RECTIFY_VIEW, letter.plan),
    }
    return render(request, "rectification/letter_detail.html", ctx)


@require_GET
def letter_docx(request, pk):
    letter = access_plan_record(request.user, EscalationLetter, pk)
    export = services.letter_export(actor=request.user, letter=letter, source=request.get_full_path())
    response = HttpResponse(export.content, content_type=export.content_type)
    response["Content-Disposition"] = attachment_disposition(export.filename)
    return response


@require_POST
def letter_talk(request, pk):
    letter = access_plan_record(request.user, EscalationLetter, pk, Perm.RECTIFY_SUPERVISE)
    return post_form_action(
        request,
        TalkForm(request.POST),
        lambda d: services.letter_talk(actor=request.user, letter=letter, **d),
        _("已记录约谈情况。"),
        letter,
    )
