from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from xuncha.accounts.forms import UnitChoiceField
from xuncha.accounts.models import OrgUnit
from xuncha.accounts.selectors import unit_choices
from xuncha.common.actors import Principal
from xuncha.common.forms import StyledFormMixin, form_field
from xuncha.notify.models import Webhook, WebhookKind, validate_http_url
from xuncha.notify.services import WEBHOOK_PERM


class WebhookForm(StyledFormMixin, forms.Form):
    name = forms.CharField(
        label=_("名称"),
        max_length=60,
        help_text=_("便于识别的名字，例如“县巡察办钉钉工作群”。"),
        error_messages={"required": _("请填写名称，例如“县巡察办钉钉工作群”。")},
    )
    scope = UnitChoiceField(
        label=_("推送范围（含下级单位）"),
        queryset=OrgUnit.objects.none(),
        help_text=_("关于这些单位的提醒会推送到这里。"),
        error_messages={"required": _("请选择推送范围。"), "invalid_choice": _("推送范围须在您的管理范围之内。")},
    )
    kind = forms.ChoiceField(label=_("类型"), choices=WebhookKind.choices, initial=WebhookKind.DINGTALK)
    url = forms.CharField(
        label=_("推送地址"),
        max_length=500,
        help_text=_("机器人设置页给出的完整 Webhook 地址（http:// 或 https://），也可以是本单位内网的消息网关地址。"),
        error_messages={"required": _("请填写推送地址。")},
        validators=[validate_http_url],
        widget=forms.TextInput(attrs={"placeholder": "https://oapi.dingtalk.com/robot/send?access_token=…"}),
    )
    secret = forms.CharField(
        label=_("签名密钥（钉钉“加签”）"),
        max_length=200,
        required=False,
        strip=True,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        help_text=_("钉钉机器人安全设置选择“加签”时填写以 SEC 开头的密钥；其他类型不需要。"),
    )
    clear_secret = forms.BooleanField(label=_("清除已保存的签名密钥"), required=False)
    active = forms.BooleanField(label=_("启用"), required=False, initial=True)

    def __init__(self, *args: Any, user: Principal, instance: Webhook | None = None, **kwargs: Any) -> None:
        if instance is not None:
            kwargs.setdefault(
                "initial",
                {
                    "name": instance.name,
                    "scope": instance.scope,
                    "kind": instance.kind,
                    "url": instance.url,
                    "active": instance.active,
                },
            )
        super().__init__(*args, **kwargs)
        form_field(self, "scope", UnitChoiceField).queryset = unit_choices(user=user, code=WEBHOOK_PERM)
        if instance is None or not instance.secret:
            del self.fields["clear_secret"]
        else:
            self.fields["secret"].help_text = _("已保存密钥（不显示）。留空则保持不变；更换时填写新密钥。")
