from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from xuncha.accounts.permissions import Role
from xuncha.accounts.twofactor.policy import RoleRule
from xuncha.common.forms import StyledFormMixin


class CodeForm(StyledFormMixin, forms.Form):
    """A 6-digit code from the authenticator app, or (where allowed) a recovery code."""

    code = forms.CharField(
        label=_("验证码"),
        max_length=20,
        error_messages={"required": _("请输入验证码。")},
        widget=forms.TextInput(
            attrs={
                "class": "xc-2fa-code-input",
                "autocomplete": "one-time-code",
                "autofocus": True,
                "spellcheck": "false",
            }
        ),
    )

    def __init__(self, *args: Any, recovery: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["code"]
        if recovery:
            field.label = _("验证码或恢复码")
            field.help_text = _("输入验证器应用显示的6位数字；手机不在身边时，可输入一个恢复码（每个只能用一次）。")
        else:
            field.help_text = _("输入验证器应用中“Xuncha 巡察”下当前显示的6位数字。")
            field.widget.attrs.update({"inputmode": "numeric", "pattern": "[0-9 ]*"})


class RuleForm(StyledFormMixin, forms.Form):
    """One checkbox per role: must it sign in with a second factor?"""

    def __init__(self, *args: Any, rules: list[RoleRule], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for rule in rules:
            self.fields[rule.role.value] = forms.BooleanField(
                label=rule.role.label, required=False, initial=rule.required
            )

    def changes(self) -> dict[Role, bool]:
        return {Role(name): bool(value) for name, value in self.cleaned_data.items()}
