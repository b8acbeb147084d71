"""Forms parse and validate input; the services decide and write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.password_validation import password_validators_help_texts
from django.db.models import QuerySet
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from xuncha.accounts.models import OrgUnit, Person, UnitType
from xuncha.accounts.models.org import PartyOrgKind
from xuncha.accounts.models.people import Gender, RelationKind
from xuncha.accounts.permissions import Perm, Role, grantable_roles, scope_queryset
from xuncha.accounts.selectors import sector_dept_choices, unit_choices
from xuncha.common.actors import Principal
from xuncha.common.forms import DateInput, StyledFormMixin, form_field


class UnitChoiceField(forms.ModelChoiceField):
    """A unit picker that shows each unit with its depth, so the tree reads in a flat list."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("empty_label", _("（请选择单位）"))
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj: OrgUnit) -> str:
        indent = "　" * max(obj.depth - 1, 0)
        return f"{indent}{obj.name}"


class LoginForm(StyledFormMixin, AuthenticationForm):
    # One message for every failure: it must not tell whether the user name exists.
    error_messages = {
        "invalid_login": _("用户名或密码不正确。连续失败5次，账户将被暂时锁定。"),
        "inactive": _("用户名或密码不正确。连续失败5次，账户将被暂时锁定。"),
    }


class UnitForm(StyledFormMixin, forms.Form):
    name = forms.CharField(label=_("单位名称"), max_length=100)
    unit_type = forms.ChoiceField(label=_("单位类型"), choices=UnitType.choices)
    party_org_name = forms.CharField(label=_("党组织名称"), max_length=100, required=False)
    party_org_kind = forms.ChoiceField(
        label=_("党组织类型"), choices=[("", _("（无）")), *PartyOrgKind.choices], required=False
    )
    sector_dept = UnitChoiceField(
        label=_("行业主管部门"), queryset=OrgUnit.objects.none(), required=False, empty_label=_("（无）")
    )

    def __init__(self, *args: Any, user: Principal, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        form_field(self, "sector_dept", UnitChoiceField).queryset = sector_dept_choices(user=user)


class UnitMoveForm(StyledFormMixin, forms.Form):
    new_parent = UnitChoiceField(label=_("新的上级单位"), queryset=OrgUnit.objects.none())

    def __init__(self, *args: Any, user: Principal, unit: OrgUnit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        qs = unit_choices(user=user, code=Perm.ORG_MANAGE, parents_only=True)
        # Hide the unit's own subtree: moving under it would make a cycle (the service refuses).
        form_field(self, "new_parent", UnitChoiceField).queryset = qs.exclude(path__startswith=unit.path)


class ReasonForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(label=_("原因"), max_length=200, widget=forms.Textarea(attrs={"rows": 2}))


class PersonForm(StyledFormMixin, forms.Form):
    name = forms.CharField(label=_("姓名"), max_length=50)
    gender = forms.ChoiceField(label=_("性别"), choices=Gender.choices)
    unit = UnitChoiceField(label=_("所在单位"), queryset=OrgUnit.objects.none())
    is_active = forms.BooleanField(label=_("在职"), required=False, initial=True)

    def __init__(self, *args: Any, user: Principal, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        form_field(self, "unit", UnitChoiceField).queryset = unit_choices(user=user, code=Perm.PERSON_MANAGE)


class PersonCreateForm(PersonForm):
    """A new person, optionally with the current post in one step."""

    title = forms.CharField(label=_("现任职务"), max_length=60, required=False)
    start_date = forms.DateField(label=_("任职开始"), required=False, widget=DateInput())
    is_leadership_member = forms.BooleanField(label=_("领导班子成员"), required=False)
    is_main_leader = forms.BooleanField(label=_("主要负责人"), required=False)

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data  # what Form.clean returns; the stubs type its result Optional
        if data.get("title") and not data.get("start_date"):
            self.add_error("start_date", _("填写现任职务时，请填写任职开始日期。"))
        return data


class PostForm(StyledFormMixin, forms.Form):
    unit = UnitChoiceField(label=_("任职单位"), queryset=OrgUnit.objects.none())
    title = forms.CharField(label=_("职务"), max_length=60)
    start_date = forms.DateField(label=_("任职开始"), widget=DateInput())
    end_date = forms.DateField(label=_("任职结束"), required=False, widget=DateInput(), help_text=_("现任职务请留空"))
    is_leadership_member = forms.BooleanField(label=_("领导班子成员"), required=False)
    is_main_leader = forms.BooleanField(label=_("主要负责人"), required=False)

    def __init__(self, *args: Any, user: Principal, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        form_field(self, "unit", UnitChoiceField).queryset = unit_choices(
            user=user, code=Perm.ORG_VIEW, active_only=False
        )


class PostEndForm(StyledFormMixin, forms.Form):
    end_date = forms.DateField(label=_("任职结束日期"), widget=DateInput())


class RelativeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Person) -> str:
        return f"{obj.name}（{obj.unit.name}）"


class RelationForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("关系"), choices=RelationKind.choices)
    relative = RelativeChoiceField(label=_("对方"), queryset=Person.objects.none())
    note = forms.CharField(label=_("说明"), max_length=200, required=False)

    def __init__(self, *args: Any, relatives: QuerySet[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        form_field(self, "relative", RelativeChoiceField).queryset = relatives


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Person) -> str:
        return f"{obj.name} · {obj.unit.name}"


class UserForm(StyledFormMixin, forms.Form):
    full_name = forms.CharField(label=_("姓名"), max_length=50)
    unit = UnitChoiceField(label=_("所属单位"), queryset=OrgUnit.objects.none())
    person = PersonChoiceField(
        label=_("对应人员"),
        queryset=Person.objects.none(),
        required=False,
        empty_label=_("（不关联）"),
        help_text=_("关联人员信息后，回避审查可识别该账户本人。"),
    )
    email = forms.EmailField(label=_("电子邮箱"), required=False)
    phone = forms.RegexField(
        label=_("联系电话"),
        regex=r"^[0-9+\-() ]{5,20}$",
        required=False,
        error_messages={"invalid": _("请输入有效的电话号码（数字，可含 + - 和空格）。")},
    )

    def __init__(self, *args: Any, user: Principal, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        form_field(self, "unit", UnitChoiceField).queryset = unit_choices(user=user, code=Perm.USER_MANAGE)
        people = scope_queryset(user, Perm.PERSON_VIEW, Person.objects.filter(is_active=True))
        form_field(self, "person", PersonChoiceField).queryset = people.select_related("unit").order_by(
            "unit__path", "name"
        )


# The rules under a new-password field, from the validators themselves (settings), so the page
# never states a different policy from the one enforced.
password_rules = lazy(lambda: "".join(password_validators_help_texts()), str)


class UserCreateForm(UserForm):
    username = forms.RegexField(
        label=_("用户名"),
        max_length=30,
        regex=r"^[A-Za-z0-9_.-]{3,30}$",
        error_messages={"invalid": _("用户名须为3至30位字母、数字、下划线、点或短横线。")},
    )
    password1 = forms.CharField(
        label=_("初始密码"), widget=forms.PasswordInput, max_length=128, help_text=password_rules()
    )
    password2 = forms.CharField(label=_("确认密码"), widget=forms.PasswordInput, max_length=128)
    field_order = ["username", "full_name", "unit", "person", "email", "phone", "password1", "password2"]

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data  # what Form.clean returns; the stubs type its result Optional
        if data.get("password1") and data.get("password1") != data.get("password2"):
            self.add_error("password2", _("两次输入的密码不一致。"))
        return data


class PasswordResetForm(StyledFormMixin, forms.Form):
    password1 = forms.CharField(
        label=_("新密码"), widget=forms.PasswordInput, max_length=128, help_text=password_rules()
    )
    password2 = forms.CharField(label=_("确认新密码"), widget=forms.PasswordInput, max_length=128)

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data  # what Form.clean returns; the stubs type its result Optional
        if data.get("password1") and data.get("password1") != data.get("password2"):
            self.add_error("password2", _("两次输入的密码不一致。"))
        return data


class RoleGrantForm(StyledFormMixin, forms.Form):
    role = forms.ChoiceField(label=_("角色"))
    scope = UnitChoiceField(label=_("授权范围（含下级单位）"), queryset=OrgUnit.objects.none())
    note = forms.CharField(label=_("授权依据"), max_length=200, required=False)

    def __init__(self, *args: Any, user: Principal, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        allowed = grantable_roles(user)
        form_field(self, "role", forms.ChoiceField).choices = [("", "—")] + [
            (r.value, r.label) for r in Role if r in allowed
        ]
        form_field(self, "scope", UnitChoiceField).queryset = unit_choices(user=user, code=Perm.ROLE_ASSIGN)
