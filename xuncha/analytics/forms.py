"""Forms of the analytics pages that write through another domain's services.

The common-problems page turns a group of similar problems into a sector clean-up. The clean-up is
rectification's (its service creates it and its tasks); the form is the page's own, because a
domain reaches another only through its services and selectors, never its views or forms.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from xuncha.common.forms import DateInput, StackedCheckboxes, StyledFormMixin


class _ProblemPick(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.target.unit.name} · {obj.number}. {obj.title}"


class _UnitChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.name


class CommonCampaignForm(StyledFormMixin, forms.Form):
    title = forms.CharField(label=_("专项整治名称"), max_length=100)
    sector_dept = _UnitChoice(label=_("牵头行业主管部门"), queryset=None, empty_label=_("请选择"))
    problems = _ProblemPick(
        label=_("纳入整治的问题"),
        queryset=None,
        widget=StackedCheckboxes,
        help_text=_("同一组共性问题中已建立整改方案的单位；勾选的每个问题在该单位整改方案中生成一项整治任务。"),
    )
    description = forms.CharField(label=_("整治要求"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    standard = forms.CharField(label=_("完成标准"), max_length=500)
    due_on = forms.DateField(label=_("办结时限"), widget=DateInput())

    def __init__(self, *args: Any, problems: Any, departments: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["problems"].queryset = problems
        self.fields["sector_dept"].queryset = departments
