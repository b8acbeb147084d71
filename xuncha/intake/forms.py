"""Public and staff forms. Everything typed here is escaped on output and sealed at rest."""

from typing import Any

from captcha.fields import CaptchaField
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xuncha.common.forms import StyledFormMixin
from xuncha.files.forms import EvidenceFilesField
from xuncha.intake.models import Channel, Discipline, Subject
from xuncha.intake.services import MAX_FILES, MAX_TEXT


class ReportForm(StyledFormMixin, forms.Form):
    people = forms.CharField(label=_("被反映人（姓名、职务）"), max_length=500, required=False)
    what = forms.CharField(
        label=_("反映的问题"),
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("请写明具体事实：谁、在什么时间、什么地点、做了什么，涉及金额多少。"),
    )
    when = forms.CharField(label=_("发生时间"), max_length=200, required=False)
    where = forms.CharField(label=_("发生地点"), max_length=200, required=False)
    amount = forms.CharField(label=_("涉及金额"), max_length=100, required=False)
    uploads = EvidenceFilesField(
        label=_("证据材料（可选）"),
        required=False,
        max_count=MAX_FILES,
        help_text=_("上传的照片和文档会自动去除拍摄位置、设备信息和作者等属性。"),
    )
    named = forms.BooleanField(label=_("我愿意署名（不勾选即为匿名）"), required=False)
    name = forms.CharField(label=_("姓名"), max_length=50, required=False)
    phone = forms.CharField(label=_("联系电话"), max_length=30, required=False)
    address = forms.CharField(label=_("联系地址"), max_length=200, required=False)
    captcha = CaptchaField(label=_("验证码"), error_messages={"invalid": _("验证码不正确，请重新输入。")})

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("named") and not (data.get("name") or "").strip():
            self.add_error("name", _("署名举报请填写姓名；如不愿署名，请取消勾选。"))
        if not data.get("named"):
            data["name"] = data["phone"] = data["address"] = ""
        return data


class CodeForm(StyledFormMixin, forms.Form):
    """The receipt code, and a captcha when the throttle asks for one (see throttle.py).

    No length check here: a malformed code of any length gets the same answer as a wrong one.
    """

    code = forms.CharField(
        label=_("受理码"),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "maxlength": 40}),
    )
    captcha = CaptchaField(label=_("验证码"), help_text=_("为防止恶意尝试，请输入验证码。"))

    def __init__(self, *args: Any, captcha: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not captcha:
            del self.fields["captcha"]


class MessageForm(StyledFormMixin, forms.Form):
    """The reporter's side: add information or answer the team's question."""

    text = forms.CharField(label=_("补充说明"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4}))


class TeamMessageForm(StyledFormMixin, forms.Form):
    """The team's side: ask the reporter a question or tell them something."""

    text = forms.CharField(label=_("向举报人提问或答复"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4}))


class AnnouncementChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.target.unit.name}（{obj.target.round.name} · {obj.target.team}）"


class RegisterForm(StyledFormMixin, forms.Form):
    """Staff register a report that arrived by letter, phone, visit or mailbox."""

    announcement = AnnouncementChoice(label=_("被反映单位"), queryset=None)
    channel = forms.ChoiceField(label=_("来源"), choices=[c for c in Channel.choices if c[0] != Channel.ONLINE])
    received_on = forms.DateField(
        label=_("收到日期"),
        initial=timezone.localdate,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("来信的收信日期、来电来访的日期；办理期限从这一天算起。"),
    )
    people = forms.CharField(label=_("被反映人（姓名、职务）"), max_length=500, required=False)
    what = forms.CharField(label=_("反映的问题"), max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 8}))
    when = forms.CharField(label=_("发生时间"), max_length=200, required=False)
    where = forms.CharField(label=_("发生地点"), max_length=200, required=False)
    amount = forms.CharField(label=_("涉及金额"), max_length=100, required=False)
    name = forms.CharField(label=_("举报人姓名（匿名则不填）"), max_length=50, required=False)
    phone = forms.CharField(label=_("联系电话"), max_length=30, required=False)
    address = forms.CharField(label=_("联系地址"), max_length=200, required=False)
    uploads = EvidenceFilesField(
        label=_("来信扫描件或证据材料"),
        required=False,
        max_count=MAX_FILES,
        help_text=_("与网上举报一样，保存时会去除照片和文档中的拍摄位置、设备信息和作者等属性，以保护举报人。"),
    )

    def __init__(self, *args: Any, announcements: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["announcement"].queryset = announcements


# --- triage ---------------------------------------------------------------------------------


class PaperChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.code} {obj.title}（{obj.get_state_display()}）"


class ReportChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.intake_no}（{obj.get_channel_display()}，{obj.received_on:%Y-%m-%d}，{obj.get_state_display()}）"


class TriageForm(StyledFormMixin, forms.Form):
    """The fields one triage step needs: built per action (accept, forward, reject, link, merge, close)."""

    subject = forms.ChoiceField(label=_("反映对象"), choices=[("", "—"), *Subject.choices], required=False)
    disciplines = forms.MultipleChoiceField(
        label=_("涉及纪律"), choices=Discipline.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    forwarded_to = forms.CharField(
        label=_("转交单位"), max_length=100, help_text=_("有权处理的机关或单位，如县信访局、县纪委监委、乡镇党委。")
    )
    papers = PaperChoice(label=_("问题底稿"), queryset=None, widget=forms.CheckboxSelectMultiple)
    into = ReportChoice(label=_("并入举报"), queryset=None)
    reply = forms.CharField(
        label=_("给举报人的答复"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("举报人凭受理码可以看到；来信来电来访的，按此答复内容电话或书面告知。"),
    )

    FIELDS = {
        "accept": ("subject", "disciplines", "reply"),
        "forward": ("subject", "forwarded_to", "reply"),
        "reject": ("reply",),
        "link": ("papers",),
        "merge": ("into", "reply"),
        "close": ("reply",),
    }

    def __init__(self, *args: Any, action: str, papers: Any = None, reports: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.action = action
        for name in list(self.fields):
            if name not in self.FIELDS[action]:
                del self.fields[name]
        if "papers" in self.fields:
            self.fields["papers"].queryset = papers
        if "into" in self.fields:
            self.fields["into"].queryset = reports


class UnlockForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("解锁理由"),
        min_length=10,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("写明为何需要知道举报人身份（如须当面核实、保护举报人），理由记入审计日志。"),
    )
