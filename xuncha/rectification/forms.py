"""Forms of the rectification pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from xuncha.accounts.models import Person
from xuncha.common.forms import DateInput, StyledFormMixin
from xuncha.files.forms import EvidenceFilesField
from xuncha.rectification.models import Horizon, ReportInterval


class ProblemChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.number}. {obj.title}"


class PersonChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.name


class TaskForm(StyledFormMixin, forms.Form):
    problem = ProblemChoice(label=_("问题"), queryset=None)
    measure = forms.CharField(label=_("整改措施"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    standard = forms.CharField(label=_("完成标准"), max_length=500)
    horizon = forms.ChoiceField(label=_("整改时限类型"), choices=Horizon.choices, initial=Horizon.DEADLINE)
    due_on = forms.DateField(label=_("完成时限"), widget=DateInput())
    leader = PersonChoice(label=_("责任领导"), queryset=None, required=False)
    lead_dept = forms.CharField(label=_("牵头部门"), max_length=100)
    coop_depts = forms.CharField(label=_("配合部门"), max_length=200, required=False)
    owner = forms.CharField(label=_("具体责任人"), max_length=50)
    report_interval = forms.TypedChoiceField(
        label=_("定期报告周期"),
        choices=[("", _("不需要（非长期坚持类）")), *ReportInterval.choices],
        coerce=int,
        empty_value=None,
        required=False,
        help_text=_("长期坚持类任务须定期报告进展，未选择时按每月报告。"),
    )

    def __init__(self, *args: Any, plan: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        target = plan.feedback.target
        self.fields["problem"].queryset = target.problems.order_by("number")
        self.fields["leader"].queryset = (
            Person.objects.filter(
                posts__unit=target.unit, posts__is_leadership_member=True, posts__end_date__isnull=True
            )
            .distinct()
            .order_by("name")
        )


class ReviewForm(StyledFormMixin, forms.Form):
    comment = forms.CharField(
        label=_("总体意见"), max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class UpdateForm(StyledFormMixin, forms.Form):
    text = forms.CharField(label=_("情况说明"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))
    uploads = EvidenceFilesField(label=_("佐证材料"), required=False, max_count=10)


class ImportForm(StyledFormMixin, forms.Form):
    upload = EvidenceFilesField(label=_("填好的模板（.xlsx）"), max_count=1)
