"""The office's set-up pages: its questionnaire (versions) and the scoring rule."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from xuncha.accounts.decorators import perm_required
from xuncha.accounts.permissions import Perm
from xuncha.appraisal import selectors, services
from xuncha.appraisal.forms import QuestionnaireForm, RuleForm
from xuncha.appraisal.scoring import RULE_FIELDS, SCALE_OPTIONS, SCALE_SCORES
from xuncha.common.filters import IdField, query_value
from xuncha.common.views_helpers import form_action

CODE = Perm.SURVEY_MANAGE


def _jurisdiction(request):
    """The unit the office manages (the first one; ``?j=`` picks another it manages)."""
    units = selectors.managed_jurisdictions(request.user)
    chosen = query_value(request, "j", IdField())
    unit = units.filter(pk=chosen).first() if chosen else units.first()
    if unit is None:
        raise Http404
    return unit, units


def _structure_text(questionnaire) -> str:
    return "\n\n".join("\n".join([a.name, *(i.text for i in a.items.all())]) for a in questionnaire.aspects.all())


@require_http_methods(["GET", "POST"])
@perm_required(CODE)
def questionnaire(request):
    unit, units = _jurisdiction(request)
    current = selectors.questionnaire_current(unit)
    current = selectors.questionnaire_items(current) if current else None
    initial = {}
    if current:
        initial = {
            "title": current.title,
            "scale": current.scale,
            "structure": _structure_text(current),
            "comment_prompt": current.comment_prompt,
        }
    form = QuestionnaireForm(request.POST or None, initial=initial)
    ok, published = form_action(
        request, form, lambda d: services.questionnaire_publish(actor=request.user, jurisdiction=unit, **d)
    )
    if ok:
        messages.success(request, _("已发布第%(v)s版评估问卷，此后开展的测评使用新版本。") % {"v": published.version})
        return redirect(request.get_full_path())
    legend = [(label, SCALE_SCORES[current.scale][v]) for v, label in SCALE_OPTIONS[current.scale]] if current else []
    ctx = {
        "unit": unit,
        "units": units,
        "current": current,
        "legend": legend,
        "versions": selectors.questionnaire_versions(unit),
        "form": form,
    }
    return render(request, "appraisal/questionnaire.html", ctx)


@require_http_methods(["GET", "POST"])
@perm_required(CODE)
def rule(request):
    unit, units = _jurisdiction(request)
    current = selectors.rule_for(unit)
    form = RuleForm(request.POST or None, initial={f: getattr(current, f) for f in RULE_FIELDS})
    ok, _saved = form_action(request, form, lambda d: services.rule_update(actor=request.user, jurisdiction=unit, **d))
    if ok:
        messages.success(request, _("评定规则已保存，此后的评定按新规则计算。"))
        return redirect(request.get_full_path())
    own = current.jurisdiction_id == unit.pk
    return render(request, "appraisal/rule.html", {"unit": unit, "units": units, "form": form, "own": own})
