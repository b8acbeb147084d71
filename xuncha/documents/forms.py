"""The upload form of a replacement template, and the three ways into 泄密溯源: parse; the
service checks and decides."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from xuncha.accounts.forms import UnitChoiceField
from xuncha.accounts.models import OrgUnit
from xuncha.common.forms import StyledFormMixin
from xuncha.documents.kinds import DocumentKind
from xuncha.files.checks import check_upload


class TemplateUploadForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("公文种类"), choices=DocumentKind.choices)
    jurisdiction = UnitChoiceField(label=_("适用行政区域"), queryset=OrgUnit.objects.none())
    upload = forms.FileField(
        label=_("模板文件"),
        help_text=_("Word 文档（.docx）。建议先下载在用模板，在 Word 中修改文字和版式，保留 {{ }} 标记。"),
        widget=forms.ClearableFileInput(attrs={"accept": ".docx"}),
    )

    def __init__(self, *args: Any, jurisdictions: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["jurisdiction"].queryset = jurisdictions


# Enough for pages of copied text; a whole leaked document can be uploaded as a file instead.
TRACE_TEXT_MAX = 200_000


class TraceLookupForm(StyledFormMixin, forms.Form):
    """One of three ways in: the code read off a copy, the leaked file itself, or text from it."""

    WAYS = ("code", "upload", "text")

    code = forms.CharField(
        label=_("追溯码"),
        required=False,
        max_length=40,
        help_text=_("印在页脚“追溯码”之后，如 XC-7K3M-Q9TD；大小写和分隔符不限。"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false", "placeholder": "XC-XXXX-XXXX"}),
    )
    upload = forms.FileField(
        label=_("外泄的文件"),
        required=False,
        help_text=_("Word（.docx）或 Excel（.xlsx）。只读取其中的追溯信息，不保存文件。"),
        widget=forms.ClearableFileInput(attrs={"accept": ".docx,.xlsx"}),
    )
    text = forms.CharField(
        label=_("外泄的文字"),
        required=False,
        max_length=TRACE_TEXT_MAX,
        strip=False,  # the marks are invisible characters: keep the text exactly as pasted
        help_text=_("从外泄材料中复制、转录的文字，原样粘贴。"),
        widget=forms.Textarea(attrs={"rows": 6, "spellcheck": "false"}),
    )

    def clean_upload(self) -> Any:
        upload = self.cleaned_data.get("upload")
        if upload:
            check_upload(upload)  # size and type from the content; the service checks again
        return upload

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        given = [way for way in self.WAYS if data.get(way) and (way != "text" or data[way].strip())]
        if not given and not self.errors:
            raise forms.ValidationError(_("请输入追溯码、上传外泄的文件或粘贴外泄的文字（三者选一）。"))
        if len(given) > 1:
            raise forms.ValidationError(_("每次只能按一种方式查询：追溯码、文件或文字。"))
        return data
