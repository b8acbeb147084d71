"""Forms of the follow-up pages: return visits (with a group of findings), the evaluation sheet and
its items, accountability, and the results the unit enters. Validation beyond types is the
services' (one place for the rules, with the messages officials read)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from xuncha.common.forms import DateInput, StackedCheckboxes, StyledFormMixin
from xuncha.rectification.models import FORMS_BY_SUBJECT, Mechanism, SubjectKind
from xuncha.rectification.workflow import DONE_TASK_STATES

TEXTAREA_2 = forms.Textarea(attrs={"rows": 2})


class ProblemsChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.number}. {obj.title}"


class TaskChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{_('任务')}{obj.number}（{obj.get_state_display()}）{obj.measure[:30]}"


def _task_field(plan: Any) -> TaskChoice:
    field = TaskChoice(
        label=_("对应整改任务"), queryset=plan.tasks.order_by("number"), required=False, empty_label=_("（不关联）")
    )
    field.widget.attrs["class"] = "form-select"  # added after StyledFormMixin styled the others
    return field


# --- return visits ------------------------------------------------------------------------


class VisitForm(StyledFormMixin, forms.Form):
    visited_on = forms.DateField(label=_("回访日期"), widget=DateInput())
    visitors = forms.CharField(label=_("回访人员"), max_length=200, help_text=_("如：县委巡察办 张某、李某"))
    summary = forms.CharField(label=_("回访情况"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4}))


class VisitFindingForm(StyledFormMixin, forms.Form):
    text = forms.CharField(label=_("发现的问题"), max_length=5000, required=False, widget=TEXTAREA_2)
    task = TaskChoice(label=_("对应整改任务"), queryset=None, required=False)
    reopen = forms.BooleanField(label=_("已销号（阶段性完成）的任务，要求重新整改"), required=False)

    def __init__(self, *args: Any, plan: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["task"].queryset = plan.tasks.order_by("number")
        self.fields["task"].empty_label = _("（不关联）")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if (data.get("task") or data.get("reopen")) and not (data.get("text") or "").strip():
            self.add_error("text", _("请填写发现的问题。"))
        return data


class BaseFindingFormSet(forms.BaseFormSet):
    def rows(self) -> list[dict[str, Any]]:
        """The filled rows, in order (blank rows are left out)."""
        return [
            {"text": f.cleaned_data["text"], "task": f.cleaned_data.get("task"), "reopen": f.cleaned_data["reopen"]}
            for f in self.forms
            if f.cleaned_data and (f.cleaned_data.get("text") or "").strip()
        ]


FindingFormSet = forms.formset_factory(VisitFindingForm, formset=BaseFindingFormSet, extra=3, max_num=50)


def reopenable(plan: Any) -> list[Any]:
    return [t for t in plan.tasks.order_by("number") if t.state in DONE_TASK_STATES]


# --- evaluation -----------------------------------------------------------------------------


class EvaluationForm(StyledFormMixin, forms.Form):
    """One deduction and one reason per item of the sheet (fields ``deduct_<code>``, ``reason_<code>``)."""

    evaluated_on = forms.DateField(label=_("评估日期"), widget=DateInput())
    comment = forms.CharField(
        label=_("评估意见"), max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, sheet: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.items = sheet.items
        for item in self.items:
            code = item["code"]
            self.fields[f"deduct_{code}"] = forms.DecimalField(
                label=_("扣分"),
                required=False,
                widget=forms.NumberInput(
                    attrs={"step": "0.1", "min": "0", "max": item["points"], "class": "form-control form-control-sm"}
                ),
            )
            self.fields[f"reason_{code}"] = forms.CharField(
                label=_("扣分理由"),
                max_length=500,
                required=False,
                widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}),
            )
        self.fields_by_item = [
            (item, self[f"deduct_{item['code']}"], self[f"reason_{item['code']}"]) for item in self.items
        ]

    def deductions(self) -> dict[str, dict[str, Any]]:
        d = self.cleaned_data
        return {
            i["code"]: {"deduct": d.get(f"deduct_{i['code']}"), "reason": d.get(f"reason_{i['code']}")}
            for i in self.items
        }

    @staticmethod
    def initial_from(evaluation: Any) -> dict[str, Any]:
        initial = {"evaluated_on": evaluation.evaluated_on, "comment": evaluation.comment}
        for code, row in evaluation.deductions.items():
            initial[f"deduct_{code}"], initial[f"reason_{code}"] = row.get("deduct"), row.get("reason", "")
        return initial


class SheetForm(StyledFormMixin, forms.Form):
    jurisdiction = forms.ModelChoiceField(label=_("行政区域"), queryset=None, empty_label=None)
    name = forms.CharField(label=_("名称"), max_length=100)
    good_from = forms.IntegerField(label=_("“好”等次最低分"), initial=90)
    fair_from = forms.IntegerField(label=_("“较好”等次最低分"), initial=80)
    pass_from = forms.IntegerField(label=_("“一般”等次最低分"), initial=60)

    def __init__(self, *args: Any, jurisdictions: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["jurisdiction"].queryset = jurisdictions


class SheetItemForm(StyledFormMixin, forms.Form):
    code = forms.CharField(label=_("编号"), max_length=10, required=False)
    label = forms.CharField(label=_("评估指标"), max_length=100, required=False)
    points = forms.IntegerField(label=_("分值"), required=False)
    guidance = forms.CharField(label=_("扣分标准"), max_length=500, required=False)


class BaseSheetItemFormSet(forms.BaseFormSet):
    def rows(self) -> list[dict[str, Any]]:
        keys = ("code", "label", "points", "guidance")
        return [
            {k: f.cleaned_data.get(k) for k in keys}
            for f in self.forms
            if f.cleaned_data and any(f.cleaned_data.get(k) not in (None, "") for k in keys)
        ]


SheetItemFormSet = forms.formset_factory(SheetItemForm, formset=BaseSheetItemFormSet, extra=3, max_num=40)


# --- accountability -------------------------------------------------------------------------


def _form_choices() -> list[tuple[Any, list[tuple[str, Any]]]]:
    return [(kind.label, [(f.value, f.label) for f in FORMS_BY_SUBJECT[kind]]) for kind in SubjectKind]


class AccountabilityRecordForm(StyledFormMixin, forms.Form):
    subject_kind = forms.ChoiceField(label=_("问责对象类别"), choices=SubjectKind.choices, widget=forms.RadioSelect)
    subject_name = forms.CharField(label=_("问责对象"), max_length=100, help_text=_("党组织名称或干部姓名"))
    position = forms.CharField(label=_("职务"), max_length=100, required=False, help_text=_("问责党员干部时必填"))
    problems = ProblemsChoice(label=_("涉及问题"), queryset=None, widget=StackedCheckboxes)
    form = forms.ChoiceField(label=_("问责方式"), choices=_form_choices)
    deciding_body = forms.CharField(label=_("决定机关"), max_length=100)
    doc_no = forms.CharField(label=_("决定文号"), max_length=50)
    decided_on = forms.DateField(label=_("决定日期"), widget=DateInput())
    note = forms.CharField(label=_("备注"), max_length=5000, required=False, widget=TEXTAREA_2)

    def __init__(self, *args: Any, plan: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["problems"].queryset = plan.feedback.target.problems.order_by("number")

    @staticmethod
    def initial_from(record: Any) -> dict[str, Any]:
        names = ["subject_kind", "subject_name", "position", "form", "deciding_body", "doc_no", "decided_on", "note"]
        return {**{n: getattr(record, n) for n in names}, "problems": list(record.problems.all())}


# --- results the unit enters ------------------------------------------------------------------


class LifeMeetingForm(StyledFormMixin, forms.Form):
    held_on = forms.DateField(label=_("召开日期"), widget=DateInput())
    place = forms.CharField(label=_("地点"), max_length=100)
    chaired_by = forms.CharField(label=_("主持人"), max_length=50)
    attendees = forms.CharField(label=_("参会人员"), max_length=300, widget=TEXTAREA_2)
    supervisors = forms.CharField(
        label=_("督导人员"), max_length=200, required=False, help_text=_("如：县纪委监委、县委组织部派员督导")
    )
    summary = forms.CharField(label=_("会议情况"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4}))


class MechanismForm(StyledFormMixin, forms.Form):
    title = forms.CharField(label=_("制度名称"), max_length=150)
    kind = forms.ChoiceField(label=_("类别"), choices=Mechanism.Kind.choices, initial=Mechanism.Kind.NEW)
    doc_no = forms.CharField(label=_("文号"), max_length=50, required=False)
    issued_on = forms.DateField(label=_("印发日期"), widget=DateInput())

    def __init__(self, *args: Any, plan: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["task"] = _task_field(plan)


class RecoveryForm(StyledFormMixin, forms.Form):
    amount = forms.DecimalField(label=_("金额（元）"), widget=forms.NumberInput(attrs={"step": "0.01", "min": "0.01"}))
    description = forms.CharField(label=_("事项"), max_length=200, help_text=_("如：追缴违规发放的津贴补贴"))
    recovered_on = forms.DateField(label=_("日期"), widget=DateInput())

    def __init__(self, *args: Any, plan: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["task"] = _task_field(plan)
