"""Common problems pages: the groups of similar problems across units and rounds (举一反三), and a
group turned into a sector clean-up in one step."""

from __future__ import annotations

from collections import Counter
from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from xuncha.accounts.decorators import perm_required
from xuncha.accounts.permissions import Perm, has_perm
from xuncha.analytics import similarity
from xuncha.analytics.forms import CommonCampaignForm
from xuncha.analytics.selectors import common_problems as selectors
from xuncha.common.filters import IdField, ModelMultipleIdField, query_ids, query_value
from xuncha.common.forms import StyledFormMixin
from xuncha.common.pagination import paginate
from xuncha.common.views_helpers import form_action
from xuncha.rectification.selectors.supervision import sector_departments
from xuncha.rectification.services import campaigns as campaign_services

GROUPS_PER_PAGE = 10
MAX_KEYS = 500


class RoundPick(ModelMultipleIdField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj)


class CommonFilterForm(StyledFormMixin, forms.Form):
    rounds = RoundPick(label=gettext_lazy("巡察轮次"), queryset=None, required=False)
    focus = forms.ModelChoiceField(
        label=gettext_lazy("监督重点"), queryset=None, required=False, empty_label=gettext_lazy("全部")
    )
    threshold = forms.FloatField(
        label=gettext_lazy("相似度阈值"),
        required=False,
        help_text=gettext_lazy("0.10–0.95，越高越严格：只把表述很接近的问题归为一组。"),
        widget=forms.NumberInput(attrs={"step": "0.05"}),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["rounds"].queryset = selectors.round_choices(user=user)
        self.fields["rounds"].widget.attrs["size"] = 3
        self.fields["focus"].queryset = selectors.focus_choices(user=user)

    def clean_threshold(self) -> float:
        value = self.cleaned_data.get("threshold")
        if value is None:
            return similarity.THRESHOLD_DEFAULT
        if not similarity.THRESHOLD_MIN <= value <= similarity.THRESHOLD_MAX:
            raise forms.ValidationError(
                _("相似度阈值应在%(low).2f至%(high).2f之间。")
                % {"low": similarity.THRESHOLD_MIN, "high": similarity.THRESHOLD_MAX}
            )
        return round(value, 2)


@require_GET
@perm_required(Perm.STATS_VIEW)
def common_problems(request):
    form = CommonFilterForm(request.GET or None, user=request.user)
    valid = form.is_valid() if request.GET else True
    data = form.cleaned_data if request.GET and valid else {}
    threshold = data.get("threshold", similarity.THRESHOLD_DEFAULT)
    groups = []
    if valid:
        groups = selectors.common_groups(
            user=request.user, threshold=threshold, rounds=data.get("rounds"), focus_item=data.get("focus")
        )
    page = paginate(request, groups, per_page=GROUPS_PER_PAGE)
    ctx = {
        "form": form,
        "page": page,
        "groups": selectors.fill_groups(user=request.user, groups=list(page)),
        "threshold": threshold,
        "valid": valid,
        "can_campaign": has_perm(request.user, Perm.CAMPAIGN_MANAGE),
    }
    return render(request, "analytics/common_problems.html", ctx)


def _keys(request) -> list[int]:
    # The group travels in the address (?p=…), which the form posts back to.
    keys = sorted(query_ids(request, "p"))
    if not keys or len(keys) > MAX_KEYS:
        raise Http404
    return keys


def _initial(central: Any, with_plan: list[Any], departments: Any) -> dict[str, Any]:
    initial = {"problems": [p.pk for p in with_plan], "title": _("%(title)s专项整治") % {"title": central.title[:90]}}
    sectors = Counter(p.target.unit.sector_dept_id for p in with_plan if p.target.unit.sector_dept_id)
    allowed = set(departments.values_list("pk", flat=True))
    for dept, _n in sorted(sectors.items(), key=lambda kv: (-kv[1], kv[0])):
        if dept in allowed:
            initial["sector_dept"] = dept
            break
    return initial


@require_http_methods(["GET", "POST"])
@perm_required(Perm.CAMPAIGN_MANAGE)
def common_campaign(request):
    keys = _keys(request)
    with_plan, without = selectors.campaign_problems(user=request.user, keys=keys)
    if not with_plan and not without:
        raise Http404
    central_pk = query_value(request, "c", IdField())
    chosen = [p for p in with_plan + without if p.pk == central_pk]
    central = chosen[0] if chosen else (with_plan + without)[0]
    departments = sector_departments(user=request.user, jurisdiction=central.round.jurisdiction)
    problems = selectors.Problem.objects.filter(pk__in=[p.pk for p in with_plan]).select_related("target__unit")
    form = CommonCampaignForm(
        request.POST or None,
        initial=_initial(central, with_plan, departments),
        problems=problems,
        departments=departments,
    )
    done, campaign = form_action(
        request,
        form,
        lambda d: campaign_services.campaign_create(actor=request.user, **d),
    )
    if done:
        messages.success(request, _("已部署专项整治，并向各单位整改方案添加了整治任务。"))
        return redirect(campaign)
    ctx = {"form": form, "keys": keys, "without": without, "central": central, "has_any": bool(with_plan)}
    return render(request, "analytics/common_campaign.html", ctx)
