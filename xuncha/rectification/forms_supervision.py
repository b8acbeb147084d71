"""Forms of the supervision pages: assigning a key problem to a leader, the leader's opinions,
a sector clean-up and the department's report."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from xuncha.common.forms import DateInput, StackedCheckboxes, StyledFormMixin
from xuncha.files.forms import EvidenceFilesField
from xuncha.rectification.models import LeaderComment


class LeaderChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj)


class AssignmentForm(StyledFormMixin, forms.Form):
    leader = LeaderChoice(label=_("领衔领导"), queryset=None, empty_label=_("请选择"))
    note = forms.CharField(
        label=_("督办要求"), max_length=300, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, leaders: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["leader"].queryset = leaders


class CommentForm(StyledFormMixin, forms.Form):
    text = forms.CharField(label=_("督办意见"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class OpinionForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(
        label=_("销号意见"),
        choices=[(LeaderComment.Kind.CONCUR, _("同意销号")), (LeaderComment.Kind.OBJECT, _("暂缓销号"))],
        widget=forms.RadioSelect,
        initial=LeaderComment.Kind.CONCUR,
    )
    text = forms.CharField(label=_("意见"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class RevokeForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(label=_("撤销理由"), max_length=300)


class ProblemPick(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.target.unit.name} · {obj.number}. {obj.title}"


class UnitChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.name


class CampaignForm(StyledFormMixin, forms.Form):
    title = forms.CharField(label=_("专项整治名称"), max_length=100)
    sector_dept = UnitChoice(label=_("牵头行业主管部门"), queryset=None, empty_label=_("请选择"))
    problems = ProblemPick(
        label=_("纳入整治的问题"),
        queryset=None,
        widget=StackedCheckboxes,
        help_text=_("已按相似程度列出本地区其他单位的同类问题，勾选后每个单位生成一项整治任务。"),
    )
    description = forms.CharField(label=_("整治要求"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    standard = forms.CharField(label=_("完成标准"), max_length=500)
    due_on = forms.DateField(label=_("办结时限"), widget=DateInput())

    def __init__(self, *args: Any, problems: Any, departments: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["problems"].queryset = problems
        self.fields["sector_dept"].queryset = departments


class CampaignReportForm(StyledFormMixin, forms.Form):
    text = forms.CharField(label=_("整治进展"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))
    uploads = EvidenceFilesField(label=_("佐证材料"), required=False, max_count=10)
