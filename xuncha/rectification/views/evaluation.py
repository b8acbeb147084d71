"""Evaluation pages: score a plan on its sheet (with a live total), propose a look-back round for a
"差", download the score sheet; the office's list of evaluations and its evaluation sheets."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from xuncha.accounts.decorators import perm_required
from xuncha.accounts.permissions import Perm
from xuncha.common.exceptions import ServiceError
from xuncha.common.pagination import paginate
from xuncha.common.views_helpers import form_action, post_action
from xuncha.rectification.access import access_plan
from xuncha.rectification.filters import EvaluationFilter
from xuncha.rectification.forms_followup import EvaluationForm, SheetForm, SheetItemFormSet
from xuncha.rectification.models import Evaluation, PlanState
from xuncha.rectification.selectors import evaluation as selectors
from xuncha.rectification.selectors.followup import sheet_for_plan
from xuncha.rectification.services import evaluation as services
from xuncha.rectification.views.followup import followup_url
from xuncha.rectification.views.plans import xlsx_response

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _scored_plan(request, pk):
    plan = access_plan(request.user, pk, Perm.RECTIFY_SUPERVISE)
    return plan, Evaluation.objects.select_related("sheet", "lookback_round").filter(plan=plan).first()


@require_http_methods(["GET", "POST"])
def evaluation_edit(request, pk):
    plan, evaluation = _scored_plan(request, pk)
    if plan.state != PlanState.APPROVED:
        messages.error(request, _("整改方案审核通过后才能开展整改评估。"))
        return redirect(followup_url(plan))
    sheet = sheet_for_plan(plan)
    if sheet is None:
        messages.error(request, _("尚无启用的整改评估指标表，请先建立指标表。"))
        return redirect("rectification:evaluation_sheets")
    initial = EvaluationForm.initial_from(evaluation) if evaluation else {"evaluated_on": timezone.localdate()}
    form = EvaluationForm(request.POST or None, initial=initial, sheet=sheet)
    done, _saved = form_action(
        request,
        form,
        lambda d: services.evaluation_save(
            actor=request.user,
            plan=plan,
            evaluated_on=d["evaluated_on"],
            deductions=form.deductions(),
            comment=d["comment"],
        ),
    )
    if done:
        messages.success(request, _("已保存整改评估。"))
        return redirect(followup_url(plan))
    preview = _preview(sheet, form) if request.method == "POST" else evaluation
    ctx = {"plan": plan, "form": form, "sheet": sheet, "evaluation": evaluation, "preview": preview}
    return render(request, "rectification/evaluation_form.html", ctx)


def _preview(sheet, form, errors=None):
    """An unsaved evaluation from the form's values (None, with the reason, while they are not valid)."""
    if not form.is_valid():
        return None
    try:
        deductions = services.clean_deductions(sheet, form.deductions())
    except ServiceError as exc:
        if errors is not None:
            errors.extend(exc.messages)
        return None
    return Evaluation(sheet=sheet, deductions=deductions)


@require_POST
def evaluation_preview(request, pk):
    """The total and grade as the deductions are typed (htmx)."""
    plan, _evaluation = _scored_plan(request, pk)
    sheet = sheet_for_plan(plan)
    form = EvaluationForm(request.POST, sheet=sheet)
    errors: list[str] = []
    preview = _preview(sheet, form, errors)
    return render(request, "rectification/evaluation_total.html", {"preview": preview, "errors": errors})


@require_POST
def evaluation_lookback(request, pk):
    plan, evaluation = _scored_plan(request, pk)
    if evaluation is None:
        messages.error(request, _("尚未开展整改评估。"))
        return redirect(followup_url(plan))
    return post_action(
        request,
        lambda: services.evaluation_propose_lookback(actor=request.user, evaluation=evaluation),
        _("已提请开展“回头看”，草拟的轮次已建立，请到巡察轮次中完善进驻日期和巡察组。"),
        followup_url(plan),
    )


@require_GET
def evaluation_xlsx(request, pk):
    plan = access_plan(request.user, pk)
    evaluation = Evaluation.objects.select_related("sheet", "plan__feedback__target__unit").filter(plan=plan).first()
    if evaluation is None:
        messages.error(request, _("尚未开展整改评估。"))
        return redirect(followup_url(plan))
    evaluation.plan = plan  # already loaded with its unit and round
    name = _("整改评估计分表-%(unit)s.xlsx") % {"unit": plan.feedback.target.unit.name}
    content = selectors.evaluation_xlsx(evaluation)
    return xlsx_response(request, content, name, plan, "rectification_evaluation_sheet", _("整改评估计分表"))


@require_GET
@perm_required(Perm.RECTIFY_SUPERVISE)
def evaluation_list(request):
    filterset = EvaluationFilter(request.GET, selectors.evaluation_list(user=request.user))
    pks = selectors.evaluation_grade_pks(filterset.qs, grade=filterset.valid_data.get("grade") or "")
    page = paginate(request, pks, 25)
    rows = selectors.evaluations_by_pk(list(page.object_list))
    return render(request, "rectification/evaluation_list.html", {"form": filterset.form, "page": page, "rows": rows})


@require_GET
@perm_required(Perm.RECTIFY_SUPERVISE)
def evaluation_sheets(request):
    sheets = selectors.sheet_list(user=request.user)
    can_create = selectors.managed_jurisdictions(request.user).exists()
    return render(request, "rectification/evaluation_sheets.html", {"sheets": sheets, "can_create": can_create})


@require_http_methods(["GET", "POST"])
@perm_required(Perm.RECTIFY_SUPERVISE)
def sheet_create(request):
    jurisdictions = selectors.managed_jurisdictions(request.user)
    first = jurisdictions.first()
    if first is None:
        messages.error(request, _("只有县（市、区）以上巡察机构可以制定评估指标表。"))
        return redirect("rectification:evaluation_sheets")
    current = selectors.sheet_for(first)
    initial = {"jurisdiction": first, "name": current.name if current else _("巡察整改评估指标表")}
    if current:
        initial.update(good_from=current.good_from, fair_from=current.fair_from, pass_from=current.pass_from)
    form = SheetForm(request.POST or None, initial=initial, jurisdictions=jurisdictions)
    items = SheetItemFormSet(request.POST or None, prefix="items", initial=current.items if current else None)
    if request.method == "POST" and items.is_valid():
        done, _sheet = form_action(
            request, form, lambda d: services.sheet_create(actor=request.user, items=items.rows(), **d)
        )
        if done:
            messages.success(request, _("已启用新版评估指标表，原版本停止使用。"))
            return redirect("rectification:evaluation_sheets")
    return render(request, "rectification/evaluation_sheet_form.html", {"form": form, "items": items})
