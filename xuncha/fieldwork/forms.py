"""Forms for fieldwork. One record form shaped by kind; the paper form; evidence; fix notices."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from xuncha.accounts.models import Person
from xuncha.common.forms import DateInput, StyledFormMixin
from xuncha.fieldwork.models import FieldRecord, InterviewCategory, RecordKind
from xuncha.files.forms import EvidenceFilesField
from xuncha.plans.models import RoundTarget, Team

KIND_FIELDS = {
    RecordKind.INTERVIEW: ["interviewee", "interviewee_name", "category", "interviewers", "planned", "confirmed_on"],
    RecordKind.DOCUMENTS: ["provider", "handed_over_on", "returned_on"],
}
ALL_KIND_FIELDS = {f for fields in KIND_FIELDS.values() for f in fields}


class PersonChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Person) -> str:
        return f"{obj.name} · {obj.unit.name}"


class TeamPeople(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Person) -> str:
        return obj.name


class TargetChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: RoundTarget) -> str:
        return obj.unit.name


class RecordForm(StyledFormMixin, forms.Form):
    target = TargetChoice(label=_("巡察对象"), queryset=RoundTarget.objects.none(), empty_label=None)
    title = forms.CharField(label=_("事项"), max_length=200)
    planned = forms.BooleanField(label=_("计划中（尚未进行）"), required=False)
    occurred_on = forms.DateField(label=_("日期"), required=False, widget=DateInput())
    place = forms.CharField(label=_("地点"), max_length=100, required=False)
    interviewee = PersonChoice(
        label=_("谈话对象"), queryset=Person.objects.none(), required=False, empty_label=_("（未登记人员，见下一项）")
    )
    interviewee_name = forms.CharField(label=_("谈话对象（未登记人员）"), max_length=50, required=False)
    category = forms.ChoiceField(
        label=_("谈话对象类别"), choices=[("", "—"), *InterviewCategory.choices], required=False
    )
    interviewers = TeamPeople(
        label=_("谈话人（至少两人）"),
        queryset=Person.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    provider = forms.CharField(label=_("提供部门或人员"), max_length=100, required=False)
    handed_over_on = forms.DateField(label=_("调取日期"), required=False, widget=DateInput())
    returned_on = forms.DateField(label=_("归还日期"), required=False, widget=DateInput())
    content = forms.CharField(label=_("记录内容"), required=False, widget=forms.Textarea(attrs={"rows": 8}))
    confirmed_on = forms.DateField(label=_("谈话对象签字确认日期"), required=False, widget=DateInput())
    uploads = EvidenceFilesField(label=_("附件"), required=False)

    def __init__(self, *args: Any, team: Team, kind: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = team.targets.select_related("unit").order_by("unit__path")
        for name in ALL_KIND_FIELDS - set(KIND_FIELDS.get(RecordKind(kind), [])):
            del self.fields[name]
        if "interviewers" in self.fields:
            self.fields["interviewers"].queryset = Person.objects.filter(team_memberships__team=team).order_by(
                "team_memberships__role"
            )
            units = [t.unit.path for t in team.targets.select_related("unit")]
            people = Person.objects.none()
            for path in units:
                people = people | Person.objects.filter(unit__path__startswith=path, is_active=True)
            self.fields["interviewee"].queryset = people.select_related("unit").order_by("unit__path", "name")


class PaperForm(StyledFormMixin, forms.Form):
    target = TargetChoice(label=_("巡察对象"), queryset=RoundTarget.objects.none(), empty_label=None)
    title = forms.CharField(label=_("问题标题"), max_length=200)
    occurred = forms.CharField(label=_("发生时间"), max_length=100, required=False, help_text=_("如：2025年1月至6月"))
    place = forms.CharField(label=_("地点"), max_length=100, required=False)
    people_involved = forms.CharField(label=_("涉及人员"), max_length=200, required=False)
    amount = forms.DecimalField(label=_("涉及金额（元）"), max_digits=14, decimal_places=2, min_value=0, required=False)
    facts = forms.CharField(label=_("问题事实"), required=False, widget=forms.Textarea(attrs={"rows": 6}))
    basis = forms.CharField(label=_("定性依据"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    resp_principal = forms.BooleanField(label=_("主体责任"), required=False)
    resp_first = forms.BooleanField(label=_("第一责任人责任"), required=False)
    resp_leading = forms.BooleanField(label=_("主要领导责任"), required=False)
    resp_supervisory = forms.BooleanField(label=_("监督责任"), required=False)
    responsibility = forms.CharField(label=_("责任分析"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    finder = forms.ModelChoiceField(label=_("发现人"), queryset=Person.objects.none(), required=False)
    writer = forms.ModelChoiceField(label=_("撰写人"), queryset=Person.objects.none(), required=False)
    sources = forms.ModelMultipleChoiceField(
        label=_("依据的谈话、资料等记录"),
        queryset=FieldRecord.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, team: Team, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = team.targets.select_related("unit").order_by("unit__path")
        members = Person.objects.filter(team_memberships__team=team).order_by("team_memberships__role")
        self.fields["finder"].queryset = members
        self.fields["writer"].queryset = members
        self.fields["sources"].queryset = team.field_records.filter(planned=False).order_by("-occurred_on")


class EvidenceForm(StyledFormMixin, forms.Form):
    uploads = EvidenceFilesField(label=_("证据文件"))
    description = forms.CharField(label=_("证明内容"), max_length=200)
    effective_date = forms.DateField(
        label=_("证据形成日期"), required=False, widget=DateInput(), help_text=_("材料本身的日期，不是上传日期")
    )


class CommentForm(StyledFormMixin, forms.Form):
    comment = forms.CharField(
        label=_("意见"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class FixIssueForm(StyledFormMixin, forms.Form):
    requirement = forms.CharField(label=_("整改要求"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    due_on = forms.DateField(label=_("整改期限"), widget=DateInput())


class FixRespondForm(StyledFormMixin, forms.Form):
    response = forms.CharField(label=_("整改情况"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4}))


class FixReviewForm(StyledFormMixin, forms.Form):
    accept = forms.TypedChoiceField(
        label=_("验收结论"),
        choices=[("1", _("验收通过")), ("0", _("退回重改"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("验收意见"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
