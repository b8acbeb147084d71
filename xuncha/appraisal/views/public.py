"""The answering page (no login, phone-sized). Nothing about the visitor is stored or logged: no
address, no browser, no time of day; the token is in the URL only and is not kept with the answer."""

from django.contrib.auth.decorators import login_not_required
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from xuncha.appraisal import selectors, services
from xuncha.appraisal.forms import AnswerForm
from xuncha.common.exceptions import ServiceError


@login_not_required
@require_http_methods(["GET", "POST"])
@never_cache
def answer(request, token):
    survey, usable = selectors.survey_get_by_hash(services.hash_token(token))
    if survey is None:
        raise Http404
    if not usable:
        closed = survey.state != "open"
        return render(request, "appraisal/public/unavailable.html", {"closed": closed}, status=410)
    questionnaire = selectors.questionnaire_items(survey.questionnaire)
    form = AnswerForm(request.POST or None, questionnaire=questionnaire)
    if request.method == "POST" and form.is_valid():
        try:
            services.answer_submit(token=token, values=form.values(), comment=form.cleaned_data["comment"])
        except ServiceError as exc:
            form.add_error(None, exc)
        else:
            return render(request, "appraisal/public/thanks.html")
    ctx = {"form": form, "survey": survey, "questionnaire": questionnaire}
    return render(request, "appraisal/public/answer.html", ctx)
