"""Forms of the findings pages. Choices come from the round (its list version, the unit's signed
papers), so a hand-made POST naming anything else is an invalid choice, not a service call."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from xuncha.accounts.models import OrgUnit, Person
from xuncha.common.classification import Discipline, Responsibility
from xuncha.common.forms import DateInput, StackedCheckboxes, StyledFormMixin
from xuncha.files.forms import EvidenceFilesField
from xuncha.findings.models import AppliesTo, CopyKind, DraftKind, FocusItem, Severity, Tag


class PaperChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.code} {obj.title}"


class FocusItemChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"\u3000\u3000{obj.text}" if obj.parent_id else obj.text


class TagChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name}（{obj.get_group_display()}）"


class ProblemForm(StyledFormMixin, forms.Form):
    papers = PaperChoice(
        label=_("依据的问题底稿（已签发）"),
        queryset=None,
        widget=StackedCheckboxes,
        help_text=_("可合并多份底稿为一个问题；一份底稿只能形成一个问题。"),
    )
    title = forms.CharField(label=_("问题"), max_length=200, help_text=_("一句话概括，如：违规发放津贴补贴"))
    description = forms.CharField(
        label=_("具体表现"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("写法与反馈意见一致。"),
    )
    focus_items = FocusItemChoice(label=_("监督重点"), queryset=None, widget=StackedCheckboxes)
    tags = TagChoice(label=_("标签"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple)
    disciplines = forms.MultipleChoiceField(
        label=_("涉及纪律"), choices=Discipline.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    responsibilities = forms.MultipleChoiceField(
        label=_("责任类型"), choices=Responsibility.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    severity = forms.ChoiceField(label=_("严重程度"), choices=Severity.choices, initial=Severity.GENERAL)
    people = forms.CharField(
        label=_("涉及人员"), max_length=500, required=False, help_text=_("姓名和职务，如：张某（镇长）")
    )

    def __init__(self, *args: Any, papers: Any, focus_list: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["papers"].queryset = papers
        items = FocusItem.objects.filter(focus_list=focus_list) if focus_list else FocusItem.objects.none()
        # Top-level items each followed by their sub-items.
        self.fields["focus_items"].queryset = items.select_related("parent").order_by("parent__position", "position")
        self.fields["tags"].queryset = Tag.objects.filter(active=True)

    def clean_focus_items(self) -> Any:
        items = self.cleaned_data["focus_items"]
        return sorted(
            items, key=lambda i: (i.parent.position if i.parent else i.position, i.parent_id or 0, i.position)
        )


class DraftCreateForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("类别"), choices=DraftKind.choices)
    target = forms.ModelChoiceField(label=_("被巡察单位"), queryset=None, required=False)
    theme = forms.CharField(label=_("专题"), max_length=100, required=False, help_text=_("专题报告必填"))

    def __init__(self, *args: Any, targets: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = targets


class VersionUploadForm(StyledFormMixin, forms.Form):
    upload = EvidenceFilesField(label=_("修改稿（.docx）"), max_count=1)
    note = forms.CharField(label=_("修改说明"), max_length=500, help_text=_("如：按组办会商意见调整问题定性"))


class SectionsForm(forms.Form):
    """The parts of a report (or feedback opinion) the team writes: one text area each."""

    def __init__(self, *args: Any, sections: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for section in sections:
            notes = [str(section.help_text), str(_("生成文稿前必填。")) if section.required else ""]
            self.fields[section.key] = forms.CharField(
                label=section.title,
                required=False,  # saving half-written parts is fine; generating is what needs them
                max_length=20_000,
                strip=False,
                widget=forms.Textarea(attrs={"rows": 6, "class": "form-control"}),
                help_text="".join(notes) + str(_("空一行即另起一段。")),
            )


class DecisionForm(StyledFormMixin, forms.Form):
    decided_on = forms.DateField(label=_("会议日期"), widget=DateInput())
    meeting = forms.CharField(label=_("会议"), max_length=100, help_text=_("如：第5次组务会、2026年第3次领导小组会议"))
    decision = forms.CharField(label=_("审议意见"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))
    minutes = EvidenceFilesField(label=_("会议纪要（可选）"), required=False, max_count=1)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        files = data.get("minutes") or []
        data["minutes"] = files[0] if files else None
        return data


class PersonChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} · {obj.unit.name}"


class FeedbackForm(StyledFormMixin, forms.Form):
    doc_no = forms.CharField(label=_("文号"), max_length=50, required=False)
    meeting_on = forms.DateField(label=_("反馈会议日期"), widget=DateInput(), required=False)
    meeting_place = forms.CharField(label=_("会议地点"), max_length=100, required=False)
    attendees = forms.CharField(label=_("参会人员"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    main_leader = PersonChoice(label=_("主要负责人"), queryset=None, required=False)
    main_leader_on = forms.DateField(label=_("向主要负责人单独反馈日期"), widget=DateInput(), required=False)
    copy_discipline = forms.ModelChoiceField(label=_("抄告纪委监委"), queryset=None, required=False)
    copy_organisation = forms.ModelChoiceField(label=_("抄告组织部"), queryset=None, required=False)
    copy_sector = forms.ModelChoiceField(label=_("抄告行业主管部门"), queryset=None, required=False)
    copy_leader = PersonChoice(label=_("抄告分管（联系）县领导"), queryset=None, required=False)

    def __init__(self, *args: Any, jurisdiction: OrgUnit, unit: OrgUnit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        people = Person.objects.select_related("unit").filter(unit__path__startswith=jurisdiction.path)
        self.fields["main_leader"].queryset = people.filter(unit=unit).order_by("name")
        self.fields["copy_leader"].queryset = (
            people.filter(posts__is_leadership_member=True).distinct().order_by("name")
        )
        departments = OrgUnit.objects.filter(path__startswith=jurisdiction.path, unit_type="department", is_active=True)
        for name in ("copy_discipline", "copy_organisation", "copy_sector"):
            self.fields[name].queryset = departments.order_by("path")

    def copies(self) -> list[tuple[str, Any, Any]]:
        d = self.cleaned_data
        pairs = [
            (CopyKind.DISCIPLINE, d.get("copy_discipline"), None),
            (CopyKind.ORGANISATION, d.get("copy_organisation"), None),
            (CopyKind.SECTOR, d.get("copy_sector"), None),
            (CopyKind.SUPERVISING_LEADER, None, d.get("copy_leader")),
        ]
        return [(kind, unit, person) for kind, unit, person in pairs if unit or person]


class SendForm(StyledFormMixin, forms.Form):
    sent_on = forms.DateField(label=_("反馈日期"), widget=DateInput(), help_text=_("整改期限从这一天起算。"))


class FocusListForm(StyledFormMixin, forms.Form):
    name = forms.CharField(label=_("清单名称"), max_length=50)
    jurisdiction = forms.ModelChoiceField(label=_("适用地区"), queryset=None)
    applies_to = forms.ChoiceField(label=_("适用对象"), choices=AppliesTo.choices)
    note = forms.CharField(
        label=_("说明"),
        max_length=200,
        required=False,
        help_text=_("如：依据市委巡察工作领导小组2026年第2次会议精神调整"),
    )
    items_text = forms.CharField(
        label=_("条目"),
        max_length=12000,
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=_("每行一个条目；以“-”开头的行是上一条目的子项。"),
    )

    def __init__(self, *args: Any, jurisdictions: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["jurisdiction"].queryset = jurisdictions
