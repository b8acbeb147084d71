"""Forms for plans: parse and validate; services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xuncha.accounts.forms import UnitChoiceField
from xuncha.accounts.models import OrgUnit, Person
from xuncha.accounts.models.org import JURISDICTION_TYPES
from xuncha.accounts.permissions import Perm, scope_queryset
from xuncha.accounts.selectors import unit_choices
from xuncha.common.filters import ModelMultipleIdField
from xuncha.common.forms import DateInput, StyledFormMixin
from xuncha.files.forms import EvidenceFilesField
from xuncha.plans.models import BriefingSource, ExpertiseTag, RecusalDeclaration, Round, RoundMode, RoundState, TeamRole
from xuncha.plans.models.rounds import focus_lists


def _focus_lists():
    return focus_lists().filter(active=True).select_related("jurisdiction")


class FocusListChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        where = f" · {obj.jurisdiction.name}" if obj.jurisdiction_id else ""
        return f"{obj.name}（第{obj.version}版{where}）{obj.get_applies_to_display()}"


def _jurisdictions(user: Any, code: Perm):
    return unit_choices(user=user, code=code).filter(unit_type__in=JURISDICTION_TYPES)


class PersonChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Person) -> str:
        return f"{obj.name} · {obj.unit.name}"


class RoundForm(StyledFormMixin, forms.Form):
    jurisdiction = UnitChoiceField(label=_("行政区域"), queryset=OrgUnit.objects.none())
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    number = forms.IntegerField(label=_("轮次"), min_value=1, max_value=50)
    name = forms.CharField(label=_("名称"), max_length=100, help_text=_("如：县委第十四届第三轮巡察"))
    focus_list = FocusListChoice(
        label=_("巡察监督重点"),
        queryset=None,
        required=False,
        empty_label=_("（未选择）"),
        help_text=_("问题按所选清单的版本归类；本轮归类后不能更换。"),
    )
    entry_date = forms.DateField(label=_("进驻日期"), widget=DateInput())
    exit_date = forms.DateField(label=_("撤离日期"), widget=DateInput())

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["jurisdiction"].queryset = _jurisdictions(user, Perm.ROUND_MANAGE)
        self.fields["focus_list"].queryset = _focus_lists()
        self.fields["year"].initial = timezone.localdate().year

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("entry_date") and data.get("exit_date") and data["exit_date"] < data["entry_date"]:
            self.add_error("exit_date", _("撤离日期不能早于进驻日期。"))
        return data


class RoundEditForm(RoundForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("jurisdiction", "year", "number"):
            del self.fields[name]


class TargetForm(StyledFormMixin, forms.Form):
    unit = UnitChoiceField(label=_("被巡察单位"), queryset=OrgUnit.objects.none())
    mode = forms.ChoiceField(label=_("巡察方式"), choices=RoundMode.choices)
    theme = forms.CharField(label=_("专项主题"), max_length=100, required=False, help_text=_("专项巡察必填"))
    original_round = forms.ModelChoiceField(
        label=_("原巡察轮次"), queryset=Round.objects.none(), required=False, help_text=_("巡察“回头看”必填")
    )
    entry_date = forms.DateField(
        label=_("进驻日期"), required=False, widget=DateInput(), help_text=_("留空则与本轮相同")
    )
    exit_date = forms.DateField(
        label=_("撤离日期"), required=False, widget=DateInput(), help_text=_("留空则与本轮相同")
    )

    def __init__(self, *args: Any, user: Any, rnd: Round, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        units = unit_choices(user=user, code=Perm.ROUND_MANAGE).exclude(unit_type__in=JURISDICTION_TYPES)
        self.fields["unit"].queryset = units.exclude(pk__in=rnd.targets.values("unit_id"))
        earlier = Round.objects.filter(jurisdiction=rnd.jurisdiction).exclude(pk=rnd.pk)
        self.fields["original_round"].queryset = earlier.exclude(state=RoundState.DRAFT)


class AssignTeamForm(StyledFormMixin, forms.Form):
    team = forms.ModelChoiceField(label=_("巡察组"), queryset=None, required=False, empty_label=_("（未分配）"))
    entry_date = forms.DateField(label=_("进驻日期"), required=False, widget=DateInput())
    exit_date = forms.DateField(label=_("撤离日期"), required=False, widget=DateInput())
    justification = forms.CharField(
        label=_("不予回避的理由"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("仅在组员须回避而确需安排时由巡察办主任填写"),
    )

    def __init__(self, *args: Any, rnd: Round, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = rnd.teams.order_by("number")


class MemberForm(StyledFormMixin, forms.Form):
    person = PersonChoice(label=_("人员"), queryset=Person.objects.none())
    role = forms.ChoiceField(label=_("组内职务"), choices=TeamRole.choices, initial=TeamRole.MEMBER)
    justification = forms.CharField(
        label=_("不予回避的理由"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("仅在须回避而确需安排时由巡察办主任填写"),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        people = scope_queryset(user, Perm.PERSON_VIEW, Person.objects.filter(is_active=True))
        self.fields["person"].queryset = people.select_related("unit").order_by("name")


class AnnouncementForm(StyledFormMixin, forms.Form):
    phone = forms.CharField(label=_("举报电话"), max_length=30)
    mailbox = forms.CharField(label=_("邮政信箱"), max_length=100, required=False)
    email = forms.EmailField(label=_("电子邮箱"), required=False)
    address = forms.CharField(label=_("来访地址"), max_length=200, required=False)
    opens_on = forms.DateField(label=_("受理开始"), widget=DateInput())
    closes_on = forms.DateField(label=_("受理截止"), widget=DateInput())
    published_on = forms.DateField(label=_("发布日期"), required=False, widget=DateInput())


class TransitionForm(StyledFormMixin, forms.Form):
    comment = forms.CharField(
        label=_("说明"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )
    approved_on = forms.DateField(label=_("批准日期"), required=False, widget=DateInput())
    approval_meeting = forms.CharField(label=_("批准会议"), required=False, max_length=100)
    feedback_date = forms.DateField(label=_("反馈日期"), required=False, widget=DateInput())


class TermPlanForm(StyledFormMixin, forms.Form):
    jurisdiction = UnitChoiceField(label=_("行政区域"), queryset=OrgUnit.objects.none())
    name = forms.CharField(label=_("规划名称"), max_length=100, help_text=_("如：县委第十四届任期巡察工作规划"))
    start_year = forms.IntegerField(label=_("起始年度"), min_value=2000, max_value=2100)
    end_year = forms.IntegerField(label=_("截止年度"), min_value=2000, max_value=2100)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["jurisdiction"].queryset = _jurisdictions(user, Perm.ROUND_MANAGE)


class TermApproveForm(StyledFormMixin, forms.Form):
    approved_on = forms.DateField(label=_("审议通过日期"), widget=DateInput())
    meeting = forms.CharField(label=_("审议会议"), max_length=100)
    minutes_upload = EvidenceFilesField(label=_("会议纪要"), required=False, max_count=1)


class PoolEntryForm(StyledFormMixin, forms.Form):
    person = PersonChoice(label=_("人员"), queryset=Person.objects.none())
    jurisdiction = UnitChoiceField(label=_("所属行政区域"), queryset=OrgUnit.objects.none())
    in_leader_pool = forms.BooleanField(label=_("组长库"), required=False)
    in_specialist_pool = forms.BooleanField(label=_("专业人才库"), required=False)
    in_staff_pool = forms.BooleanField(label=_("工作人员库"), required=False, initial=True)
    expertise = forms.ModelMultipleChoiceField(
        label=_("专长"), queryset=ExpertiseTag.objects.all(), required=False, widget=forms.CheckboxSelectMultiple
    )
    available = forms.BooleanField(label=_("可抽调"), required=False, initial=True)
    availability_note = forms.CharField(label=_("可用情况说明"), max_length=200, required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        people = scope_queryset(user, Perm.PERSON_VIEW, Person.objects.filter(is_active=True))
        self.fields["person"].queryset = people.select_related("unit").order_by("name")
        self.fields["jurisdiction"].queryset = _jurisdictions(user, Perm.POOL_MANAGE)


class SuggestForm(StyledFormMixin, forms.Form):
    tags = ModelMultipleIdField(
        label=_("所需专长"), queryset=ExpertiseTag.objects.all(), required=False, widget=forms.CheckboxSelectMultiple
    )


class BriefingForm(StyledFormMixin, forms.Form):
    source = forms.ChoiceField(label=_("通报部门"), choices=BriefingSource.choices)
    title = forms.CharField(label=_("标题"), max_length=200)
    filed_on = forms.DateField(label=_("通报日期"), widget=DateInput())
    summary = forms.CharField(label=_("主要内容"), required=False, widget=forms.Textarea(attrs={"rows": 5}))
    uploads = EvidenceFilesField(label=_("附件"), required=False)


class TeamForm(StyledFormMixin, forms.Form):
    branch_secretary = forms.ModelChoiceField(label=_("临时党支部书记"), queryset=Person.objects.none(), required=False)
    phone = forms.CharField(label=_("举报电话"), max_length=30, required=False)
    mailbox = forms.CharField(label=_("邮政信箱"), max_length=100, required=False)
    email = forms.EmailField(label=_("电子邮箱"), required=False)

    def __init__(self, *args: Any, team: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["branch_secretary"].queryset = Person.objects.filter(team_memberships__team=team).order_by(
            "team_memberships__role"
        )


class DeclarationForm(StyledFormMixin, forms.Form):
    person = PersonChoice(label=_("人员"), queryset=Person.objects.none())
    unit = UnitChoiceField(label=_("回避单位"), queryset=OrgUnit.objects.none())
    source = forms.ChoiceField(label=_("来源"), choices=RecusalDeclaration.Source.choices)
    reason = forms.CharField(label=_("回避事由"), max_length=200)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        people = scope_queryset(user, Perm.PERSON_VIEW, Person.objects.filter(is_active=True))
        self.fields["person"].queryset = people.select_related("unit").order_by("name")
        self.fields["unit"].queryset = unit_choices(user=user, code=Perm.TEAM_MANAGE).exclude(
            unit_type__in=JURISDICTION_TYPES
        )


class ReasonForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(label=_("理由"), max_length=200)


class TrainingForm(StyledFormMixin, forms.Form):
    on = forms.DateField(label=_("培训日期"), widget=DateInput())
    title = forms.CharField(label=_("培训内容"), max_length=100)
    hours = forms.IntegerField(label=_("学时"), min_value=0, max_value=500, initial=0)


class AppraisalForm(StyledFormMixin, forms.Form):
    grade = forms.ChoiceField(
        label=_("考核等次"),
        choices=[("优秀", _("优秀")), ("称职", _("称职")), ("基本称职", _("基本称职")), ("不称职", _("不称职"))],
    )
    note = forms.CharField(label=_("考核评语"), max_length=200, required=False)


class TeamAccessForm(StyledFormMixin, forms.Form):
    """The office grants an archived round's team read access again, until a date."""

    until = forms.DateField(label=_("查阅授权至"), required=False, widget=DateInput())
    reason = forms.CharField(label=_("授权事由"), max_length=200, required=False)
