"""Forms of the letters (五书制), reports and disclosure pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from xuncha.common.forms import DateInput, StackedCheckboxes, StyledFormMixin
from xuncha.rectification.models import DisclosureChannel, Exemption, LetterKind


class TaskChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return (
            f"{obj.number}. {obj.problem.title}：{obj.measure[:40]}（{obj.due_on:%Y-%m-%d}，{obj.get_state_display()}）"
        )


class LetterForm(StyledFormMixin, forms.Form):
    doc_no = forms.CharField(label=_("文号"), max_length=50)
    issued_on = forms.DateField(label=_("印发日期"), widget=DateInput())
    final_due = forms.DateField(
        label=_("最后期限"), required=False, widget=DateInput(), help_text=_("预警书必填，须晚于今天。")
    )
    tasks = TaskChoice(label=_("涉及整改任务"), queryset=None, widget=StackedCheckboxes)
    body = forms.CharField(
        label=_("督办事项和要求"),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("已按所选任务预先填写，可直接修改；每行为文书中的一段。"),
    )
    talk_on = forms.DateField(label=_("约谈日期"), required=False, widget=DateInput())
    talk_place = forms.CharField(label=_("约谈地点"), max_length=100, required=False)
    talk_attendees = forms.CharField(label=_("参加人员"), max_length=300, required=False)
    talk_record = forms.CharField(
        label=_("约谈记录"), max_length=10000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    confirm_order = forms.BooleanField(label=_("确认越级发出"), required=False)

    TALK = ("talk_on", "talk_place", "talk_attendees", "talk_record")

    def __init__(self, *args: Any, kind: str, tasks: Any, skipped: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["tasks"].queryset = tasks
        if kind != LetterKind.WARNING:
            del self.fields["final_due"]
        else:
            self.fields["final_due"].required = True
        if kind != LetterKind.ACCOUNTABILITY:
            for name in self.TALK:
                del self.fields[name]
        if not skipped:
            del self.fields["confirm_order"]


class TalkForm(StyledFormMixin, forms.Form):
    talk_on = forms.DateField(label=_("约谈日期"), widget=DateInput())
    talk_place = forms.CharField(label=_("约谈地点"), max_length=100)
    talk_attendees = forms.CharField(label=_("参加人员"), max_length=300)
    talk_record = forms.CharField(label=_("约谈记录"), max_length=10000, widget=forms.Textarea(attrs={"rows": 4}))


class DisclosureForm(StyledFormMixin, forms.Form):
    channel = forms.ChoiceField(label=_("公开范围"), choices=DisclosureChannel.choices, widget=forms.RadioSelect)
    title = forms.CharField(label=_("标题"), max_length=150)
    text = forms.CharField(label=_("公开内容"), max_length=20000, widget=forms.Textarea(attrs={"rows": 8}))
    exemptions = forms.MultipleChoiceField(
        label=_("不予公开事项的理由"),
        choices=Exemption.choices,
        required=False,
        widget=StackedCheckboxes,
        help_text=_("有事项不予公开的，勾选理由并在下方写明是哪些事项。"),
    )
    exemption_note = forms.CharField(label=_("不予公开说明"), max_length=300, required=False)


class ReasonForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(label=_("理由"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))
