"""Forms of the transfer pages. Choices are drawn from the round and the jurisdiction."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from xuncha.accounts.models import OrgUnit
from xuncha.common.forms import DateInput, StackedCheckboxes, StyledFormMixin
from xuncha.fieldwork.models import PaperState, WorkingPaper
from xuncha.files.forms import EvidenceFilesField
from xuncha.findings.models import Problem
from xuncha.transfers.models import Disposal, Secrecy, TransferKind


class UnitChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.name


class ProblemChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.target.unit.name} {obj.number}. {obj.title}"


class PaperChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.code} {obj.title}"


class TransferForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("移交类别"), choices=TransferKind.choices)
    receiver = UnitChoice(
        label=_("接收单位"),
        queryset=None,
        help_text=_("问题线索移交纪委监委，选人用人问题移交组织部，行业问题移交主管部门。"),
    )
    target = forms.ModelChoiceField(label=_("被巡察单位"), queryset=None, required=False)
    title = forms.CharField(label=_("事由"), max_length=200, help_text=_("如：张某某违规发放津贴补贴问题线索"))
    summary = forms.CharField(label=_("主要内容"), max_length=10000, widget=forms.Textarea(attrs={"rows": 5}))
    persons = forms.CharField(label=_("涉及人员"), max_length=500, required=False)
    persons_count = forms.IntegerField(label=_("涉及人数"), min_value=0, max_value=999, initial=0)
    doc_no = forms.CharField(label=_("文号"), max_length=50, required=False)
    secrecy = forms.ChoiceField(label=_("密级"), choices=Secrecy.choices, initial=Secrecy.CONFIDENTIAL)
    problems = ProblemChoice(label=_("相关问题"), queryset=None, required=False, widget=StackedCheckboxes)
    papers = PaperChoice(label=_("相关底稿"), queryset=None, required=False, widget=StackedCheckboxes)
    uploads = EvidenceFilesField(label=_("移交材料（摘录、证据复印件等）"), required=False, max_count=10)
    sent_on = forms.DateField(label=_("移交日期"), widget=DateInput())

    def __init__(self, *args: Any, rnd: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["receiver"].queryset = OrgUnit.objects.filter(
            path__startswith=rnd.jurisdiction.path, is_active=True, unit_type="department"
        ).order_by("path")
        self.fields["target"].queryset = rnd.targets.select_related("unit").order_by("unit__path")
        self.fields["problems"].queryset = Problem.objects.filter(round=rnd).select_related("target__unit")
        self.fields["papers"].queryset = WorkingPaper.objects.filter(
            team__round=rnd, state=PaperState.SIGNED
        ).select_related("team")


class StepForm(StyledFormMixin, forms.Form):
    """The fields a step needs: the disposal, the result, or a comment (return)."""

    disposal = forms.ChoiceField(label=_("处置方式"), choices=Disposal.choices)
    result = forms.CharField(label=_("办理结果"), max_length=10000, widget=forms.Textarea(attrs={"rows": 4}))
    comment = forms.CharField(label=_("说明"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))

    FIELDS = {"acknowledge": (), "dispose": ("disposal",), "report": ("result",), "close": (), "reopen": ("comment",)}

    def __init__(self, *args: Any, action: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in list(self.fields):
            if name not in self.FIELDS.get(action, ()):
                del self.fields[name]
